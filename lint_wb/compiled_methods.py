"""The methods `dataclasses` writes for libcst's node classes, compiled once and kept.

Importing libcst makes a few hundred dataclasses (its node classes), and for each one
`dataclasses` writes the source text of the methods it generates (`__init__`, `__repr__`,
`__eq__`, a frozen class's `__setattr__`...) and compiles it, at every import: much of
what loading the engine costs, and the engine is loaded before the second core can help (a
worker inherits it). What a text compiles to depends only on the text and the
interpreter, so while libcst is imported the code of each text is taken from a file in the
cache folder when it is there (`marshal`, as a `.pyc` keeps a module's code), and compiled
and kept there when it is not: the same code, run as `dataclasses` would have run it.

Only the import of libcst's own modules does this (`install` puts a finder first on
`sys.meta_path` that wraps their loading): nothing else `dataclasses` makes goes through
it, and a run that parses nothing never reads the file. A file that is missing, unreadable
or not what it should be is compiled anew and written again; a failed write only leaves the
next run to compile again.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import marshal
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import CodeType, ModuleType
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec

PACKAGE = "libcst"
"""The package whose import keeps its dataclasses' methods."""
FOLDER = "methods"
"""The cache folder's subfolder that holds the kept code."""


def install() -> None:
    """Have the next import of libcst (and of each of its modules) keep its dataclasses'
    compiled methods; once per process, and not once libcst is loaded."""
    if PACKAGE in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())


def kept_file(folder: Path) -> Path:
    """The file of kept code in `folder`, named by this interpreter's bytecode (its magic
    number): another Python never reads it."""
    from importlib.util import MAGIC_NUMBER

    magic = MAGIC_NUMBER.hex()
    return folder / f"{sys.implementation.cache_tag}-{magic}.marshal"


class _Finder:
    """Finds libcst's modules as the other finders do, and has their loading keep code
    (a meta path finder: `importlib.abc.MetaPathFinder`'s one method)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != PACKAGE and not fullname.startswith(PACKAGE + "."):
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is None:
                continue
            if hasattr(spec.loader, "exec_module"):
                spec.loader = cast("Loader", _KeepingLoader(spec.loader))
            return spec
        return None


class _KeepingLoader:
    """A module's own loader, its `exec_module` run with the kept code (`_keeping`)."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        made: ModuleType | None = self.loader.create_module(spec)
        return made

    def exec_module(self, module: ModuleType) -> None:
        with _keeping():
            self.loader.exec_module(module)

    def __getattr__(self, name: str) -> Any:  # get_code, get_source, is_package...
        return getattr(self.loader, name)


_LOCK = threading.RLock()
_depth = 0
_before: object = None
"""What `dataclasses.exec` was before the outermost block (nothing: `_NONE`)."""
_NONE = object()
_kept: dict[str, CodeType] | None = None
"""The code of each text the file holds (read once, at the first import of libcst)."""
_used: dict[str, CodeType] = {}
"""The texts this process compiled or took, and their code: what the file is written with."""
_new = False
"""Whether a text was compiled that the file did not hold."""


@contextlib.contextmanager
def _keeping() -> Iterator[None]:
    """While the block runs (imports inside it included), `dataclasses` executes the kept
    code of each text it would compile; when the outermost block ends, the file is written
    if a text was compiled anew."""
    global _depth, _kept, _new, _before
    with _LOCK:
        _depth += 1
        if _depth == 1:
            if _kept is None:
                _kept = _read()
            _before = vars(dataclasses).get("exec", _NONE)
            dataclasses.exec = _exec_kept  # type: ignore[attr-defined]
    try:
        yield
    finally:
        with _LOCK:
            _depth -= 1
            if _depth == 0:
                if _before is _NONE:
                    del dataclasses.exec  # type: ignore[attr-defined]
                else:  # someone else's, set before the block
                    dataclasses.exec = _before  # type: ignore[attr-defined]
                if _new:
                    _new = False
                    _write(dict(_used))


def _exec_kept(
    source: object, globals: dict[str, Any] | None = None, locals: Any = None, /
) -> None:
    """`exec(source, globals, locals)` as `dataclasses` calls it, a text run as its kept
    code. Compiled as `exec` compiles it there: `dataclasses` has no future import, so
    none of this module's (`dont_inherit`)."""
    global _new
    if type(source) is str:
        code = _kept.get(source) if _kept is not None else None
        if type(code) is not CodeType:
            code = compile(source, "<string>", "exec", dont_inherit=True)
            _new = True
        _used[source] = code
        source = code
    builtins.exec(source, globals, locals)  # type: ignore[arg-type]


def _folder() -> Path | None:
    from lint_wb.spec.snapshots import cache_dir

    try:
        return cache_dir() / FOLDER
    except RuntimeError:  # no home folder: compiled each run
        return None


def _read() -> dict[str, CodeType]:
    folder = _folder()
    if folder is None:
        return {}
    try:
        with open(kept_file(folder), "rb") as file:
            kept = marshal.loads(file.read())  # (`marshal.load` reads a file piecemeal)
    except Exception:  # missing, unreadable or not ours: compiled anew
        return {}
    return kept if isinstance(kept, dict) else {}


def _write(code: dict[str, CodeType]) -> None:
    from lint_wb.files.atomic import WriteError, WriteOptions, replace_file

    folder = _folder()
    if folder is None:
        return
    try:
        os.makedirs(folder, exist_ok=True)
        replace_file(kept_file(folder), marshal.dumps(code), WriteOptions(sync=False))
    except (OSError, ValueError, WriteError):
        return  # only a slower next run
