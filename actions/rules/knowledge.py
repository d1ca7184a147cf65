"""Load knowledge.yml: the refund rules with their quotes and parameters.

The engine (timeline.py) and the wording (answers.py) take every number
from here, by rule id, so a changed timeline is changed in one place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

import yaml

KNOWLEDGE_PATH = Path(__file__).with_name("knowledge.yml")

_REQUIRED = ("id", "seed", "quote", "summary")
_META = {"id", "seed", "section", "quote", "summary", "note", "superseded_by"}


@dataclass(frozen=True)
class Rule:
    id: str
    seed: str
    section: str
    quote: str
    summary: str
    note: Optional[str] = None
    superseded_by: Optional[str] = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def param(self, name: str) -> Any:
        try:
            return self.params[name]
        except KeyError:
            raise KeyError(f"rule {self.id!r} has no parameter {name!r}") from None


@dataclass(frozen=True)
class Knowledge:
    rules: Mapping[str, Rule]
    conflicts: Tuple[Mapping[str, Any], ...]
    notes: Tuple[str, ...]
    timezone: str

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise KeyError(f"unknown rule id {rule_id!r}") from None

    def param(self, rule_id: str, name: str) -> Any:
        return self.rule(rule_id).param(name)

    @property
    def active_ids(self) -> Tuple[str, ...]:
        """Rules the bot answers from (not superseded)."""
        return tuple(r.id for r in self.rules.values() if not r.superseded_by)


def parse_knowledge(data: Mapping[str, Any]) -> Knowledge:
    rules: Dict[str, Rule] = {}
    for i, raw in enumerate(data.get("rules") or ()):
        for key in _REQUIRED:
            if not raw.get(key):
                raise ValueError(f"knowledge rule #{i} ({raw.get('id')!r}): missing {key!r}")
        rid = raw["id"]
        if rid in rules:
            raise ValueError(f"knowledge rule id {rid!r} is duplicated")
        params = {k: v for k, v in raw.items() if k not in _META}
        rules[rid] = Rule(
            id=rid,
            seed=raw["seed"],
            section=raw.get("section", ""),
            quote=raw["quote"],
            summary=raw["summary"],
            note=raw.get("note"),
            superseded_by=raw.get("superseded_by"),
            params=params,
        )
    for r in rules.values():
        if r.superseded_by and r.superseded_by not in rules:
            raise ValueError(f"rule {r.id!r} superseded by unknown rule {r.superseded_by!r}")
    conflicts = tuple(data.get("conflicts") or ())
    for c in conflicts:
        for rid in c.get("rules", ()):
            if rid not in rules:
                raise ValueError(f"conflict {c.get('id')!r} names unknown rule {rid!r}")
    return Knowledge(
        rules=rules,
        conflicts=conflicts,
        notes=tuple(data.get("notes") or ()),
        timezone=data.get("timezone", "Asia/Shanghai"),
    )


@lru_cache(maxsize=None)
def load_knowledge(path: Optional[str] = None) -> Knowledge:
    p = Path(path) if path else KNOWLEDGE_PATH
    with p.open(encoding="utf-8") as fh:
        return parse_knowledge(yaml.safe_load(fh))
