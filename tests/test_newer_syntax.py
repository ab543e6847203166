"""Code valid for Python 3.12 (PEP 701 f-strings, PEP 695 type parameters) linted on an older
Python: checked as Python 3.12 checks it, and a real error in it still reported with
CPython's message, on the row (and, but for a line holding a lowered f-string, the column)
where Python 3.12 reports it. Each test holds on 3.12 as well, where the compiler reads such
code itself (the fixtures `client/newer_fstrings.py` and `client/newer_syntax_error.py`
check the findings)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lint_wb.api import Mode, Overrides, SettingsCache, check_file
from lint_wb.newer_syntax import NEWER_GRAMMAR
from lint_wb.python_check import compiles
from lint_wb.syntax_error import compile_error

OLDER_PYTHON = pytest.mark.skipif(
    not NEWER_GRAMMAR, reason="Python 3.12 and newer compile such code themselves"
)

VALID = {
    "backslash": "names = ['a']\nlabel = f\"{'\\n'.join(names)}\"\n",
    "reused quotes": 'row = {"k": 1}\nlabel = f"{row["k"]!r:>{len(row["k"])}} {row["k"]=}"\n',
    "nested": 'name = "n"\nlabel = f"{f"{f"{name}"}"}"\n',
    "comment": 'name = "n"\nlabel = f"""{\n    name  # the name\n}"""\n',
    "concatenated": 'row = {"k": 1}\nlabel = ("a" f"{row["k"]}"\n    "b" f"{row["k"]}")\n',
    "yield": 'def newer_gen():\n    x = f"{yield 1}{"a"}"\n    y = f"{(yield)}{"\\n"}"\n',
    "bare yield": 'def newer_bare_gen():\n    x = f"{"a"}{yield}"\n    y = f"{yield}{"a"}"\n',
    "fields three deep": 'label = f"{"a"}"\nspec = f"{1:{2:{3:>5}}}"\n',
    "fields three deep alone": 'spec = f"{1:{2:{3:>5}}}"\n',
    "f-strings 149 deep": 'label = f"{"a"}"\nx = ' + 'f"{' * 149 + "1" + '}"' * 149 + "\n",
    "type alias": "type NewerPair[T] = tuple[T, T]\n",
    "type parameters": "def newer_first[T](items: list[T]) -> T:\n    return items[0]\n",
    "class parameters": "class NewerBox[T]:\n    item: T\n",
}


@pytest.mark.parametrize("text", VALID.values(), ids=VALID.keys())
def test_code_valid_for_python_3_12_compiles(text: str) -> None:
    assert compile_error(text) is None
    assert compiles(text)  # the fix loop's check


ERRORS = {
    "after an f-string": (
        'label = f"{"a"}"\nvalues = (1,\n',
        ("'(' was never closed", 2, 10),
    ),
    "after a multi-line f-string": (
        'text = f"""\n{"\\n".join([\n    "a",  # one\n])}\n"""\nreturn text\n',
        ("'return' outside function", 6, 1),
    ),
    "inside a replacement field": (
        'label = f"{(yield "x")}"\n',
        ("'yield' outside function", 1, 13),
    ),
    "after multi-line type parameters": (
        "def newer_first[\n    T,\n](items: list[T]) -> T:\n    return items[0]\n\n\nreturn 1\n",
        ("'return' outside function", 7, 1),
    ),
    "after a multi-line type alias": (
        "type NewerPair[\n    T,\n] = tuple[T, T]\nreturn 1\n",
        ("'return' outside function", 4, 1),
    ),
    "a statement after a broken one": (
        'label = f"{"a"}"\ndef newer_broken(:\n    pass\n',
        ("invalid syntax", 2, 18),
    ),
}


@pytest.mark.parametrize(("text", "expected"), ERRORS.values(), ids=ERRORS.keys())
def test_a_real_error_is_reported_where_python_3_12_reports_it(
    text: str, expected: tuple[str, int, int]
) -> None:
    error = compile_error(text)
    assert error is not None
    assert (error.msg, error.lineno, error.offset) == expected
    assert not compiles(text)


def test_an_f_string_no_python_accepts_stays_an_error() -> None:
    error = compile_error('label = f"{label"\n')
    assert error is not None
    assert error.msg.startswith("f-string")


TOO_DEEP = {
    "fields four deep": 'spec = f"{1:{2:{3:{4}}}}"\n',
    "fields four deep after newer code": 'label = f"{"a"}"\nspec = f"{1:{2:{3:{4}}}}"\n',
    "f-strings 150 deep": 'label = f"{"a"}"\nx = ' + 'f"{' * 150 + "1" + '}"' * 150 + "\n",
}


@pytest.mark.parametrize("text", TOO_DEEP.values(), ids=TOO_DEEP.keys())
def test_an_f_string_nested_deeper_than_python_3_12_allows_stays_an_error(text: str) -> None:
    """Python 3.12 rejects replacement fields nested four deep through format specifications
    and f-strings nested 150 deep: so does lint-wb on an older Python (the error may be
    this Python's, about another f-string)."""
    assert compile_error(text) is not None
    assert not compiles(text)


def test_a_repeated_keyword_after_newer_code_does_not_compile() -> None:
    """The fix loop drops a fix that repeats a keyword: so it does in Python 3.12 code."""
    assert not compiles('label = f"{"a"}"\nprint(sep="", sep="")\n')


DEEP = {
    "brackets in a replacement field": 'label = f"""{"a" + '
    + "(\n" * 30000
    + "1"
    + ")\n" * 30000
    + '}"""\n',
    "a unary chain after an f-string": 'label = f"{"a"}"\nvalue = ' + "-" * 50000 + "1\n",
}


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_code_too_deep_for_libcst_is_never_given_to_it(text: str) -> None:
    """libcst's parser overflows its stack on tens of thousands of nested brackets or unary
    operators (the process dies), and slows down long before: code that
    may be newer but nests deeper than Python 3.12 allows keeps this Python's error."""
    program = (
        "import sys\n"
        "from lint_wb.syntax_error import compile_error\n"
        "print(compile_error(sys.stdin.read()) is not None)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], input=text, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout.strip()) == (0, "True"), done.stderr


LONG_CHAINS = {
    "a unary chain on one line": 'label = f"{"a"}"\ny = ' + "-" * 4900 + "1\n",
    "a unary chain in brackets": 'label = f"{"a"}"\ny = (\n' + ("-" * 90 + "\n") * 60 + "1)\n",
    "a long sum": 'label = f"{"a"}"\ny = ' + "+".join(["a"] * 2000) + "\n",
    "a long sum after a field's comment": 'label = f"""{\n    "a"  # {\n}"""\ny = '
    + "+".join(["a"] * 2000)
    + "\n",
}


@OLDER_PYTHON
@pytest.mark.parametrize("text", LONG_CHAINS.values(), ids=LONG_CHAINS.keys())
def test_a_long_operator_chain_is_never_given_to_libcst(text: str) -> None:
    """libcst's parser takes tens of seconds and gigabytes on such chains (which a module
    this Python compiles has parsed apart from its `ast`): the compile's error stands, and
    says why the text may still be valid where it runs."""
    error = compile_error(text)
    assert error is not None
    assert error.msg.startswith("f-string")
    assert error.msg.endswith("; run lint-wb on Python 3.12 or newer)")


@OLDER_PYTHON
def test_a_text_longer_than_libcst_parses_quickly_is_never_given_to_it() -> None:
    """A megabyte of valid Python 3.12 code with no operator costs libcst tens of seconds:
    past `MAX_TEXT` characters the compile's error stands (WB901), and says the code may be
    valid for a newer Python, which this one could not check."""
    from lint_wb.newer_syntax import MAX_TEXT

    lines = ['label = f"{"a"}"\n']
    while sum(map(len, lines)) <= MAX_TEXT:
        lines.append(f"value_{len(lines)} = name_{len(lines)}\n")
    error = compile_error("".join(lines))
    assert error is not None
    assert (error.lineno, error.msg.split(" (")[0]) == (1, "f-string: expecting '}'")
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert error.msg.endswith(
        f"(if this is code for Python 3.12 or newer, lint-wb on Python {version} cannot check"
        " it: longer than 200,000 characters; run lint-wb on Python 3.12 or newer)"
    )


def test_an_error_in_a_text_libcst_was_given_has_no_note() -> None:
    """Only a text left unchecked for its size says it may be newer code: a short f-string
    that no Python accepts keeps the compiler's message alone."""
    error = compile_error('label = f"{1"\n')
    assert error is not None
    assert "lint-wb" not in error.msg


def test_operators_in_strings_and_comments_do_not_stop_the_lowering() -> None:
    """A long module for Python 3.12 is linted whole: only operators outside its strings and
    comments count towards the limit a text given to libcst may hold."""
    text = 'label = f"{"a"}"\n' + '# - + * / % @ & | ^ ~\nnote = "- - - - - - - - - - -"\n' * 40
    assert compile_error(text) is None


def test_a_notebook_cell_with_a_newer_f_string_is_linted(tmp_path: Path) -> None:
    cells = [
        "import os\n\nfrom openai import OpenAI\n\n"
        'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", '
        'api_key=os.environ["WANDB_API_KEY"])\n',
        "names = ['a']\nprompt = f\"{'\\n'.join(names)}\"\n",
        'client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", '
        '"content": prompt}])\n',
    ]
    document = {
        "cells": [
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": []}
            | {"source": cell}
            for cell in cells
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "newer.ipynb"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = check_file(path, SettingsCache(Overrides(isolated=True)), Mode())
    assert [(f.cell, f.location.row, f.code) for f in result.findings] == [(3, 1, "WB501")]
