"""Process each (buyer, message_id) once; a repeat gets the first result again.

IM platforms retry webhooks (timeouts, restarts), so the same message may
arrive twice, even at the same moment on two replicas. ``run_once(key, work)``
runs ``work`` for the first arrival; every other arrival with the same key
waits for that result and returns it unchanged.

- ``MemoryDedup``: one process (local use, tests): a dict of futures with a TTL.
- ``RedisDedup``: several replicas sharing one Redis (env STORE_IM_DEDUP_REDIS_URL).
  The first arrival claims the key with ``SET NX`` (a "pending" marker with a
  short expiry, so a replica that dies mid-message does not block the key for
  ever); the result replaces the marker with the full TTL. Other arrivals poll
  until the result is there. If the marker expires without a result, the next
  poller claims the key and processes the message itself.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

logger = logging.getLogger(__name__)

Result = Dict[str, Any]
Work = Callable[[], Awaitable[Result]]


def dedup_key(buyer_id: str, message_id: str) -> str:
    digest = hashlib.sha256(f"{buyer_id}\x1f{message_id}".encode("utf-8")).hexdigest()
    return f"store_im:dedup:{digest}"


_background: set = set()


def _keep(task: "asyncio.Future[Any]") -> None:
    """Hold a reference to a background task until it is done."""
    _background.add(task)
    task.add_done_callback(_background.discard)


class DuplicateStillRunning(Exception):
    """The first arrival has not finished within the wait limit."""


class MemoryDedup:
    def __init__(self, ttl_seconds: float = 86400, max_entries: int = 50000) -> None:
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._entries: Dict[str, Tuple[float, "asyncio.Future[Result]"]] = {}

    def _expire(self) -> None:
        now = time.monotonic()
        for key in [k for k, (expires, f) in self._entries.items() if expires < now and f.done()]:
            del self._entries[key]
        while len(self._entries) > self.max_entries:  # oldest first (dicts keep insertion order)
            key = next(iter(self._entries))
            if not self._entries[key][1].done():
                break
            del self._entries[key]

    async def run_once(self, key: str, work: Work, wait_seconds: float = 120) -> Tuple[Result, bool]:
        """(result, duplicate?)"""
        self._expire()
        entry = self._entries.get(key)
        if entry is not None:
            try:
                return await asyncio.wait_for(asyncio.shield(entry[1]), wait_seconds), True
            except asyncio.TimeoutError:
                raise DuplicateStillRunning(key) from None
        future: "asyncio.Future[Result]" = asyncio.get_running_loop().create_future()
        self._entries[key] = (time.monotonic() + self.ttl, future)
        # The work goes on even if this request is cancelled (the platform hung
        # up): its result is then ready for the platform's retry.
        _keep(asyncio.ensure_future(self._complete(key, work, future)))
        return await asyncio.shield(future), False

    async def _complete(self, key: str, work: Work, future: "asyncio.Future[Result]") -> None:
        try:
            future.set_result(await work())
        except BaseException as error:
            # Not processed: forget the key so the platform's retry is processed.
            self._entries.pop(key, None)
            future.set_exception(error if isinstance(error, Exception) else RuntimeError("cancelled"))
            future.exception()  # mark retrieved: waiters re-raise it themselves

    async def close(self) -> None:
        pass


PENDING = "pending"


class RedisDedup:
    def __init__(self, url: str, ttl_seconds: int = 86400, pending_seconds: int = 180,
                 poll_seconds: float = 0.1) -> None:
        import redis.asyncio as redis_asyncio

        self.redis = redis_asyncio.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.ttl = int(ttl_seconds)
        self.pending_seconds = int(pending_seconds)
        self.poll = poll_seconds

    async def run_once(self, key: str, work: Work, wait_seconds: float = 120) -> Tuple[Result, bool]:
        deadline = time.monotonic() + wait_seconds
        while True:
            claimed = await self.redis.set(key, PENDING, nx=True, ex=self.pending_seconds)
            if claimed:
                task = asyncio.ensure_future(self._complete(key, work))
                _keep(task)
                return await asyncio.shield(task), False
            # Someone else has (or had) it: wait for their result.
            while True:
                value = await self.redis.get(key)
                if value is None:
                    break  # the claimant gave up or died: try to claim it ourselves
                if value.decode("utf-8") != PENDING:
                    return json.loads(value), True
                if time.monotonic() > deadline:
                    raise DuplicateStillRunning(key) from None
                await asyncio.sleep(self.poll)

    async def _complete(self, key: str, work: Work) -> Result:
        try:
            result = await work()
        except BaseException:
            await self._release(key)
            raise
        await self.redis.set(key, json.dumps(result, ensure_ascii=False), ex=self.ttl)
        return result

    async def _release(self, key: str) -> None:
        try:
            if (await self.redis.get(key) or b"").decode("utf-8") == PENDING:
                await self.redis.delete(key)
        except Exception:  # the pending marker expires by itself
            logger.exception("store_im: could not release dedup key %s", key)

    async def close(self) -> None:
        await self.redis.close()


def make_dedup(redis_url: Optional[str], ttl_seconds: int) -> Any:
    if redis_url:
        logger.info("store_im: de-duplicating message ids in Redis")
        return RedisDedup(redis_url, ttl_seconds=ttl_seconds)
    return MemoryDedup(ttl_seconds=ttl_seconds)
