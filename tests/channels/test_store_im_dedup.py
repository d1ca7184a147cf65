"""De-duplication of IM messages: two replicas sharing one Redis, and one process.

The HTTP tests (test_store_im.py) cover one server; here two ``RedisDedup``
instances play the two production replicas against the local Redis: a
message that arrives at both at the same moment is processed once and both
answer the same; a message whose first processing failed is processed again.
"""
from __future__ import annotations

import asyncio
import uuid

import pytest

from bot.channels.dedup import MemoryDedup, RedisDedup, dedup_key
from tests.support.services import REDIS_URL, unavailable


def run(coroutine):
    return asyncio.new_event_loop().run_until_complete(coroutine)


async def _replicas():
    replicas = [RedisDedup(REDIS_URL, ttl_seconds=60), RedisDedup(REDIS_URL, ttl_seconds=60)]
    try:
        await replicas[0].redis.ping()
    except Exception as error:
        await asyncio.gather(*(r.close() for r in replicas))
        return error
    return replicas


def test_two_replicas_process_a_duplicate_once():
    async def scenario():
        replicas = await _replicas()
        if isinstance(replicas, Exception):
            return replicas
        calls = []

        async def work():
            calls.append(1)
            await asyncio.sleep(0.5)  # the bot thinking
            return {"message_id": "m", "replies": [{"text": f"answer {len(calls)}"}]}

        key = dedup_key("tb_lily88", f"m-{uuid.uuid4().hex}")
        try:
            results = await asyncio.gather(replicas[0].run_once(key, work), replicas[1].run_once(key, work))
            later = await replicas[1].run_once(key, work)
        finally:
            await replicas[0].redis.delete(key)
            await asyncio.gather(*(r.close() for r in replicas))
        return calls, results, later

    outcome = run(scenario())
    if isinstance(outcome, Exception):
        unavailable(f"Redis at {REDIS_URL}", outcome)
    calls, results, later = outcome
    assert len(calls) == 1
    assert results[0][0] == results[1][0] == later[0]
    assert sorted(duplicate for _, duplicate in results) == [False, True]
    assert later[1] is True


def test_a_failed_first_attempt_is_processed_again():
    async def scenario(dedup):
        attempts = []

        async def work():
            attempts.append(1)
            if len(attempts) == 1:
                raise RuntimeError("the bot fell over")
            return {"replies": [{"text": "ok"}]}

        key = dedup_key("tb_lily88", f"m-{uuid.uuid4().hex}")
        with pytest.raises(RuntimeError):
            await dedup.run_once(key, work)
        result, duplicate = await dedup.run_once(key, work)
        return attempts, result, duplicate

    attempts, result, duplicate = run(scenario(MemoryDedup()))
    assert len(attempts) == 2 and result == {"replies": [{"text": "ok"}]} and duplicate is False
