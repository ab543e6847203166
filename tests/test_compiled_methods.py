"""libcst's dataclasses get, from the kept code, the very methods `dataclasses` compiles for
them; a second import compiles none of them; a bad file of kept code is compiled anew."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lint_wb.compiled_methods import FOLDER, kept_file

METHODS = """
import json, sys, types

if sys.argv[1] == "kept":
    from lint_wb.compiled_methods import install
    install()
import libcst, libcst.metadata

def code(made):
    return [
        made.co_name, made.co_code.hex(), made.co_names, made.co_varnames, made.co_freevars,
        made.co_flags, made.co_argcount, made.co_kwonlyargcount,
        [code(const) if isinstance(const, types.CodeType) else repr(const)
         for const in made.co_consts],
    ]

methods = {}
for name, module in sorted(sys.modules.items()):
    if not name.startswith("libcst") or module is None:
        continue
    for cls in vars(module).values():
        if not isinstance(cls, type) or "__dataclass_fields__" not in vars(cls):
            continue
        for attribute, value in sorted(vars(cls).items()):
            if isinstance(value, types.FunctionType) and value.__code__.co_filename == "<string>":
                methods[f"{name}.{value.__qualname__}"] = [
                    code(value.__code__), repr(value.__defaults__), repr(value.__kwdefaults__),
                    repr(value.__annotations__),
                ]
print(json.dumps(methods))
"""
"""Every method `dataclasses` generated for libcst's classes (by its code, defaults and
annotations) after libcst's import: plain, or with the kept code (`kept`)."""


def libcsts_methods(cache: Path, how: str) -> dict[str, object]:
    env = {**os.environ, "LINT_WB_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", METHODS, how], env=env, capture_output=True, text=True, check=True
    )
    methods: dict[str, object] = json.loads(done.stdout)
    return methods


def written(path: Path) -> tuple[int, int]:
    """Which file `path` is, and when it was written."""
    found = path.stat()
    return found.st_ino, found.st_mtime_ns


def test_libcsts_classes_get_the_methods_dataclasses_compiles_and_a_second_import_compiles_none(
    tmp_path: Path,
) -> None:
    """The kept code is what a text compiles to where `dataclasses` runs it (no future
    import of lint-wb's); once kept, nothing is compiled anew, so the file is not written."""
    plain = libcsts_methods(tmp_path, "plain")
    assert len(plain) > 500  # libcst's node classes: __init__, __repr__, __eq__...
    kept = kept_file(tmp_path / FOLDER)
    assert not kept.exists()
    assert libcsts_methods(tmp_path, "kept") == plain
    first = written(kept)
    assert len(marshal.loads(kept.read_bytes())) > 100  # texts: classes share some
    assert libcsts_methods(tmp_path, "kept") == plain
    assert written(kept) == first  # each one's code taken from the file


def test_a_file_of_kept_code_that_is_not_one_is_compiled_anew(tmp_path: Path) -> None:
    """Garbage, or another marshalled value, in the file: the methods are compiled as if
    there were none, and the file is written again."""
    plain = libcsts_methods(tmp_path, "plain")
    kept = kept_file(tmp_path / FOLDER)
    kept.parent.mkdir(parents=True)
    for bad in (b"\x00garbage", marshal.dumps(["not", "a", "table"])):
        kept.write_bytes(bad)
        assert libcsts_methods(tmp_path, "kept") == plain
        assert isinstance(marshal.loads(kept.read_bytes()), dict)


W_AND_B = (
    "from openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="k")\n'
    "client.chat.completions.create(model='openai/gpt-oss-120b', messages=[], temperature=3)\n"
)


def test_a_run_that_parses_keeps_the_methods_of_libcsts_classes(tmp_path: Path) -> None:
    """The command line, linting files or text on stdin, imports libcst keeping its
    dataclasses' code (`api.check_paths`, `api.lint_text`); a fresh process each, so that
    libcst is imported there."""
    (tmp_path / "app.py").write_text(W_AND_B)
    lint = [sys.executable, "-m", "lint_wb", "--no-cache", "--output-format", "json"]
    for cache, how in (("files", [str(tmp_path / "app.py")]), ("stdin", ["-"])):
        env = {**os.environ, "LINT_WB_CACHE_DIR": str(tmp_path / cache)}
        done = subprocess.run(
            [*lint, *how], input=W_AND_B, env=env, capture_output=True, text=True, cwd=tmp_path
        )
        assert "WB301" in done.stdout
        assert kept_file(tmp_path / cache / FOLDER).is_file(), how


def test_the_kept_code_leaves_dataclasses_as_it_found_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside libcst's import `dataclasses` runs the builtin `exec` again, or whatever
    another tool had put there before."""
    import dataclasses

    from lint_wb import compiled_methods

    with compiled_methods._keeping():
        assert vars(dataclasses)["exec"] is compiled_methods._exec_kept
    assert "exec" not in vars(dataclasses)

    def theirs(*args: object) -> None:
        return None

    monkeypatch.setattr(dataclasses, "exec", theirs, raising=False)
    with compiled_methods._keeping(), compiled_methods._keeping():  # nested: one restore
        assert vars(dataclasses)["exec"] is compiled_methods._exec_kept
    assert vars(dataclasses)["exec"] is theirs
