"""The pieces make_corpus.py assembles files from: a module header and plain library code.

Each plain block is a `string.Template` of ordinary Python (dataclasses, services, loops,
I/O, formatting, async, decorators); `plain_block` fills a random one with random names.
None of them mentions the OpenAI SDK, so lint-wb's byte prefilter can skip the files made
only of them. The OpenAI part of a file is in corpus_wandb.py."""

from __future__ import annotations

from random import Random
from string import Template

NOUNS = [
    "order", "invoice", "user", "account", "record", "batch", "item", "report", "session",
    "token", "event", "metric", "sample", "dataset", "chunk", "widget", "channel", "payload",
    "task", "job", "artifact", "customer", "ticket", "shipment", "price", "review", "node",
]  # fmt: skip
VERBS = [
    "load", "parse", "build", "compute", "render", "validate", "merge", "split", "normalize",
    "fetch", "store", "update", "resolve", "encode", "filter", "collect", "summarize", "export",
]  # fmt: skip
ADJECTIVES = ["daily", "pending", "remote", "cached", "raw", "merged", "active", "local"]
FIELDS = [
    ("name", "str", '""'), ("count", "int", "0"), ("ratio", "float", "0.0"),
    ("enabled", "bool", "True"), ("tags", "list[str]", "field(default_factory=list)"),
    ("owner", "str | None", "None"), ("retries", "int", "3"), ("path", "Path | None", "None"),
    ("labels", "dict[str, str]", "field(default_factory=dict)"), ("score", "float", "1.0"),
]  # fmt: skip


def unique(used: set[str], name: str) -> str:
    candidate, number = name, 2
    while candidate in used:
        candidate, number = f"{name}{number}", number + 1
    used.add(candidate)
    return candidate


def snake(rng: Random, used: set[str]) -> str:
    return unique(used, f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}")


def pascal(rng: Random, used: set[str]) -> str:
    return unique(used, f"{rng.choice(ADJECTIVES).title()}{rng.choice(NOUNS).title()}")


def fill(template: str, **names: object) -> str:
    return Template(template).substitute(names).strip("\n") + "\n"


HEADER = '''
"""$Noun $verb helpers: $adjective $noun handling for the $other service."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar
$imports
logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
'''


def header(rng: Random, imports: str = "") -> str:
    """The module docstring and imports; `imports` adds a third-party import line."""
    imports = f"\n{imports}\n" if imports else ""
    noun = rng.choice(NOUNS)
    return fill(
        HEADER, Noun=noun.title(), noun=noun, verb=rng.choice(VERBS), other=rng.choice(NOUNS),
        adjective=rng.choice(ADJECTIVES), imports=imports,
    )  # fmt: skip


# ------------------------------------------------------------------------------ plain code

DATACLASS = '''
@dataclass
class $Name:
    """A $noun as stored in the $other table."""

$fields

    def as_dict(self) -> dict[str, object]:
        return {"$first": self.$first, "$second": self.$second}

    @property
    def label(self) -> str:
        return f"$Name({self.$first!r}, {self.$second!r})"
'''

SERVICE = '''
class $Name:
    """${Verb}s ${noun}s and keeps a small in-memory index of them."""

    def __init__(self, source: str, limit: int = $limit) -> None:
        self.source = source
        self.limit = limit
        self._items: dict[str, list[int]] = {}
        self._log = logging.getLogger(f"{__name__}.$Name")

    def add(self, key: str, value: int) -> None:
        if len(self._items) >= self.limit and key not in self._items:
            self._log.warning("%s is full (%d ${noun}s)", self.source, self.limit)
            return
        self._items.setdefault(key, []).append(value)

    def $verb(self, threshold: int = $threshold) -> list[str]:
        result = []
        for key, values in sorted(self._items.items()):
            total = sum(values)
            if total > threshold:
                result.append(f"{key}={total}")
            elif not values:
                self._log.debug("no values for %s", key)
        return result

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"$Name({self.source!r}, limit={self.limit})"
'''

COUNTING = '''
def $name(records: list[dict[str, object]], key: str = "$noun") -> dict[str, int]:
    """Count ${noun}s per `key`, skipping empty ones, most frequent first."""
    counts: dict[str, int] = {}
    for record in records:
        value = record.get(key)
        if value is None or value == "":
            continue
        label = str(value).strip().lower()
        counts[label] = counts.get(label, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
'''

READ_JSON = '''
def $name(path: Path, default: dict[str, object] | None = None) -> dict[str, object]:
    """Read a JSON $noun file, falling back to `default` when it is missing or broken."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return dict(default or {})
    except json.JSONDecodeError as error:
        logger.error("cannot parse %s: %s", path, error)
        return dict(default or {})
    finally:
        logger.debug("read %s", path)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected an object, got {type(data).__name__}")
    return data
'''

CHUNKS = '''
def $name(items: Iterable[str], size: int = $size) -> Iterator[list[str]]:
    """Yield ${noun}s in lists of `size`; the last one may be shorter."""
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ${name}_stats(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"count": 0, "mean": 0.0, "max": 0.0}
    mean = sum(values) / len(values)
    squares = [value * value for value in values]
    spread = {round(value - mean, 2) for value in values}
    return {
        "count": len(values),
        "mean": mean,
        "max": max(values),
        "rms": (sum(squares) / len(values)) ** 0.5,
        "distinct": float(len(spread)),
    }
'''

CONSTANTS = """
${NAME}_LIMITS = {
$entries
}
${NAME}_ORDER = $order
${NAME}_TIMEOUT = $timeout
"""

ENUM = """
class ${Name}State(Enum):
$members

    @classmethod
    def parse(cls, text: str) -> ${Name}State:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(f"unknown $noun state: {text!r}") from None
"""

GATHER = '''
async def $name(keys: list[str], retries: int = $retries) -> list[str]:
    """Fetch every $noun concurrently, retrying with a growing pause."""

    async def one(key: str) -> str:
        for attempt in range(retries):
            try:
                await asyncio.sleep(0.01 * attempt)
                return key.upper()
            except asyncio.TimeoutError:
                logger.info("retrying %s (%d)", key, attempt)
        return ""

    return list(await asyncio.gather(*(one(key) for key in keys)))
'''

REPORT = r"""
def $name(rows: list[tuple[str, int, float]], title: str = "$Noun report") -> str:
    width = max((len(name) for name, _, _ in rows), default=4)
    lines = [title, "=" * len(title)]
    for name, count, ratio in rows:
        lines.append("{:<{width}}  {:>6d}  {:6.1%}".format(name, count, ratio, width=width))
    mean = sum(row[2] for row in rows) / max(len(rows), 1)
    lines.append("total: %d rows, %.2f mean" % (len(rows), mean))
    return "\n".join(lines)
"""

STORE = '''
class ${Name}Store(ABC):
    """Where ${noun}s are kept between runs."""

    @abstractmethod
    def get(self, key: str) -> bytes | None: ...

    @abstractmethod
    def put(self, key: str, data: bytes) -> None: ...

    def get_or(self, key: str, default: bytes = b"") -> bytes:
        data = self.get(key)
        return default if data is None else data
'''

RETRY = '''
def ${name}_retrying(times: int = $retries, delay: float = 0.5) -> Callable[[F], F]:
    """Retry the decorated function on OSError, waiting a little longer each time."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for attempt in range(1, times):
                try:
                    return function(*args, **kwargs)
                except OSError as error:
                    logger.warning("attempt %d/%d failed: %s", attempt, times, error)
                    time.sleep(delay * attempt)
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
'''

REGEX = r"""
_${NAME}_PATTERN = re.compile(r"(?P<key>[a-z_]+)\s*=\s*(?P<value>[^;]+)")


def $name(text: str) -> dict[str, str]:
    return {m.group("key"): m.group("value").strip() for m in _${NAME}_PATTERN.finditer(text)}
"""

PLAIN_TEMPLATES = [
    DATACLASS, SERVICE, COUNTING, READ_JSON, CHUNKS, CONSTANTS,
    ENUM, GATHER, REPORT, STORE, RETRY, REGEX,
]  # fmt: skip


def plain_block(rng: Random, used: set[str]) -> str:
    """One random plain block, its names fresh within the file (`used`)."""
    name, noun, verb = snake(rng, used), rng.choice(NOUNS), rng.choice(VERBS)
    fields = rng.sample(FIELDS, rng.randint(2, 6))
    keys = rng.sample(NOUNS, 5)
    return fill(
        rng.choice(PLAIN_TEMPLATES),
        name=name, NAME=name.upper(), Name=pascal(rng, used), noun=noun, Noun=noun.title(),
        verb=verb, Verb=verb.title(), other=rng.choice(NOUNS),
        fields="\n".join(f"    {field}: {kind} = {default}" for field, kind, default in fields),
        first=fields[0][0], second=fields[1][0],
        entries="\n".join(f'    "{key}": {rng.randint(1, 900)},' for key in keys),
        order=tuple(keys[:3]),
        members="\n".join(f'    {a.upper()} = "{a}"' for a in rng.sample(ADJECTIVES, 4)),
        limit=rng.choice([64, 128, 1000]), threshold=rng.randint(0, 99),
        size=rng.choice([10, 50, 100, 500]), retries=rng.randint(2, 6),
        timeout=rng.choice([1.5, 10.0, 30.0]),
    )  # fmt: skip
