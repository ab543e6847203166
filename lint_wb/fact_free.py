"""A kept file's result without the engine, when nothing in it can start a fact.

The prefilter keeps a file for a word (`wandb` in a type's name or a docstring, a test's
fine-tuning payload), and most such files hold no W&B code. Linted with no project index,
such a module goes through the engine (`engine.lint_source`) to one of two results: WB901
when CPython cannot compile it, or, when no call or attribute store in it can start a fact
(`analysis/fact_sources.py`), only its `noqa` comments that silence nothing (WB902). The
engine decides the first on `ast`'s reading of the text compiled (`module_parse.py`), and
the second on what its partial read keeps of that tree: a part of the whole tree, in which
no fact can start where none can in the whole.

So a file that decodes, compiles, holds no `noqa` comment and no call or store that can
start a fact in its whole tree has the engine's result for it, no finding, given here from
Python's compiler and `ast` alone: neither the engine, nor the partial read, nor libcst is
imported (on the openai SDK's source, the forked screening's few checks, `api._Guesses`, cost
their imports more than their compiles). Any other file (`None` here) goes to the engine, and
so does a text too long for one `ast` tree (`python_check.CHUNKED`), which the engine reads in
chunks.
"""

from __future__ import annotations

from pathlib import Path

from lint_wb import python_check
from lint_wb.analysis.fact_sources import may_hold_facts
from lint_wb.config.settings import Settings
from lint_wb.files import SourceFile, decode_source
from lint_wb.noqa import may_suppress
from lint_wb.results import FileResult
from lint_wb.spec.compiled import CompiledSpec, client_roots_of


def fact_free_result(
    path: Path, data: bytes, settings: Settings, spec: CompiledSpec
) -> FileResult | None:
    """The result linting the module `path` (read as `data`) with no project index gives,
    when it compiles and nothing in it can be reported (see above); None otherwise."""
    if path.suffix != ".py":
        return None
    source = decode_source(data, path)
    if not isinstance(source, SourceFile) or may_suppress(source.text):
        return None
    if len(source.text) > python_check.CHUNKED:  # its whole tree would not be bounded
        return None
    tree = python_check.compiled_tree(source.text)
    if tree is None or may_hold_facts(tree, None, client_roots_of(spec)):
        return None
    return FileResult(path, unsafe_fixes=settings.unsafe_fixes)
