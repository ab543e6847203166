"""The text libcst parses: a module's top-level statements that can matter, the others
blanked.

libcst's parser is most of a run's cost, and most of the code of a file that makes a W&B
request has nothing to do with it. Python's own parser (`ast`, a fraction of libcst's cost)
finds the top-level statements; only those that can matter are kept verbatim, and every
character of the others becomes a space (line breaks stay; each line of a dropped stretch
but the last is a bare `\\`, so that libcst reads the stretch as one short blank line), so
the kept text has the original's lines, and each kept statement stands at the rows and
columns where it stood: positions and findings computed on it by row and column are the
original's (not its offsets: `engine.py` maps a fix's edit back by row and column).

Which statements can matter, decided from the module's text alone (the summary cache, the
index's node ordinals and a file linted alone all see the same text), conservatively:
- seeds: a statement whose text carries the vocabulary (`vocabulary()`: the W&B hosts,
  `wandb`, `openai`, the endpoint resources a request is written through, the library
  table's modules and callables, other providers' SDKs and key variables, the environment
  readers a fix imitates); the docstring, `from __future__` imports and the first statement
  after them; the first import (a fix adds its import before it) and every import of `os`
  (a fix that reads a key from the environment adds `import os` only when there is none);
  an import of anything else is kept only as the binder of a name a kept statement reads;
- then, to a fixed point, over module-global names (every identifier in a statement's text
  counts as read): the statements binding a name a kept statement reads (a constant, a
  factory), and the statements reading a name a kept statement binds (a factory's callers, a
  client's users, a list's mutations). A name bound by an import, or by a call of something
  imported (`logger = logging.getLogger(...)`), does not pull in its readers unless the
  import is of the vocabulary;
- the whole module when it reaches names by strings: `globals()`, `locals()`, `vars()`,
  `exec`, `eval`, `setattr`, `__getattr__`, `__dict__`, `import *`.

Statements sharing a line (`a = 1; b = 2`) are kept or dropped together. What the project
index may ask of a dropped statement (a name another module imports, a call of a function
of another module) is in `Partial.dropped`: the index then asks for the module whole.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import field
from functools import lru_cache
from typing import Final
from urllib.parse import urlsplit

from lint_wb.analysis.sdk_names import ENV_GETTERS, PARTIAL_LEAF
from lint_wb.lines import line_starts
from lint_wb.pieces import Piece, read_definition
from lint_wb.records import dataclass

DYNAMIC_CALLS: Final = ("globals", "locals", "vars", "exec", "eval", "setattr")
DYNAMIC_NAMES: Final = ("__getattr__", "__dict__")
"""A module that calls one of these (not as a method) or names one of these reaches its
globals by strings: it is kept whole (so is one with `import *`)."""
STAR_IMPORT: Final = re.compile(r"import[ \t\\(\r\n]*\*")
"""`import *` (`import` standing as a word of its own: see `_star_import`). A pattern that
starts with `\\b` is tried at every character; one that starts with a word is looked for."""
WORD_CHARACTER: Final = re.compile(r"\w")
ALWAYS_WORDS: Final = ("model", "messages", "base_url", "api_key", "environ", "getenv")
"""Words of a request or a client in any library, and the environment readers whose first
use a fix imitates (`rules/client_keys.KeyReader`)."""
IDENTIFIER: Final = re.compile(r"[^\W\d]\w*")
NOT_A_WORD: Final = bytes(
    code if code < 128 and (chr(code).isalnum() or chr(code) == "_") else ord(" ")
    for code in range(256)
)
"""A table for `bytes.translate`: every ASCII byte that is not a word character (`\\w`)
made a space (`identifiers` reads ASCII text only through it). `bytes.translate` looks each
byte up in this table; `str.translate` with a mapping costs four times as much."""
PARTIAL_IMPORT: Final = f"functools.{PARTIAL_LEAF} "
"""How `_read_import` writes an import of `functools.partial`, whatever name it binds."""
TRAILER: Final = re.compile(r"[ \t\f;\\]*")
"""What may follow a statement on its last line before a comment: blanked with it."""
LINE_BREAK: Final = re.compile(r"(\r\n|\r|\n)")
LINE_TEXT: Final = re.compile(r"[^\n]+")
"""A line's characters, in a text whose only line breaks are `\\n`."""
ENV_ROOTS: Final = frozenset(getter.split(".")[0] for getter in ENV_GETTERS)
"""What the environment readers a fix writes (`os.environ[...]`) are read from: `os`."""


@dataclass(frozen=True)
class Vocabulary:
    """What makes a statement a seed: a fragment anywhere in its text (lower case: matched
    in any case), or an identifier."""

    fragments: tuple[str, ...]
    words: frozenset[str]
    _imports: dict[str, bool] = field(init=False, repr=False, compare=False, default_factory=dict)
    """What `of_import` found for each import source seen."""
    _pattern: list[re.Pattern[str]] = field(
        init=False, repr=False, compare=False, default_factory=list
    )
    """The fragments as one pattern, made at the first search: a statement is searched once,
    not once per fragment (every top-level statement of every module read is searched)."""
    _readings: dict[str, _Reading] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    """What `_read_unit` read of each short one-statement unit, by its text (`_Reading`)."""

    def in_text(self, lowered: str, start: int = 0, end: int | None = None) -> bool:
        """Whether a fragment stands in `lowered[start:end]` (`lowered` in lower case)."""
        if not self.fragments:
            return False
        if not self._pattern:
            self._pattern.append(re.compile("|".join(map(re.escape, self.fragments))))
        stop = len(lowered) if end is None else end
        return self._pattern[0].search(lowered, start, stop) is not None

    def seeds(self, identifiers: set[str], lowered: str, start: int, end: int) -> bool:
        """Whether a statement with these identifiers at `lowered[start:end]` is a seed."""
        return not identifiers.isdisjoint(self.words) or self.in_text(lowered, start, end)

    def of_import(self, source: str) -> bool:
        """Whether an import's source (`module.name alias`) is of the vocabulary; the same
        imports recur in every module of a tree, so each is read once."""
        known = self._imports.get(source)
        if known is None:
            known = self.in_text(source.lower()) or not self.words.isdisjoint(
                IDENTIFIER.findall(source)
            )
            self._imports[source] = known
        return known


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The seeds' vocabulary, from the SDK's names and the bundled spec data: made once and
    kept with the compiled specs (`spec/compiled.py`), so that a run reads neither the data
    files nor the spec's classes for it."""
    from lint_wb.analysis import sdk_names
    from lint_wb.spec.compiled import compiled_strings

    code = (__file__, sdk_names.__file__)
    fragments, words = compiled_strings("vocabulary", _vocabulary_strings, code, parts=2)
    return Vocabulary(fragments, frozenset(words))


def _vocabulary_strings() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The vocabulary's fragments and words, from the SDK's names and the bundled spec data."""
    from lint_wb.analysis.sdk_names import BASE_URL_VARIABLE, CHAT_PATHS, CLIENT_CLASSES
    from lint_wb.spec import bundled_libraries
    from lint_wb.spec.loader import bundled_api

    api = bundled_api()
    hosts = [urlsplit(url).hostname or "" for url in (api.base_url, *api.other_wandb_base_urls)]
    fragments = {"wandb", "openai", *(_domain(host) for host in (*hosts, *api.near_miss_hosts))}
    words = set(ALWAYS_WORDS) | {BASE_URL_VARIABLE, api.porting.wandb_key_variable}
    words |= {part for path in CHAT_PATHS for part in path} | set(CLIENT_CLASSES.values())
    words |= {part for endpoint in api.unsupported_endpoints for part in endpoint.split(".")}
    for qualified, sdk in api.porting.provider_sdks.items():
        words |= {*qualified.split("."), sdk.key_variable}
    words |= set(api.shapes.legacy_api.classes) | set(api.shapes.legacy_api.settings)
    libraries = bundled_libraries()
    words |= set(libraries.module_roots()) | set(libraries.leaves())
    for row in libraries.callables:
        words |= {part for name in (*row.names, *row.legacy_names) for part in name.split(".")}
    fragments.discard("")
    # a fragment that holds another (`wandb.`, `wandb`) is found where the other is
    fragments = {f for f in fragments if not any(o != f and o in f for o in fragments)}
    return tuple(sorted(fragments)), tuple(sorted(word for word in words if word))


def _domain(host: str) -> str:
    """`api.inference.wandb.ai` -> `wandb.`, the part of a host the prefilter looks for."""
    parts = [part for part in host.split(".") if part]
    return f"{parts[-2]}." if len(parts) >= 2 else host


@dataclass(frozen=True)
class Partial:
    """What libcst is given for a module, and what `ast` read of it."""

    text: str
    """The original with every dropped statement blanked: the same lines, each kept statement
    at its rows and columns (a blanked line is shorter: offsets differ)."""
    tree: ast.Module | None
    """The kept top-level statements as `ast` read them (positions valid in both texts);
    None when `ast` was not asked."""
    kept: int
    """How many top-level statements are kept, of `total`."""
    total: int
    dropped: frozenset[str] = frozenset()
    """The identifiers written in the dropped statements."""

    @property
    def whole(self) -> bool:
        return self.kept == self.total


@dataclass
class _Unit:
    """Top-level statements that share lines, kept or dropped together."""

    statements: list[ast.stmt]
    """Its statements (none when the module is read in chunks: only what follows is kept)."""
    start: int
    """Offset of the start of its first line."""
    end: int = 0
    """Offset just past its last statement."""
    words: set[str] = field(default_factory=set)
    """Every identifier in its text: what it may read."""
    seed: bool = False
    head: bool = False
    """A docstring (the module's first statement) or a `from __future__` import."""
    binds: set[str] = field(default_factory=set)
    """The module-global names it binds."""
    imports: dict[str, bool] = field(default_factory=dict)
    """The names its module-level imports bind -> whether the import is of the vocabulary,
    or is `functools.partial` under any name (`partial as bind`: a call of what `bind(f,
    ...)` binds is a call of `f`, whose readers matter; `_call_root` knows only the name
    `partial`)."""
    import_line: bool = False
    """It holds a top-level import other than `from __future__` (`rules/imports.with_import`
    puts a fix's import before the first)."""
    fix_import: bool = False
    """It imports the vocabulary or `os`: a fix looks such an import up (`imported_as`)."""
    made: list[tuple[set[str], str | None]] = field(default_factory=list)
    """Each statement's bindings and the name the call it assigns starts from (`_call_root`)."""
    forward: set[str] = field(default_factory=set)
    """The names it binds whose readers matter once it is kept."""
    count: int = 1
    """How many statements it holds."""
    piece: Piece | None = None
    """A definition read off its compiled code: its statement is read when it is kept."""


def partial_text(text: str, tree: ast.Module, words: Vocabulary | None = None) -> Partial:
    """The statements of `tree` (the `ast` of `text`) that can matter, the rest blanked."""
    return _partial(text, [(0, tree)], words or vocabulary(), tree)


def partial_in_chunks(
    text: str, chunks: Iterable[tuple[int, ast.Module]], words: Vocabulary | None = None
) -> Partial:
    """`partial_text` of a text `ast` read in chunks, each (lines before it, its tree), so
    that only one chunk's tree is held at a time. The partial's `tree` is None."""
    return _partial(text, chunks, words or vocabulary(), None)


def partial_of_pieces(
    text: str, pieces: Iterable[Piece], words: Vocabulary | None = None
) -> Partial | None:
    """`partial_text` of a text cut into its top-level statements (`pieces.py`): a
    definition compiled alone is read off its code, and by `ast` only when it is kept; the
    other pieces off their `ast`. None when `ast` cannot read a kept definition. Not for a
    text that `is_dynamic` (it is kept whole)."""
    words = words or vocabulary()
    lines = _LineStarts(text)
    lowered = text.lower()
    units: list[_Unit] = []
    for piece in pieces:
        if piece.tree is None:
            units.append(_definition_unit(piece, text, lowered, lines, words))
            continue
        found = _units(piece.tree.body, lines, 0)
        for unit in found:
            _read_unit(unit, text, lowered, words, first=True)
        units.extend(found)
    try:
        return _selected(text, units, None, statements=True)
    except _Unread:
        return None


class _Unread(Exception):
    """`ast` could not read a kept definition."""


def _definition_unit(
    piece: Piece, text: str, lowered: str, lines: _LineStarts, words: Vocabulary
) -> _Unit:
    """The unit of a function or class that `pieces.py` read off its code: it binds its
    name alone (a definition with `global` or `:=` is read off `ast`); its statement is
    read when it is kept."""
    definition = piece.definition
    assert definition is not None
    end = lines.offset(definition.end_line, definition.end_column)
    unit = _Unit([], piece.start, end, piece=piece)
    unit.words = identifiers(text, unit.start, unit.end)
    unit.seed = words.seeds(unit.words, lowered, unit.start, unit.end)
    unit.binds = {definition.name}
    unit.made.append(({definition.name}, None))
    return unit


def identifiers(text: str, start: int, end: int) -> set[str]:
    """The identifiers in `text[start:end]`: `set(IDENTIFIER.findall(text, start, end))`.

    Every identifier of every statement of a module read is collected, most of them in
    functions that selection drops (their names are the partial's `dropped`). On ASCII text
    (nearly all code) the words are split off in one pass (`NOT_A_WORD`), three times as fast
    as the pattern, which tries each character: a run of word characters holds one
    identifier, from its first character that is not a digit (`0x1f` holds `x1f`)."""
    piece = text[start:end]
    if not piece.isascii():
        return set(IDENTIFIER.findall(piece))
    words = set(piece.encode("ascii").translate(NOT_A_WORD).decode("ascii").split())
    numbers = [word for word in words if word[0] <= "9"]  # a digit (the rest are letters, `_`)
    for number in numbers:
        words.discard(number)
        if found := number.lstrip("0123456789"):
            words.add(found)
    return words


def _partial(
    text: str,
    chunks: Iterable[tuple[int, ast.Module]],
    words: Vocabulary,
    tree: ast.Module | None,
) -> Partial:
    if is_dynamic(text):
        return whole(text, tree, _count(chunks))
    lines = _LineStarts(text)
    lowered = text.lower()
    units: list[_Unit] = []
    for line, chunk in chunks:
        found = _units(chunk.body, lines, line)
        for unit in found:
            _read_unit(unit, text, lowered, words, first=not units)
            if tree is None:
                unit.statements = []
        units.extend(found)
    return _selected(text, units, tree, statements=tree is not None)


def _selected(
    text: str, units: Sequence[_Unit], tree: ast.Module | None, *, statements: bool
) -> Partial:
    """The partial of the kept units (`tree`: the whole text's, or None; `statements`:
    whether the partial's tree is made of the kept units' statements)."""
    total = sum(unit.count for unit in units)
    kept = _select(units)
    if all(kept):
        if tree is None and statements:
            tree = ast.Module(body=_statements(text, units), type_ignores=[])
        return whole(text, tree, total)
    dropped = [unit for unit, keep in zip(units, kept) if not keep]
    kept_tree = None
    if statements:
        body = _statements(text, [unit for unit, keep in zip(units, kept) if keep])
        kept_tree = ast.Module(body=body, type_ignores=[])
    return Partial(
        _blank(text, dropped),
        kept_tree,
        sum(unit.count for unit, keep in zip(units, kept) if keep),
        total,
        frozenset().union(*(unit.words for unit in dropped)),
    )


def _statements(text: str, units: Sequence[_Unit]) -> list[ast.stmt]:
    """The units' statements, a definition's read now (raises `_Unread` when it cannot be)."""
    body: list[ast.stmt] = []
    for unit in units:
        if unit.piece is not None:
            read = read_definition(text, unit.piece)
            if read is None:
                raise _Unread
            body.extend(read)
        else:
            body.extend(unit.statements)
    return body


def whole(text: str, tree: ast.Module | None, total: int) -> Partial:
    return Partial(text, tree, total, total)


def _count(chunks: Iterable[tuple[int, ast.Module]]) -> int:
    return sum(len(chunk.body) for _, chunk in chunks)


def is_dynamic(text: str) -> bool:
    """Whether the module may reach its globals by strings (`DYNAMIC_CALLS`, ...)."""
    if any(name in text for name in DYNAMIC_NAMES):
        return True
    if "*" in text and "import" in text and _star_import(text):
        return True
    return any(_called(text, name) for name in DYNAMIC_CALLS)


def _star_import(text: str) -> bool:
    """Whether `import *` stands in the text, `import` not the end of a longer word."""
    for match in STAR_IMPORT.finditer(text):
        start = match.start()
        if not start or WORD_CHARACTER.match(text, start - 1) is None:
            return True
    return False


def _called(text: str, name: str) -> bool:
    """Whether `name(` stands in the text as a name of its own (not `x.name(`, `my_name(`)."""
    found = text.find(name)
    while found >= 0:
        before = text[found - 1] if found else " "
        after = text[found + len(name) : found + len(name) + 40].lstrip(" \t")
        if not (before.isalnum() or before in "._") and after.startswith("("):
            return True
        found = text.find(name, found + 1)
    return False


class _LineStarts:
    """Character offsets of line starts, with the line breaks Python's tokenizer knows."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)

    def offset(self, line: int, byte_column: int) -> int:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        row = self.text[start:end]
        if row.isascii():
            return start + byte_column
        return start + len(row.encode("utf-8")[:byte_column].decode("utf-8", errors="replace"))


def _units(body: Sequence[ast.stmt], lines: _LineStarts, before: int) -> list[_Unit]:
    """The units of a chunk's statements; `before`: the lines of the text before the chunk."""
    units: list[_Unit] = []
    last_line = 0
    for statement in body:
        first = _first_line(statement) + before
        if units and first <= last_line:
            units[-1].statements.append(statement)
            units[-1].count += 1
        else:
            units.append(_Unit([statement], lines.starts[first - 1]))
        last_line = (statement.end_lineno or statement.lineno) + before
        units[-1].end = lines.offset(last_line, statement.end_col_offset or 0)
    return units


def _first_line(statement: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(statement, "decorator_list", None) or []
    if not decorators:
        return statement.lineno  # most statements: no decorator line before theirs
    return min([statement.lineno, *(decorator.lineno for decorator in decorators)])


MAX_READING_KEY: Final = 200
"""The longest unit text whose reading is kept (`_Reading`)."""
MAX_READINGS: Final = 4096
"""How many readings a vocabulary keeps (the commonest come first: a run's first modules)."""


@dataclass(frozen=True)
class _Reading:
    """What `_read_unit` reads of a unit of one statement, all of it a function of the unit's
    text: the same lines (`import os`, `from typing import Any`, `logger = ...`) start most
    modules of a tree, and each was read again in every module (a third of the selection's
    time on a tree of small W&B modules). Not kept: `head`, which depends on where the unit
    stands. The sets are shared by every unit read from this reading: selection only reads
    them."""

    words: set[str]
    seed: bool
    binds: set[str]
    imports: dict[str, bool]
    import_line: bool
    fix_import: bool
    root: str | None


def _read_unit(unit: _Unit, text: str, lowered: str, words: Vocabulary, first: bool) -> None:
    """What selection needs of a unit, read while its statements are at hand; a short unit of
    one statement from its earlier reading when a module read before had the same text
    (`_Reading`). `lowered` must have `text`'s length for that (each character lowered to
    one: `lowered[start:end]` is then the unit's text lowered, as a fresh read sees it)."""
    start, end = unit.start, unit.end
    key = None
    if unit.count == 1 and end - start <= MAX_READING_KEY and len(lowered) == len(text):
        key = text[start:end]
        known = words._readings.get(key)
        if known is not None:
            _take_reading(unit, known, first)
            return
    _read_unit_anew(unit, text, lowered, words, first)
    if key is not None and len(words._readings) < MAX_READINGS:
        binds, root = unit.made[0]
        words._readings[key] = _Reading(
            unit.words, unit.seed, binds, unit.imports, unit.import_line, unit.fix_import, root
        )


def _take_reading(unit: _Unit, known: _Reading, first: bool) -> None:
    unit.words = known.words
    unit.seed = known.seed
    unit.head = _is_head(unit.statements[0], first)
    unit.binds = set(known.binds)
    unit.imports = dict(known.imports)
    unit.import_line = known.import_line
    unit.fix_import = known.fix_import
    unit.made.append((known.binds, known.root))


def _read_unit_anew(unit: _Unit, text: str, lowered: str, words: Vocabulary, first: bool) -> None:
    start, end = unit.start, unit.end
    unit.words = found = identifiers(text, start, end)
    unit.seed = words.seeds(found, lowered, start, end)
    unit.head = _is_head(unit.statements[0], first)
    deep = "global" in found or text.find(":=", start, end) >= 0
    for statement in unit.statements:
        imports: dict[str, str] = {}
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            binds: set[str] = set()  # an import binds its names only, and calls nothing
            _read_import(statement, binds, imports)
            root = None
            if isinstance(statement, ast.Import) or statement.module != "__future__":
                unit.import_line = True
        else:
            binds, imports = _module_names(statement, deep)
            root = _call_root(statement)
        unit.binds |= binds
        for name, source in imports.items():
            of_vocabulary = words.of_import(source)
            follows = of_vocabulary or source.startswith(PARTIAL_IMPORT)
            unit.imports[name] = unit.imports.get(name, False) or follows
            unit.fix_import = unit.fix_import or of_vocabulary or _imports_os(source)
        unit.made.append((binds, root))


def _select(units: Sequence[_Unit]) -> list[bool]:
    kept = [unit.seed or unit.fix_import for unit in units]
    first_import = next((n for n, unit in enumerate(units) if unit.import_line), None)
    if first_import is not None:
        kept[first_import] = True
    imported: dict[str, bool] = {}
    """Names bound by imports -> whether some import of the name is of the vocabulary."""
    for unit in units:
        for name, of_vocabulary in unit.imports.items():
            imported[name] = imported.get(name, False) or of_vocabulary
    for unit in units:
        for binds, root in unit.made:
            if root is None or imported.get(root) is not False:
                unit.forward |= {name for name in binds if imported.get(name, True)}
    _keep_the_head(units, kept)
    _close(units, kept)
    return kept


@lru_cache(maxsize=4096)
def _imports_os(source: str) -> bool:
    """Whether an import (`module.name alias`, as `_read_import` writes it) brings in `os` or
    a name of it: what the environment readers a fix writes are qualified from."""
    qualified = source.split(" ", 1)[0].lstrip(".")
    return qualified.split(".", 1)[0] in ENV_ROOTS


def _is_future(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.ImportFrom) and statement.module == "__future__"


def _call_root(statement: ast.stmt) -> str | None:
    """`logging` of `logger = logging.getLogger(...)`: the name an assigned call starts
    from. When that name is a plain import, nothing here can follow the value, so the
    readers of what the statement binds do not matter. A `partial(f, ...)` starts from `f`:
    a call of the name bound to it is a call of `f` (`ask = partial(client.chat.completions.
    create, ...)`, then `ask(temperature=3)`, a request with no word of one)."""
    value = statement.value if isinstance(statement, (ast.Assign, ast.AnnAssign)) else None
    if not isinstance(value, ast.Call):
        return None
    root = value.func
    leaf = root.attr if isinstance(root, ast.Attribute) else getattr(root, "id", None)
    if leaf == PARTIAL_LEAF and value.args and not isinstance(value.args[0], ast.Starred):
        root = value.args[0]
    while isinstance(root, (ast.Attribute, ast.Call)):
        root = root.value if isinstance(root, ast.Attribute) else root.func
    return root.id if isinstance(root, ast.Name) else None


def _module_level(statement: ast.stmt) -> Iterator[ast.stmt]:
    """The statement and the statements in its blocks, not those in a function or class."""
    stack: list[ast.stmt] = [statement]
    while stack:
        node = stack.pop()
        yield node
        if type(node) in SCOPES or type(node) in SIMPLE:
            continue
        for name in ("body", "orelse", "finalbody"):
            stack.extend(getattr(node, name, ()))
        for handler in getattr(node, "handlers", ()):
            stack.extend(handler.body)
        for case in getattr(node, "cases", ()):
            stack.extend(case.body)


SCOPES: Final = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
SIMPLE: Final = frozenset(
    {ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Import, ast.ImportFrom}
    | {ast.Return, ast.Pass, ast.Delete, ast.Raise, ast.Assert, ast.Global, ast.Nonlocal}
    | {ast.Break, ast.Continue}
)
"""Statements that hold no block (the commonest at module level): nothing to look into."""


def _module_names(statement: ast.stmt, deep: bool) -> tuple[set[str], dict[str, str]]:
    """The module-global names a top-level statement binds, and those of them its
    module-level imports bind -> what each imports (`module.name alias`).

    Bindings are counted generously: when `deep` (the text has `global` or `:=`), a name a
    function in it declares `global` and any `:=` target count too."""
    names: set[str] = set()
    imports: dict[str, str] = {}
    for node in _module_level(statement):
        kind = type(node)
        if kind in SCOPES:
            names.add(node.name)  # type: ignore[attr-defined]
        elif kind is ast.Import or kind is ast.ImportFrom:
            _read_import(node, names, imports)  # type: ignore[arg-type]
        else:
            for target in _targets(node):
                if type(target) is ast.Name:
                    names.add(target.id)
                else:
                    names |= {name for part in ast.walk(target) for name in _bound_by(part)}
            for handler in getattr(node, "handlers", ()):
                if handler.name:
                    names.add(handler.name)
    if deep:
        for part in ast.walk(statement):
            if isinstance(part, ast.Global):
                names |= set(part.names)
            elif isinstance(part, ast.NamedExpr) and isinstance(part.target, ast.Name):
                names.add(part.target.id)
    return names, imports


def _read_import(
    node: ast.Import | ast.ImportFrom, names: set[str], imports: dict[str, str]
) -> None:
    module = (node.module or "") if isinstance(node, ast.ImportFrom) else ""
    for alias in node.names:
        local = (alias.asname or alias.name).split(".")[0]
        names.add(local)
        imports[local] = f"{module}.{alias.name} {alias.asname or ''}"


def _bound_by(target: ast.AST) -> Iterator[str]:
    """The name a part of an assignment target or a `case` pattern binds, if any."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.MatchAs, ast.MatchStar)) and target.name:
        yield target.name
    elif isinstance(target, ast.MatchMapping) and target.rest:
        yield target.rest


def _targets(node: ast.stmt) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
        return [node.target]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [item.optional_vars for item in node.items if item.optional_vars is not None]
    if isinstance(node, ast.Delete):
        return list(node.targets)
    if isinstance(node, ast.Match):
        return [case.pattern for case in node.cases]
    return []


def _keep_the_head(units: Sequence[_Unit], kept: list[bool]) -> None:
    """The docstring, `from __future__` imports and the first statement after them (where
    `rules/imports.with_import` puts an import when the module has none)."""
    position = 0
    while position < len(units) and units[position].head:
        kept[position] = True
        position += 1
    if position < len(units):
        kept[position] = True


def _is_head(statement: ast.stmt, first: bool) -> bool:
    if first and isinstance(statement, ast.Expr):
        return isinstance(statement.value, ast.Constant)
    return _is_future(statement)


def _close(units: Sequence[_Unit], kept: list[bool]) -> None:
    """Keep, to a fixed point, the binders of what kept statements read and the readers of
    what they bind."""
    binders: dict[str, list[int]] = {}
    readers: dict[str, list[int]] = {}
    forward = {name for unit in units for name in unit.forward}
    for position, unit in enumerate(units):
        for name in unit.binds:
            binders.setdefault(name, []).append(position)
        for name in unit.words & forward:
            readers.setdefault(name, []).append(position)
    pending = [position for position, keep in enumerate(kept) if keep]
    while pending:
        unit = units[pending.pop()]
        found = [b for name in unit.words & binders.keys() for b in binders[name]]
        found += [r for name in unit.forward for r in readers.get(name, ())]
        for position in found:
            if not kept[position]:
                kept[position] = True
                pending.append(position)


def _blank(text: str, dropped: Sequence[_Unit]) -> str:
    """`text` with the dropped units blanked (`_blanked`), each with a `;` or `\\` left after
    it on its last line; line breaks stay. Units on consecutive lines are blanked as one."""
    pieces: list[str] = []
    last = 0
    for start, end in _regions(text, dropped):
        pieces.append(text[last:start])
        pieces.append(_blanked(text[start:end], ends_line=text[end : end + 1] in ("", "\r", "\n")))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _regions(text: str, dropped: Sequence[_Unit]) -> Iterator[tuple[int, int]]:
    """The stretches of text the dropped units blank: a unit with its trailer, joined with
    the next unit when that starts on the very next line (nothing but a line break between)."""
    start = end = -1
    for unit in dropped:
        if start >= 0 and not _next_line_starts(text, end, unit.start):
            yield start, end
            start = -1
        if start < 0:
            start = unit.start
        end = _past_trailer(text, unit.end)
    if start >= 0:
        yield start, end


def _next_line_starts(text: str, end: int, start: int) -> bool:
    """Whether `start` is where the line after the one `end` stops at begins."""
    return text[end:start] in ("\n", "\r\n")


def _blanked(piece: str, ends_line: bool) -> str:
    """`piece` (whole lines but maybe the last) for libcst: each line the piece goes on after
    a bare `\\` (when it had a character and ends in `\\n` or `\\r\\n`; a line before a
    lone `\\r` becomes spaces, an empty line stays empty), and its last line a single space
    when nothing follows it on its line (`ends_line`), else spaces as long as it was (a
    comment after it keeps its column). The joined lines are one blank line to libcst (one
    `EmptyLine`, its whitespace all of them), where lines of spaces make an `EmptyLine`, a
    `Newline` and a `SimpleWhitespace` each, and every character costs libcst's tokenizer:
    a large share of libcst's time on a file whose functions are mostly dropped. The last
    line ends the blank line: the text after it stands as it did. A blanked line keeps no
    column of the original; no kept statement stands on one (statements sharing a line are
    kept or dropped together), and a line of spaces or a bare `\\` is what an edit may not
    leave (`engine._check_partial`)."""
    if "\r" not in piece:
        return _blanked_lines(piece, ends_line)
    parts = LINE_BREAK.split(piece)
    last = len(parts) - 1
    for index in range(0, last, 2):
        line = parts[index]
        if line and parts[index + 1] != "\r":
            parts[index] = "\\"
        elif line:
            parts[index] = " " * len(line)
    if parts[last]:
        parts[last] = " " if ends_line else " " * len(parts[last])
    return "".join(parts)


def _blanked_lines(piece: str, ends_line: bool) -> str:
    """`_blanked` of a piece whose lines all end in `\\n`: each line that has a character
    becomes a bare `\\` in one substitution (`LINE_TEXT`), not a step per line (on a tree of
    W&B modules most of whose functions are dropped, the per-line loop was a sixth of the
    selection's instructions)."""
    head, newline, last = piece.rpartition("\n")
    if last:
        last = " " if ends_line else " " * len(last)
    return (LINE_TEXT.sub(r"\\", head) + newline if newline else "") + last


def _past_trailer(text: str, end: int) -> int:
    match = TRAILER.match(text, end)
    return match.end() if match else end
