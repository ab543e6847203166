"""What a module's bytes may hold, read without parsing them: an import of a client library
(without one in the whole project, the index is not built: `build.plan_index`) and a site the
index starts from (without one, a module in reach of a W&B signal is no seed:
`build.plan_index`, `build.EarlyJobs`). Both err towards yes: text that merely reads like an
import or a call (in a string, a comment) counts, so a wrong answer costs time, never a
finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Final


def absolute_module(named: str, package: str) -> str:
    """The absolute name of an import's module, written in `package`."""
    dots = len(named) - len(named.lstrip("."))
    if not dots:
        return named
    parts = package.split(".") if package else []
    base = parts[: max(0, len(parts) - (dots - 1))]
    rest = named[dots:]
    return ".".join([*base, rest] if rest else base)


_GAP = rb"(?:[ \t\f]|\\\r?\n)"
"""What separates the words of one statement: blanks, a backslash continuation."""
IMPORTING: Final = re.compile(
    rb"\bfrom" + _GAP + rb"*(\.*)\Z"
    rb"|\bimport"
    + _GAP
    + rb"+(?:[\w.]+(?:"
    + _GAP
    + rb"+as"
    + _GAP
    + rb"+\w+)?"
    + _GAP
    + rb"*,"
    + _GAP
    + rb"*)*\Z"
)
"""The end of a statement's text up to a module's name when the name is the module an
import statement names: `from ..` (group 1: the dots), or `import a, b as c, `."""
FROM_MODULE: Final = re.compile(rb"\bfrom" + _GAP + rb"*\.*[\w.]*" + _GAP + rb"*\Z")
"""The text before a `from` import's `import`: the names after it are no modules."""
RELATIVE_IMPORT: Final = re.compile(rb"\bfrom" + _GAP + rb"*\.")
DOTTED: Final = re.compile(rb"[\w.]*")
LONGEST_IMPORT: Final = 4_000
"""Longer text before a name on its line is taken for an import of it, unread."""
AFTER_FROM_MODULE: Final = re.compile(_GAP + rb"*import\b")
AFTER_IMPORTED_MODULE: Final = re.compile(_GAP + rb"*(?:as\b|[,;#\r\n]|\Z)")
"""What follows the module's name in a `from` import, and in a plain import (the
statement's end, another name, or its alias): prose and comments mostly go on otherwise."""
FROM_NAMES: Final = re.compile(
    _GAP + rb"*(?:\(((?:#[^\n]*(?=\n|\Z)|[^)#])*)\)|((?:[^\n\\;#]|\\\r?\n)*))"
)
"""What a `from` import imports: a parenthesised list (comments in it too), or the rest
of the statement."""


@dataclass(frozen=True)
class _Followed:
    """The outside names the index takes for a client class or a library callable
    (`uses.ProjectUses`'s resolver: `openai.OpenAI`, the call-site table's names)."""

    names: frozenset[str]

    @cached_property
    def prefixes(self) -> frozenset[str]:
        """Each name and the modules on its way (`google`, `google.adk`, ...): what an
        import must bind for a name read through it to be one of them."""
        found: set[str] = set()
        for name in self.names:
            parts = name.split(".")
            found.update(".".join(parts[:end]) for end in range(1, len(parts) + 1))
        return frozenset(found)

    @cached_property
    def roots(self) -> frozenset[str]:
        return frozenset(name.split(".")[0] for name in self.names)


def _followed() -> _Followed:
    from lint_wb.analysis.sdk_names import CLIENT_CLASSES
    from lint_wb.spec import bundled_libraries

    table = bundled_libraries()
    return _Followed(frozenset({*CLIENT_CLASSES, *table.openai_client_classes(), *table.by_name()}))


def may_import_a_client_library(
    data: Mapping[str, bytes], packages: Mapping[str, str], first: Sequence[str] = ()
) -> bool:
    """Whether some module of the project may import a client library: the only way the
    index can find a client or a library call (`Resolver._external_call`: a callee resolved
    to an outside name, which only an import statement binds, rooted at the module it
    names, and which grows only by attributes read off it). Without one the index tells no
    file anything, and no module is summarised: a project that names W&B only for tracing
    (weave, `wandb.ai` links) costs its byte scan, and so does one that imports only
    another part of a package some library lives in (`from google import genai`: Google
    ADK's `LiteLlm` is a row). Generous: text that reads like such an import (in a string,
    a comment) counts. The modules `first` are looked at first: those that carry a W&B
    signal mostly import one."""
    followed = _followed()
    encoded = tuple(root.encode() for root in followed.roots)
    for module in dict.fromkeys([*first, *data]):
        text, package = data[module], packages[module]
        if package.split(".")[0] in followed.roots and RELATIVE_IMPORT.search(text):
            return True  # a relative import in a package named as a client library
        for root in encoded:
            if any(_imports_followed(text, at, package, followed) for at in _words(text, root)):
                return True
    return False


def words_of(data: bytes, word: bytes) -> Iterator[int]:
    """Where `word` stands in `data` as a name may end (`_words`)."""
    return _words(data, word)


def _words(data: bytes, word: bytes) -> Iterator[int]:
    """Where `word` stands in `data` not followed by a word character (`openai`, not
    `openai_helpers`), found at C speed (most modules that hold it hold no import of it)."""
    at = data.find(word)
    while at >= 0:
        end = at + len(word)
        if end == len(data) or not (data[end : end + 1].isalnum() or data[end] == 95):  # _
            yield at
        at = data.find(word, end)


def _imports_followed(data: bytes, at: int, package: str, followed: _Followed) -> bool:
    """Whether the name starting at `at` is the module an import statement names, and what
    the import binds (read in `package`) may lead to a name of `followed`: `import x.y`
    binds `x`; `from x.y import z` binds `x.y.z`."""
    start = _statement_start(data, at)
    if at - start > LONGEST_IMPORT:
        return True  # a long generated line (read again for each name in it): not read
    before = data[start:at]
    found = IMPORTING.search(before)
    if found is None:
        return False
    dots = found.group(1)
    named = DOTTED.match(data, at)
    assert named is not None  # (it matches the empty text too)
    if dots is None:  # `import x, name`: unless the names of `from m import x, name`
        if AFTER_IMPORTED_MODULE.match(data, named.end()) is None:
            return False
        return FROM_MODULE.search(before, 0, found.start()) is None
    after = AFTER_FROM_MODULE.match(data, named.end())
    if after is None:
        return False
    module = absolute_module((dots + named.group()).decode(errors="replace"), package)
    names = FROM_NAMES.match(data, after.end())
    if names is None:
        return module in followed.prefixes
    listed = names.group(1) if names.group(1) is not None else names.group(2)
    return any(
        f"{module}.{word.decode()}" in followed.prefixes for word in re.findall(rb"\w+", listed)
    )


def _statement_start(data: bytes, at: int) -> int:
    """Where the line of `at` starts, with the lines it continues (a backslash before the
    line break). (A lone `\\r` ends a line too, as for Python: the line read from here
    is then longer, which may only find an import that is not one.)"""
    end = at
    while True:
        start = data.rfind(b"\n", 0, end) + 1
        if start == 0:
            return 0
        line_break = start - 2 if data.endswith(b"\r\n", 0, start) else start - 1
        if not data.endswith(b"\\", 0, line_break):
            return start
        end = line_break - 1


_SPACE = rb"(?:\s|\\|#[^\n]*(?=\n|\Z))*"
"""What may stand between two tokens of an expression: blanks, line breaks and comments
(inside brackets), backslash continuations."""
CALLED: Final = re.compile(rb"(?:\s|\\|\)|#[^\n]*(?=\n|\Z))*\(")
"""What follows a callee's name up to its call's `(` (`(OpenAI)(...)` too)."""
RENAMED: Final = re.compile(_GAP + rb"+as\b")
"""What follows a name an import gives another name (`OpenAI as Maker`)."""
ASSIGNED: Final = re.compile(rb"=" + _GAP + rb"*(?:\w+" + _GAP + rb"*\." + _GAP + rb"*)*\Z")
"""What stands before a name an assignment gives another name (`Chat = ChatOpenAI`, `ask =
litellm.completion`), up to the name: `=` and the modules it is read through."""
GIVEN_BY_AS: Final = re.compile(_GAP + rb"+as" + _GAP + rb"+(\w+)")
"""A name's `as` in an import and the name it gives (group 1)."""
WORD: Final = re.compile(rb"[^\W\d]\w*")
"""A word that may be a name (no digit first)."""
STATEMENT_END: Final = re.compile(rb"[ \t]*(?:[#;\r\n]|\Z)")
"""What follows the last name of a statement."""
ASSIGNED_REACH: Final = 200
"""How far before a name `ASSIGNED` looks (a longer dotted name is taken for none)."""


RESOURCE_ALIAS: Final = re.compile(
    rb"\b(?:chat|completions)"
    + _SPACE
    + rb"\."
    + _SPACE
    + rb"(?:completions|create|parse|stream|with_raw_response|with_streaming_response)\b"
)
"""`completions.create`, `chat.completions`: a chat request read through a name for a
client's chat resource (`summary.RequestSite.through`; `.chat.completions` is an endpoint's
call already)."""


class SiteScan:
    """Whether a module's text may hold a site the index starts from (`uses.ProjectUses
    .index` reads them off a seed's summary, `summarize._Summarizer.visit_Call`): a call of
    a name that ends as a client class or a library callable does (`OpenAI(`, `x.LLM(`),
    or a call through an attribute named as a client's endpoint (`.chat`, `.embeddings`).
    A seed without one adds nothing to the index: it is summarised only if a value
    followed leads into it. A module that imports such a name under another name (`from
    openai import OpenAI as Maker`), or assigns it to another (`Chat = ChatOpenAI`), may
    call it by that name: it may hold one too."""

    def __init__(self, resources: frozenset[str]) -> None:
        from lint_wb.analysis.sdk_names import CHAT_PATHS, CLIENT_CLASSES
        from lint_wb.spec import bundled_libraries

        leaves = {*CLIENT_CLASSES.values(), *bundled_libraries().leaves()}
        self.leaves = tuple(sorted(leaf.encode() for leaf in leaves))
        self.endpoints = frozenset({path[0] for path in CHAT_PATHS} | resources)
        named = b"|".join(re.escape(name.encode()) for name in sorted(self.endpoints))
        self._endpoint = re.compile(rb"\." + _SPACE + rb"(?:" + named + rb")\b")

    def may_call_endpoint(self, data: bytes) -> bool:
        """Whether the text may call a client's endpoint (`.chat`, `.embeddings`, ...), or
        a chat request through a name another module may bind to a client's chat resource
        (`from llm import completions`, then `completions.create(...)`: `RESOURCE_ALIAS`)."""
        return (
            self._endpoint.search(data) is not None  # (from each `.`, at C speed)
            or RESOURCE_ALIAS.search(data) is not None
        )

    def may_hold(self, data: bytes) -> bool:
        if self.may_call_endpoint(data):
            return True
        return any(
            _called(data, at, len(leaf)) for leaf in self.leaves for at in _words(data, leaf)
        )

    def may_call_by_name(self, data: bytes) -> bool:
        """Whether the text may call a client class or a library callable by a bare name
        (`ChatOpenAI(`, not `x.ChatOpenAI(`), as a module calls one it imports."""
        return any(
            data[at - 1 : at] != b"." and _called(data, at, len(leaf))
            for leaf in self.leaves
            for at in _words(data, leaf)
        )

    def may_rename(self, data: bytes) -> bool:
        """Whether the text may give a client class or a library callable another name
        (`from openai import OpenAI as Maker`, `Chat = ChatOpenAI`), which other modules
        may import and call by that name."""
        return any(
            _renamed(data, at, len(leaf)) for leaf in self.leaves for at in _words(data, leaf)
        )

    def given_names(self, data: bytes) -> set[bytes]:
        """The names the text may give a client class or a library callable
        (`may_rename`): what other modules may import and call it by."""
        return names_given(data, self.leaves)


def names_given(data: bytes, names: Iterable[bytes]) -> set[bytes]:
    """The names the text may give any of `names` by an import's `as` (`OpenAI as Maker`:
    `Maker`) or an assignment of it alone (`Chat = ChatOpenAI`, `ask = litellm.completion`:
    every word before the `=`, `self.Chat: type` too). Generous: a word that is no name
    bound there can only be looked for in more modules."""
    given: set[bytes] = set()
    for name in names:
        for at in _words(data, name):
            if at and (data[at - 1 : at].isalnum() or data[at - 1] == 95):  # `_`
                continue
            end = at + len(name)
            alias = GIVEN_BY_AS.match(data, end)
            if alias is not None:
                given.add(alias.group(1))
                continue
            if STATEMENT_END.match(data, end) is None:
                continue
            assigned = ASSIGNED.search(data, max(0, at - ASSIGNED_REACH), at)
            if assigned is not None:
                target = data[_statement_start(data, at) : assigned.start()]
                given.update(WORD.findall(target))
    return given


def _renamed(data: bytes, at: int, length: int) -> bool:
    """Whether the name at `at` is given another name by an import's `as`, or is the whole
    value of an assignment (`Chat = ChatOpenAI`, not `chat = ChatOpenAI(...)`)."""
    if at and (data[at - 1 : at].isalnum() or data[at - 1] == 95):  # `_`
        return False
    end = at + length
    if RENAMED.match(data, end) is not None:
        return True
    if STATEMENT_END.match(data, end) is None:
        return False
    return ASSIGNED.search(data, max(0, at - ASSIGNED_REACH), at) is not None


def _called(data: bytes, at: int, length: int) -> bool:
    """Whether the name at `at` (`length` bytes long, not followed by a word character)
    is a whole name followed by a call's `(`, or by the `as` of an import that gives it
    another name to be called by, or assigned to another name."""
    if at and (data[at - 1 : at].isalnum() or data[at - 1] == 95):  # `_`
        return False
    end = at + length
    if CALLED.match(data, end) is not None or RENAMED.match(data, end) is not None:
        return True
    return ASSIGNED.search(data, max(0, at - ASSIGNED_REACH), at) is not None
