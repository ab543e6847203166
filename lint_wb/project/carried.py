"""Which modules a W&B signal reaches through what they import (`build._plan_project`'s
reach; SPEC §9: a file is parsed when it "imports a module of the project that does" carry
a signal).

An importer gets W&B code or values from a module only through the names it imports from it
(a client, a factory, a URL, key or model, a settings object or class holding them, a
re-export of those), or through state the module changes when it runs (`os.environ`,
`openai.base_url = ...`, a default client). Read from bytes alone, without a parse:
- a module's top-level statements are the runs of lines cut where a line starts with code at
  column 0 (`_statements`); a statement *carries* when it holds a W&B signal (a root's,
  `signal`) or a word that carries there: a name the module imports that carries where it
  comes from, or a name a carrying statement of the module binds (to a fixed point);
- an importer is in reach when it imports a carrying name (`from settings import URL`), the
  module whole (`import settings`, `from app import settings`) when anything there carries,
  or all its names (`from settings import *`, which pass on what carries);
- a carrying statement that may change what other modules see without importing a name
  (`StatementFacts.may_change`: a call or a store run at import, `os.environ`, a decorator) makes
  every module that imports its module, directly or through others, reach as before.
Generous throughout: a statement cut in the wrong place, a word taken for a name it binds,
a line taken for a change of state only add modules. Marimo (2,233 files): its settings
module names W&B and the package imports it through its server, so all 1,902 of its modules
imported it; six get something W&B from it.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final, NamedTuple

from lint_wb.project.source_scan import absolute_module
from lint_wb.reach import reached
from lint_wb.records import dataclass

EVERY_NAME: Final = "*"
"""In a module's carrying names: all of them carry (a change of state, `__getattr__`, an
import the reader could not place)."""

GOES_ON: Final = re.compile(rb"(?:else|elif|except|finally)\b")
"""A line at column 0 that goes on with the statement before it."""
WORD: Final = re.compile(rb"[^\W\d]\w*")
DEFINITION: Final = re.compile(rb"[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)")
DECORATOR: Final = re.compile(rb"[ \t]*@")
STATE_WORDS: Final = re.compile(
    rb"\benviron\s*(?:\[[^\]\n]*\]\s*=(?!=)|\.\s*(?:setdefault|update|__setitem__)\b|\|=)"
    rb"|\b(?:putenv|setattr|set_default\w*)\b"
)
"""A change another module sees without importing a name, whatever it is given: the
environment (the SDK reads `OPENAI_BASE_URL`), an attribute set by name, the Agents SDK's
default client."""


DEFINITIONS: Final = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Statement:
    """One top-level statement: its text and the words it holds."""

    text: bytes
    words: frozenset[bytes]

    @property
    def binds(self) -> frozenset[bytes]:
        """The names it may bind (`StatementFacts.bound`); read only of a statement that
        carries."""
        return statement_facts(self.text).bound(self.words)


class StatementFacts(NamedTuple):
    """What the reach asks of one statement's `ast` (`statement_facts`), read once: the names
    it binds, and whether it may change state (`may_change`) as sets of words. A
    function of the statement's text alone (and lint-wb's code): kept by that text from one
    run to the next (`carried_facts.py`), so that a run whose reach reads hundreds of W&B
    modules (lint-wb's own checkout, with its fixtures) parses only the statements it has not
    seen. (A tuple: the kept table loads thousands.)"""

    parses: bool
    """Whether the statement parses alone (a piece cut inside a string does not)."""
    binds: frozenset[bytes]
    """The names it binds (`_bound_names`), when it parses."""
    always_changes: bool
    """It may change state whatever carries: it does not parse alone, or its running text
    names the environment or a setter (`STATE_WORDS`)."""
    changes_with: tuple[frozenset[bytes], ...]
    """Else it may change state when it holds a signal or carries one of the words of any
    of these (`_changes`: the names and attributes each running statement or calling
    header holds)."""

    def bound(self, words: frozenset[bytes]) -> frozenset[bytes]:
        """The names the statement may bind: every word of it (`words`) when it does not
        parse alone (cut in the wrong place)."""
        return self.binds if self.parses else words

    def may_change(self, carrying: set[bytes], signalled: bool) -> bool:
        """Whether the statement, carrying the words `carrying` (`signalled`: holding a
        signal), may change, when its module runs, what another module sees without
        importing a name from it (`os.environ[...] = URL`, `openai.base_url = URL`,
        `configure(URL)`): a statement that runs at import (not a definition, an import, a
        string, an `if __name__ == "__main__":` block) with a carrying word in a store other
        than to a plain name, in an expression statement, or in a compound statement's
        header that calls; an assignment that names the environment or a setter by name.
        Not read: a class body's statements, decorators (they change the object the module
        binds). A statement that holds a signal holds it wherever it may change state; one
        that does not parse alone may change anything."""
        if self.always_changes:
            return True
        return any(signalled or not words.isdisjoint(carrying) for words in self.changes_with)


@dataclass(frozen=True)
class Edge:
    """What an importer takes from one module of the project: some of its names (each with
    the local name it is bound to), the module whole (bound to `local`), or all its names."""

    target: str
    names: tuple[tuple[str, str], ...] = ()
    local: str = ""
    every: bool = False
    opaque: bool = False
    """Imported in a way the reader does not place (a script's neighbour): it may bind any
    name, so every name of the importer carries when anything there does."""


class CarriedReach:
    """The modules in reach of `roots` (see the module): `reach()`."""

    def __init__(
        self,
        data: Mapping[str, bytes],
        packages: Mapping[str, str],
        importers: Mapping[str, set[str]],
        imports: Callable[[str], set[str]],
        find: Callable[[str], str | None],
        import_lines: Callable[[bytes], list[bytes]],
        signal: Callable[[str, bytes], bool],
        facts: Callable[[bytes], StatementFacts] | None = None,
    ) -> None:
        """`imports`: the project modules a module imports (`build._Project.imports`, the
        byte scan that made `importers`); `find`: a dotted name's project module;
        `import_lines`: a module's import statements, each as one line; `signal`: whether
        a statement of a root (by its module) holds a W&B signal; `facts`: a statement's
        `StatementFacts` by its text (`statement_facts`, or those kept: `carried_facts.py`)."""
        self.data = data
        self.packages = packages
        self.importers = importers
        self.imports = imports
        self.find = find
        self.import_lines = import_lines
        self.signal = signal
        self.facts = facts
        self._reads: dict[str, _Read] = {}
        self._last: dict[str, tuple[set[str], set[str], bool]] = {}
        """Each module's carried imported names when last read, and what was found."""
        self._edges: dict[str, list[Edge]] = {}
        self.carrying: dict[str, set[str]] = {}
        """Each module's names that carry (`EVERY_NAME`: all)."""
        self.changing: set[str] = set()
        """The modules a carrying statement of which may change state (`may_change`)."""

    def reach(self, roots: Sequence[str]) -> set[str]:
        found = set(roots)
        todo = list(roots)
        for root in roots:
            self.carrying[root] = set()
        while todo:
            module = todo.pop()
            if not self.importers.get(module, set()) - {module}:
                continue  # what carries there reaches no module: it is not read
            if not self._grew(module, module in roots):
                continue
            for importer in self.importers.get(module, ()):
                if importer != module and self._takes_carried(importer, module):
                    found.add(importer)
                    todo.append(importer)
        return found | reached(self.changing, self.importers)

    def _grew(self, module: str, root: bool) -> bool:
        """Read again what carries in `module`; whether it grew (or was read first)."""
        first = module not in self.carrying or (root and not self.carrying[module])
        before = set(self.carrying.get(module, ()))
        carrying, changes = self._carried_in(module, root)
        self.carrying[module] = carrying
        if changes:
            self.changing.add(module)
        return first or carrying != before

    def _carried_in(self, module: str, root: bool) -> tuple[set[str], bool]:
        """The names of `module` that carry, and whether a carrying statement may change
        state: from the names it imports that carry, along the statements that hold each
        name that comes to carry (each statement read once). The same as last time when
        those imported names are (a module is read again when one it imports grows)."""
        local = self._carried_imports(module)
        if EVERY_NAME in local:
            return {EVERY_NAME}, False
        last = self._last.get(module)
        if last is not None and last[0] == local:
            return last[1], last[2]
        read = self._read_of(module)
        words: set[bytes] = set()
        carried: set[int] = set()
        todo = [name.encode() for name in local]
        if root:
            for at in read.signalled(module, self.signal):
                carried.add(at)
                todo += read.binds(at)
        while todo:
            word = todo.pop()
            if word in words:
                continue
            words.add(word)
            for at in read.holding.get(word, ()):
                if at not in carried:
                    carried.add(at)
                    todo += read.binds(at)
        signalled = read.signalled(module, self.signal) if root else frozenset()
        changes = any(read.changes(at, words, at in signalled) for at in sorted(carried))
        names = {word.decode(errors="replace") for word in words}
        if b"__getattr__" in words:
            names.add(EVERY_NAME)
        self._last[module] = (local, names, changes)
        return names, changes

    def _carried_imports(self, module: str) -> set[str]:
        """The local names `module` binds to what carries in the modules it imports."""
        local: set[str] = set()
        for edge in self._edges_of(module):
            carrying = self.carrying.get(edge.target)
            if not carrying:
                continue
            if edge.opaque:
                local.add(EVERY_NAME)
            elif edge.every:
                local |= carrying
            elif edge.local:
                local.add(edge.local)
            else:
                every = EVERY_NAME in carrying
                local.update(alias for name, alias in edge.names if every or name in carrying)
        return local

    def _takes_carried(self, importer: str, module: str) -> bool:
        carrying = self.carrying.get(module)
        if not carrying:
            return False
        for edge in self._edges_of(importer):
            if edge.target != module:
                continue
            if edge.every or edge.opaque or edge.local or EVERY_NAME in carrying:
                return True
            if any(name in carrying for name, _ in edge.names):
                return True
        return False

    def _read_of(self, module: str) -> _Read:
        if module not in self._reads:
            self._reads[module] = _Read(statements(self.data[module]), self.facts)
        return self._reads[module]

    def _edges_of(self, module: str) -> list[Edge]:
        """What `module` imports from the project, by module (`edges`); a module the byte
        scan found it imports that no statement read here names is taken whole, bound to
        every name (`EVERY_NAME`)."""
        if module not in self._edges:
            found = edges(self.import_lines(self.data[module]), self.packages[module], self.find)
            named = {edge.target for edge in found}
            unread = sorted(self.imports(module) - named)
            found += [Edge(target, opaque=True) for target in unread]
            self._edges[module] = found
        return self._edges[module]


class _Read:
    """A module's statements, with what the reach asks of them kept: which hold each word,
    which hold a signal, what each binds, each one's `ast`."""

    def __init__(
        self, found: list[Statement], facts: Callable[[bytes], StatementFacts] | None = None
    ) -> None:
        self.statements = found
        self.facts = statement_facts if facts is None else facts
        self.holding: dict[bytes, list[int]] = {}
        for at, statement in enumerate(found):
            for word in statement.words:
                self.holding.setdefault(word, []).append(at)
        self._binds: dict[int, frozenset[bytes]] = {}
        self._facts: dict[int, StatementFacts] = {}
        self._signalled: frozenset[int] | None = None

    def binds(self, at: int) -> frozenset[bytes]:
        if at not in self._binds:
            self._binds[at] = self._facts_at(at).bound(self.statements[at].words)
        return self._binds[at]

    def _facts_at(self, at: int) -> StatementFacts:
        found = self._facts.get(at)
        if found is None:
            found = self._facts[at] = self.facts(self.statements[at].text)
        return found

    def signalled(self, module: str, signal: Callable[[str, bytes], bool]) -> frozenset[int]:
        if self._signalled is None:
            found = enumerate(self.statements)
            self._signalled = frozenset(at for at, s in found if signal(module, s.text))
        return self._signalled

    def changes(self, at: int, carrying: set[bytes], signalled: bool) -> bool:
        return self._facts_at(at).may_change(carrying, signalled)


IMPORT: Final = re.compile(
    rb"(?<![\w.])(?:from[ \t]+(\.*[ \t]*(?:\w+(?:[ \t]*\.[ \t]*\w+)*)?)[ \t]+import\b([^\n;]*)"
    rb"|import[ \t]+([\w., \t]+))"
)
"""`build.IMPORT_STATEMENT`: group 1 a `from` import's module, group 2 its names, group 3 a
plain import's modules."""


def edges(lines: Iterable[bytes], package: str, find: Callable[[str], str | None]) -> list[Edge]:
    """What the import statements `lines` (read in `package`) take from the project."""
    found: list[Edge] = []
    for line in lines:
        for match in IMPORT.finditer(line):
            source, names, plain = match.group(1), match.group(2), match.group(3)
            if plain is not None:
                found += _plain_edges(plain.decode(errors="replace"), find)
            else:
                base = absolute_module(b"".join(source.split()).decode(errors="replace"), package)
                found += _from_edges(base, names.decode(errors="replace"), find)
    return found


def _plain_edges(text: str, find: Callable[[str], str | None]) -> list[Edge]:
    """`import a.b as c, d`: each module whole, bound to its alias or its first name."""
    found = []
    for part in text.split(","):
        words = part.split()
        if not words:
            continue
        target = find(words[0])
        if target is not None:
            alias = words[2] if len(words) > 2 and words[1] == "as" else words[0].split(".")[0]
            found.append(Edge(target, local=alias))
    return found


def _from_edges(base: str, text: str, find: Callable[[str], str | None]) -> list[Edge]:
    """`from base import x as y, z` (`*`): a submodule whole, or names of `base`."""
    if not base:
        return []
    owner = find(base)
    names: list[tuple[str, str]] = []
    found = []
    for part in text.split("#", 1)[0].strip().strip("()\\").split(","):
        words = part.split()
        if not words:
            continue
        if words[0] == "*":
            if owner is not None:
                found.append(Edge(owner, every=True))
            continue
        alias = words[2] if len(words) > 2 and words[1] == "as" else words[0]
        submodule = find(f"{base}.{words[0]}")
        if submodule is not None:
            found.append(Edge(submodule, local=alias))
        if owner is not None:
            names.append((words[0], alias))
    if owner is not None and names:
        found.append(Edge(owner, names=tuple(names)))
    return found


def statements(data: bytes) -> list[Statement]:
    """The top-level statements of a module's bytes (see the module): cut where a line
    starts with code at column 0; a piece that leaves a bracket or a triple-quoted string
    open goes on with the next (counted in its bytes: a bracket in a comment or a string
    only joins more), as a decorator's lines with the definition after them and a line
    that goes on with a statement (`else:`) with that statement."""
    pieces: list[bytes] = []
    start = 0
    for match in TOP_LEVEL.finditer(data):
        cut = match.end()
        piece = data[start:cut]
        if (
            GOES_ON.match(data, cut)
            or _open(piece)
            or (DECORATOR.match(data, start) and _decorators_only(piece))
        ):
            continue
        pieces.append(piece)
        start = cut
    pieces.append(data[start:])
    return [_statement(piece) for piece in pieces if piece.strip()]


TOP_LEVEL: Final = re.compile(rb"\n(?=[^\s#)\]}])")
"""A line break before a line with code at column 0: where a top-level statement may start."""


def _open(piece: bytes) -> bool:
    """Whether a piece leaves a bracket or a triple-quoted string open (by counts), or
    ends in a backslash that joins the next line."""
    count = piece.count
    if count(b'"""') % 2 or count(b"'''") % 2 or piece.rstrip(b"\r\n").endswith(b"\\"):
        return True
    return count(b"(") + count(b"[") + count(b"{") > count(b")") + count(b"]") + count(b"}")


def _decorators_only(text: bytes) -> bool:
    """Whether `text` holds only decorator lines (and their continuations): the definition
    they decorate comes after."""
    return DEFINITION.search(text) is None


def _statement(text: bytes) -> Statement:
    return Statement(text, frozenset(WORD.findall(text)))


def statement_facts(text: bytes) -> StatementFacts:
    """What the reach asks of a statement (`StatementFacts`), from one parse of its text."""
    tree = _parsed(text)
    if tree is None:
        return StatementFacts(False, frozenset(), True, ())
    binds = frozenset(name.encode() for name in _bound_names(tree.body))
    if STATE_WORDS.search(text) is not None and STATE_WORDS.search(_running_text(text, tree)):
        return StatementFacts(True, binds, True, ())
    changes_with = tuple(words for node in _running(tree.body) for words in _changes_with(node))
    return StatementFacts(True, binds, False, changes_with)


def _parsed(text: bytes) -> ast.Module | None:
    """The statement's `ast`, or None when it does not parse alone (cut inside a string)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _bound_names(body: Iterable[ast.stmt]) -> set[str]:
    """The names statements bind when their module runs: every name stored, imported,
    defined, caught or captured, outside the bodies of the functions and classes they
    define (whose own names they bind)."""
    bound: set[str] = set()
    for node in _running(body):
        if isinstance(node, DEFINITIONS):
            bound.add(node.name)  # and the names its `global` statements bind
            found = (inner for inner in ast.walk(node) if isinstance(inner, ast.Global))
            bound.update(name for inner in found for name in inner.names)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                bound.add(inner.id)
            elif isinstance(inner, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and inner.name:
                bound.add(inner.name)
            elif isinstance(inner, ast.MatchMapping) and inner.rest:
                bound.add(inner.rest)
    return bound


def _running(body: Iterable[ast.stmt]) -> list[ast.stmt]:
    """The simple statements and headers of `body` that run when it does: into the bodies
    of compound statements, not into a function's or a class's (a definition is itself)."""
    found: list[ast.stmt] = []
    for node in body:
        found.append(node)
        if isinstance(node, DEFINITIONS) or _is_main(node):
            continue
        for field in ("body", "orelse", "finalbody"):
            found += _running(getattr(node, field, ()) or ())
        for handler in getattr(node, "handlers", ()) or ():
            found += _running(handler.body)
        for case in getattr(node, "cases", ()) or ():
            found += _running(case.body)
    return found


def _is_main(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":`: its body does not run when a module imports this one."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    sides = [test.left, *test.comparators]
    return any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides) and any(
        isinstance(side, ast.Constant) and side.value == "__main__" for side in sides
    )


def _running_text(text: bytes, tree: ast.Module) -> bytes:
    """The lines of a statement's text that run when its module does: its simple
    statements and its compound statements' headers, not a function's or class's body."""
    lines = text.splitlines(keepends=True)
    running: list[bytes] = []
    for node in _running(tree.body):
        if isinstance(node, DEFINITIONS):
            continue
        body = getattr(node, "body", None)
        first = body[0].lineno - 1 if isinstance(body, list) and body else node.end_lineno
        running += lines[node.lineno - 1 : first or node.lineno]
    return b"".join(running)


def _changes_with(node: ast.stmt) -> list[frozenset[bytes]]:
    """When one statement run at import may change state: when it holds a signal or any
    word of one of these sets carries (none: never). A compound statement's header counts
    only when it calls."""
    if isinstance(
        node,
        (*DEFINITIONS, ast.Import, ast.ImportFrom, ast.Pass, ast.Global, ast.Nonlocal),
    ):
        return []
    if isinstance(node, (ast.If, ast.While, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
        headers: list[ast.AST] = []
        if isinstance(node, (ast.If, ast.While)):
            headers.append(node.test)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            headers.append(node.iter)
        else:
            headers += [item.context_expr for item in node.items]
        return [_words_held(header) for header in headers if _calls(header)]
    if isinstance(node, (ast.Try, ast.Match)) or (
        sys.version_info >= (3, 11) and isinstance(node, ast.TryStar)
    ):
        if isinstance(node, ast.Match) and _calls(node.subject):
            return [_words_held(node.subject)]
        return []
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return []
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if all(_plain_target(target) for target in targets):
            return []
    return [_words_held(node)]


def _plain_target(target: ast.expr) -> bool:
    if isinstance(target, (ast.Tuple, ast.List)):
        return all(_plain_target(item) for item in target.elts)
    if isinstance(target, ast.Starred):
        return _plain_target(target.value)
    return isinstance(target, ast.Name)


def _calls(expr: ast.AST) -> bool:
    return any(isinstance(inner, ast.Call) for inner in ast.walk(expr))


def _words_held(node: ast.AST) -> frozenset[bytes]:
    """The words a node names (names, and attributes read off anything): it holds a
    carrying word when one of them carries."""
    return frozenset(
        inner.id.encode() if isinstance(inner, ast.Name) else inner.attr.encode()
        for inner in ast.walk(node)
        if isinstance(inner, (ast.Name, ast.Attribute))
    )
