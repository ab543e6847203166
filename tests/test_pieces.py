"""A module read statement by statement (`lint_wb/pieces.py`): `ast` only for what selection
may keep, and everything else as a whole read gives it.

The differential tests read each text both ways (`module_parse.READ_IN_PIECES` off: `ast` of
the whole text) and compare what libcst is given, what `ast` read of it, and the errors. The
counting tests record every text given to `ast` and pin which statements were read.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lint_wb import module_parse, pieces
from lint_wb.partial import Partial
from lint_wb.syntax_error import compile_error

ROOT = Path(__file__).resolve().parent.parent
CLIENT = (
    "import os\n"
    "from openai import OpenAI\n"
    "\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", '
    'api_key=os.environ["WANDB_API_KEY"])\n'
)
REQUEST = "answer = client.chat.completions.create(model=MODEL, messages=[])\n"
UNRELATED = "def unrelated(a, b):\n    total = a + b  # a comment\n    return total * 2\n\n\n"


def read(text: str, *, in_pieces: bool, monkeypatch: pytest.MonkeyPatch) -> Partial | SyntaxError:
    with monkeypatch.context() as patch:
        patch.setattr(module_parse, "READ_IN_PIECES", in_pieces)
        return module_parse.read_partial(text)


def assert_same_read(text: str, monkeypatch: pytest.MonkeyPatch) -> Partial | SyntaxError:
    """The piece read of `text` is the whole read: the same text for libcst, the same
    statement counts and dropped names, the same `ast` (positions included), the same error."""
    whole = read(text, in_pieces=False, monkeypatch=monkeypatch)
    in_pieces = read(text, in_pieces=True, monkeypatch=monkeypatch)
    if isinstance(whole, SyntaxError):
        assert isinstance(in_pieces, SyntaxError)
        assert (in_pieces.msg, in_pieces.lineno, in_pieces.offset) == (
            whole.msg,
            whole.lineno,
            whole.offset,
        )
        return in_pieces
    assert isinstance(in_pieces, Partial)
    assert (in_pieces.text, in_pieces.kept, in_pieces.total, in_pieces.dropped) == (
        whole.text,
        whole.kept,
        whole.total,
        whole.dropped,
    )
    if whole.tree is None:  # code for a newer Python than this one: libcst reads it whole
        assert in_pieces.tree is None and in_pieces.whole
        return in_pieces
    assert in_pieces.tree is not None
    assert dump(in_pieces.tree) == dump(whole.tree)
    return in_pieces


def dump(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=True)


@pytest.fixture
def ast_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text `pieces.py` gives `ast` from here on (run pieces and kept definitions)."""
    texts: list[str] = []
    compiled = pieces._compiled
    read_definition = pieces.read_definition

    def recording_compiled(source: str, future: int) -> ast.Module | None:
        texts.append(source)
        return compiled(source, future)

    def recording_definition(text: str, piece: pieces.Piece) -> list[ast.stmt] | None:
        texts.append(text[piece.start : piece.end])
        return read_definition(text, piece)

    monkeypatch.setattr(pieces, "_compiled", recording_compiled)
    monkeypatch.setattr("lint_wb.partial.read_definition", recording_definition)
    return texts


# ------------------------------------------------------------------ what is read by `ast`


def test_an_unrelated_function_is_compiled_but_never_read_by_ast(
    ast_reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = CLIENT + UNRELATED + "class Unrelated:\n    x = 1\n\n\n" + REQUEST
    partial = assert_same_read(text, monkeypatch)
    assert isinstance(partial, Partial) and partial.kept < partial.total
    ast_reads.clear()
    read(text, in_pieces=True, monkeypatch=monkeypatch)
    assert ast_reads and not any("unrelated" in t or "Unrelated" in t for t in ast_reads)
    assert any("OpenAI(" in t for t in ast_reads)


def test_a_definition_selection_pulls_in_is_read_by_ast_once(
    ast_reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`build` carries no vocabulary, so it is compiled alone; the seed calls it, so it is
    kept, and then read by `ast` (once)."""
    text = CLIENT + "def build(x):\n    return x\n\n\n" + UNRELATED + "r = build(client)\n"
    partial = read(text, in_pieces=True, monkeypatch=monkeypatch)
    assert isinstance(partial, Partial) and partial.tree is not None
    assert [t for t in ast_reads if "def build" in t] == ["def build(x):\n    return x\n\n\n"]
    assert not any("unrelated" in t for t in ast_reads)
    assert "build" in [getattr(s, "name", None) for s in partial.tree.body]
    assert_same_read(text, monkeypatch)


def test_the_pieces_of_a_module() -> None:
    text = (
        '"""Doc.\n\nAt column 0.\n"""\n'
        "import os\n"
        "@decorator\n@other(\n    1)\ndef decorated():\n    pass\n"
        "X = 1\n"
        "class Plain(Base):  # trailing\n    y = 2\n# a comment\n\n"
        "async def waits():\n    await other()\n"
    )
    found = pieces.top_level_pieces(text)
    assert found is not None
    kinds = [piece.definition.name if piece.definition else "ast" for piece in found]
    assert kinds == ["ast", "decorated", "ast", "Plain", "waits"]
    assert "".join(text[piece.start : piece.end] for piece in found) == text
    plain = found[3].definition
    assert plain is not None and (plain.end_line, plain.end_column) == (13, 9)


# ------------------------------------------------------------------ the same read as a whole read


TRICKY = {
    "docstring at column 0": '"""Title\n\nclass NotAClass:\n@not_a_decorator\n"""\n' + CLIENT,
    "string over definitions": CLIENT + 'X = """\ndef f():\n    pass\n"""\n' + UNRELATED,
    "definition with a string at column 0": CLIENT
    + 'def f():\n    s = """\ndef g():\n@x"""\n    return s\n'
    + REQUEST,
    "decorated, multi-line decorator at column 0": CLIENT
    + "@decorate(\n1)\n@again\ndef f():\n    pass\n"
    + UNRELATED,
    "brackets at column 0": CLIENT + "data = [\n1,\n2,\n]\ndef f(\nx):\n    pass\n",
    "else at column 0": CLIENT + "if X:\n    pass\nelse:\n    pass\ntry:\n    pass\nexcept E:\n"
    "    pass\nfinally:\n    pass\n" + UNRELATED,
    "semicolons": CLIENT + "a = 1; b = 2\ndef f(): return 1; \n" + UNRELATED,
    "backslash": CLIENT + "x = 1 + \\\n2\ndef \\\n  f():\n    pass\n",
    "walrus and global": CLIENT
    + "def f():\n    global G\n    G = 1\n"
    + "def g():\n    if (y := 2):\n        return y\n"
    + "G = 0\nprint(G, y)\n",
    "future after docstring": '"""Doc."""\nfrom __future__ import annotations\n'
    + CLIENT
    + UNRELATED,
    "crlf": (CLIENT + UNRELATED + REQUEST).replace("\n", "\r\n"),
    "non-ascii": CLIENT + "def café():\n    return 'é'  # é\n\n" + "def ok():\n    return 'ü'\n",
    "nested classes": CLIENT + "class A:\n    class B:\n        def c(self):\n            pass\n",
    "a comment before everything": "#!/usr/bin/env python\n# coding: utf-8\n\n"
    + CLIENT
    + UNRELATED,
    "only definitions": UNRELATED + "class C:\n    pass\n",
    "top-level await": CLIENT + "await client.models.list()\n" + UNRELATED,
    "match": CLIENT + "match X:\n    case 1:\n        pass\n" + UNRELATED,
    "form feed": CLIENT + "\x0c\ndef f():\n    pass\n",
    "empty": "",
    "nothing but comments": "# one\n# two\n",
    "comments after a definition": CLIENT
    + "def f():\n    return 1  # ends here\n    # inside\n# after: nothing\n\n"
    + REQUEST,
}


@pytest.mark.parametrize("name", TRICKY)
def test_a_tricky_module_reads_as_the_whole_read_gives(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_same_read(TRICKY[name], monkeypatch)


def test_every_fixture_and_test_module_reads_as_the_whole_read_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = sorted([*(ROOT / "fixtures").rglob("*.py"), *(ROOT / "lint_wb").rglob("*.py")])
    assert len(paths) > 200
    for path in paths:
        assert_same_read(path.read_text(encoding="utf-8"), monkeypatch)


# ------------------------------------------------------------------ errors, as the whole compile


LATE_ERRORS = [
    "from __future__ import annotations\n",  # only allowed at the top
    "def f():\n    pass\nglobal helper\n",  # after the name is bound, a definition between
    "return 1\n",
    "nonlocal helper\n",
    "def twice(a, a):\n    pass\n",
    "def f():\n    x = 1\n    global x\n",
    "def broken(:\n    pass\n",
    "@decorator\nx = 1\n",
    "x = '''never closed\n",
    "class C:\n  pass\n else:\n    pass\n",
    "x = 'a\0b'\n",
]


@pytest.mark.parametrize("late", LATE_ERRORS)
def test_a_module_that_does_not_compile_says_what_compiling_its_text_says(
    late: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = CLIENT + "helper = 1\n" + UNRELATED + late + UNRELATED
    error = assert_same_read(text, monkeypatch)
    expected = compile_error(text)
    assert isinstance(error, SyntaxError) and expected is not None
    assert (error.msg, error.lineno, error.offset) == (
        expected.msg,
        expected.lineno,
        expected.offset,
    )


# ------------------------------------------------------------------ read whole


def test_a_module_that_reaches_names_by_strings_is_read_whole(
    ast_reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = CLIENT + UNRELATED + "globals()['x'] = 1\n"
    partial = assert_same_read(text, monkeypatch)
    assert isinstance(partial, Partial) and partial.whole
    assert not ast_reads  # not cut in pieces: `ast` of the whole text


def test_a_module_kept_whole_has_the_whole_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    text = CLIENT + "def ask():\n    return client.models.list()\n" + REQUEST
    partial = assert_same_read(text, monkeypatch)
    assert isinstance(partial, Partial) and partial.whole and partial.tree is not None
    assert dump(partial.tree) == dump(ast.parse(text))


def test_a_module_read_whole_on_request_is_not_cut(
    ast_reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    partial = module_parse.read_partial(CLIENT + UNRELATED, whole=True)
    assert isinstance(partial, Partial) and partial.whole and not ast_reads
