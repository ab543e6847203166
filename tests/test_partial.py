"""The partial parse (`lint_wb/partial.py`, `lint_wb/module_parse.py`): libcst is given only
the top-level statements that can matter, the others blanked, and nothing a run reports or
writes changes.

The differential tests lint every fixture and every project under fixtures/projects both
ways (`module_parse.PARTIAL_PARSES` off: every module parsed whole) and compare the outputs
byte for byte, findings and `--diff`; the selection tests pin what is kept and dropped.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import libcst
import pytest

from lint_wb import _cst, engine, module_parse
from lint_wb import partial as partial_module
from lint_wb.cli.main import main
from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.fix_loop import fix_source
from lint_wb.partial import Partial, partial_text
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec
from lint_wb.syntax_error import compile_error
from tests.cli_runner import make_runner
from tests.engine_reads import record_reads

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROJECTS = FIXTURES / "projects"
CLIENT = (
    "import os\n"
    "from openai import OpenAI\n"
    "\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", '
    'api_key=os.environ["WANDB_API_KEY"])\n'
)


def kept_lines(partial: Partial) -> list[str]:
    return [line for line in partial.text.splitlines() if line.strip() not in ("", "\\")]


LINES = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")


def lines_of(text: str) -> list[tuple[str, str]]:
    """Each line of `text` and the line break that ends it (libcst's and Python's)."""
    found = [(match[1], match[2]) for match in LINES.finditer(text)]
    return found[:-1] if text else found


def select(text: str) -> Partial:
    """The partial text, checked to have the original's lines, line breaks included: each
    line is the original's, or blanked (empty, a bare `\\`, spaces, or the spaces of a
    dropped statement's last line before a comment that stays where it stood)."""
    partial = partial_text(text, ast.parse(text))
    original, parsed = lines_of(text), lines_of(partial.text)
    assert [end for _, end in parsed] == [end for _, end in original]
    for (line, _), (kept, _) in zip(original, parsed):
        rest = kept.lstrip(" ")
        if kept != line and kept not in ("", "\\") and rest:
            assert rest.startswith("#") and line.endswith(rest) and len(kept) == len(line)
    return partial


# ------------------------------------------------------------------ what is kept


def test_an_unrelated_function_is_dropped_and_its_lines_stay() -> None:
    text = CLIENT + (
        "\n"
        "def area(width, height):  # noqa: E501\n"
        "    return width * height  # a comment after the statement stays\n"
        "\n"
        "def ask(question):\n"
        "    return client.chat.completions.create(model='x', messages=[question])\n"
    )
    partial = select(text)
    assert "def area" not in partial.text
    assert "# noqa: E501" not in partial.text  # inside the dropped statement: blanked
    assert "# a comment after the statement stays" in partial.text
    assert "def ask" in partial.text
    assert partial.text.count("\n") == text.count("\n")
    row = text.splitlines().index("def ask(question):")
    assert partial.text.splitlines()[row] == "def ask(question):"  # at its row, shorter
    assert partial.text.index("def ask") < text.index("def ask")
    assert {"area", "width", "height"} <= partial.dropped


def test_a_factory_and_its_callers_are_kept() -> None:
    text = (
        "from openai import OpenAI\n"
        "def make(url):\n"
        "    return OpenAI(base_url=url)\n"
        "backup = make(BACKUP)\n"  # says nothing of W&B: kept as a caller of `make`
        "BACKUP = 'https://example.com/v1'\n"  # read by a caller: kept
        "def unrelated():\n"
        "    return 1\n"
    )
    lines = kept_lines(select(text))
    assert "backup = make(BACKUP)" in lines
    assert "BACKUP = 'https://example.com/v1'" in lines
    assert "def unrelated():" not in lines


def test_a_dict_of_model_names_a_request_reads_is_kept() -> None:
    text = CLIENT + (
        "MODELS = {'fast': 'meta-llama/Llama-3.1-8B-Instruct', 'big': 'x/y'}\n"
        "SIZES = {'fast': 1, 'big': 2}\n"
        "client.chat.completions.create(model=MODELS['fast'], messages=[])\n"
    )
    lines = kept_lines(select(text))
    assert any(line.startswith("MODELS = ") for line in lines)
    assert not any(line.startswith("SIZES = ") for line in lines)


def test_a_mutation_of_a_kept_list_is_kept() -> None:
    text = CLIENT + (
        "HISTORY = [{'role': 'user', 'content': 'hi'}]\n"
        "def remember(text):\n"
        "    HISTORY.append(text)\n"
        "client.chat.completions.create(model='x', messages=HISTORY)\n"
    )
    assert "def remember(text):" in kept_lines(select(text))


def test_a_plain_import_does_not_pull_in_its_users() -> None:
    text = CLIENT + (
        "import logging\n"
        "logger = logging.getLogger(__name__)\n"
        "def ask(q):\n"
        "    logger.info(q)\n"
        "    return client.chat.completions.create(model='x', messages=[q])\n"
        "def unrelated(path):\n"
        "    logger.info(path)\n"
        "    return os.path.exists(path)\n"
    )
    lines = kept_lines(select(text))
    assert "logger = logging.getLogger(__name__)" in lines  # read by `ask`
    assert "def unrelated(path):" not in lines  # `os` and `logger` are nothing to follow


@pytest.mark.parametrize(
    "dynamic",
    [
        "globals()['x'] = 1",
        "exec(CODE)",
        "from helpers import *",
        "x = reimport * 2\nfrom helpers import \\\n *",
        "def __getattr__(name): ...",
    ],
)
def test_a_module_that_reaches_names_by_strings_is_kept_whole(dynamic: str) -> None:
    text = CLIENT + "def unrelated():\n    return 1\n" + dynamic + "\n"
    partial = select(text)
    assert partial.whole
    assert partial.text == text


@pytest.mark.parametrize("static", ["x = reimport * 2", "x = my_import * 2", "x = éimport * 2"])
def test_a_word_that_ends_in_import_is_no_star_import(static: str) -> None:
    text = CLIENT + "def unrelated():\n    return 1\n" + static + "\n"
    assert not select(text).whole


def test_statements_sharing_a_line_go_together() -> None:
    text = CLIENT + "a = 1; URL = 'https://api.inference.wandb.ai/v1'\nb = 2\n"
    lines = kept_lines(select(text))
    assert "a = 1; URL = 'https://api.inference.wandb.ai/v1'" in lines
    assert "b = 2" not in lines


def test_a_dropped_statement_ending_in_a_semicolon_leaves_no_semicolon() -> None:
    text = CLIENT + "b = 2;  # a comment\nclient.chat.completions.create(model='x', messages=[])\n"
    partial = select(text)
    assert ";" not in partial.text.splitlines()[4]
    libcst.parse_module(partial.text)


DROPPED = (
    "def area(width, height):\n"
    "    total = width * height\n"
    "\n"
    "    return total  # the area\n"
    "A = 1\n"
    "B = [\n"
    "    2,\n"
    "]\n"
)
"""A function and two statements, all dropped."""


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_dropped_statements_are_a_blank_line_each_to_libcst(newline: str) -> None:
    """Each line of a dropped stretch but the last ends in a `\\`, so libcst makes one
    blank line of the stretch (not one a line); the kept statements stand where they stood."""
    request = "client.chat.completions.create(model='x', messages=[])\n"
    text = (CLIENT + "\n" + DROPPED + request).replace("\n", newline)
    partial = select(text)
    module = libcst.parse_module(partial.text)
    leading = module.body[-1].leading_lines
    comments = [line.comment and line.comment.value for line in leading]
    backslashes = [line.whitespace.value.count("\\") for line in leading]
    assert list(zip(backslashes, comments)) == [
        (0, None),  # the blank line after the client
        (2, None),  # the function's first lines, up to the blank line in it
        (0, "# the area"),  # its last line: a comment after it stays
        (3, None),  # `A = 1` and `B = [...]`: one stretch of 4 lines
    ]
    assert partial.text.split(newline)[9] == "\\"  # `A = 1`: a bare `\\`
    whole = libcst.parse_module(text)
    kept, as_written = module.body[-1].body[0], whole.body[-1].body[0]
    assert module.code_for_node(kept) == whole.code_for_node(as_written)


@pytest.mark.parametrize(
    "after",
    [
        "  # a comment after the last dropped line\n",  # it stays, and ends the blank line
        "",  # the text ends on the dropped line
        "\r",  # a lone `\\r`: no `\\` before it
    ],
)
def test_a_dropped_stretch_ends_in_a_line_of_spaces(after: str) -> None:
    """The last line of a dropped stretch is one space, or, when a comment follows it, as
    many spaces as the statement's text there (the comment stays at its column)."""
    text = CLIENT + "\n" + "def f():\n    return 1" + after + "x = client\n" * bool(after)
    partial = select(text)
    last = re.split(r"\r\n|\r|\n", partial.text)[6]
    assert last == (" " * 12 + after.rstrip() if "#" in after else " ")
    libcst.parse_module(partial.text)


@pytest.mark.parametrize("ends_line", [True, False])
@pytest.mark.parametrize(
    "piece",
    ["", "x", "x\n", "\n", "\n\n", "a\n\n  b\n", "def f():\n    return 1", "\t\f\\\n  \nz"],
)
def test_a_stretch_of_lf_lines_is_blanked_as_one_of_crlf_lines(piece: str, ends_line: bool) -> None:
    """Lines ending in `\\n` alone are blanked by one substitution (`_blanked_lines`), others
    line by line: both give the same lines (an empty line stays empty, any other is a `\\`,
    the last one a space or spaces)."""
    crlf = partial_module._blanked(piece.replace("\n", "\r\n"), ends_line)
    assert partial_module._blanked(piece, ends_line) == crlf.replace("\r\n", "\n")


def test_the_docstring_and_the_first_statement_after_it_are_kept() -> None:
    text = '"""Doc."""\nfrom __future__ import annotations\nX = 1\nY = 2\n' + CLIENT
    lines = kept_lines(select(text))
    assert lines[:3] == ['"""Doc."""', "from __future__ import annotations", "X = 1"]
    assert "Y = 2" not in lines


IMPORTS = (
    '"""Doc."""\n'
    "X = 1\n"
    "import asyncio\n"  # the first import: a fix puts its own import before it
    "import json\n"
    "from typing import Any\n"  # read by the kept function
    "import os\n"  # read by nothing kept, but a key fix looks for it
    "from openai import OpenAI\n"
    "\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1")\n'
    "def ask(q: Any):\n"
    "    return client.chat.completions.create(model='x', messages=[q])\n"
)


def test_only_the_imports_that_can_matter_are_kept() -> None:
    partial = select(IMPORTS)
    lines = kept_lines(partial)
    assert "import json" not in lines
    assert "json" in partial.dropped
    assert {"import asyncio", "from typing import Any", "import os"} <= set(lines)
    assert "from openai import OpenAI" in lines


@pytest.mark.parametrize("has_os", [True, False], ids=["os imported", "os not imported"])
def test_a_fix_that_adds_an_import_is_the_whole_parses(has_os: bool) -> None:
    """WB107's fix reads the key through `os`: with `import os` read by nothing kept, it adds
    no second one; without it, it puts `import os` before the first import (unread too)."""
    text = IMPORTS if has_os else IMPORTS.replace("import os\n", "")
    options = LintOptions(enabled=ALL_CODES, assume_wandb=True)
    spec = load_spec()
    partial = lint_source(text, "x.py", options, spec)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module_parse, "PARTIAL_PARSES", False)
        whole = lint_source(text, "x.py", options, spec)
    assert "WB107" in [finding.code for finding in partial.findings]
    assert partial.findings == whole.findings
    fixed = fix_source(text, "x.py", options, spec, unsafe_fixes=True).text
    assert fixed.count("import os\n") == 1
    assert ("import os\nimport asyncio" in fixed) is not has_os


# ------------------------------------------------------------------ what libcst is given


def count_parsed_lines(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every libcst parse appends how many non-blank lines it was given (a line of spaces
    and a `\\`, as a dropped statement leaves, is blank)."""
    given: list[int] = []
    parse = libcst.parse_module

    def counting(text: str, *args: object, **kwargs: object) -> libcst.Module:
        given.append(sum(1 for line in text.splitlines() if line.strip() not in ("", "\\")))
        return parse(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(libcst, "parse_module", counting)
    monkeypatch.setattr(_cst.cst, "parse_module", counting, raising=False)
    return given


def big_module(functions: int) -> str:
    """A large module with one W&B request, as the 5 MB benchmark file is."""
    filler = "".join(
        f"def helper_{n}(rows):\n"
        f"    total = 0\n"
        f"    for row in rows:\n"
        f"        total += row * {n}\n"
        f"    return total\n\n\n"
        for n in range(functions)
    )
    request = (
        "def ask(question):\n"
        "    return client.chat.completions.create(\n"
        "        model='meta-llama/Llama-3.3-70B-Instruct', temperature=3,\n"
        "        messages=[{'role': 'user', 'content': question}],\n"
        "    )\n"
    )
    return CLIENT + "\n\n" + filler + request


def test_a_big_module_gives_libcst_only_its_w_and_b_statements(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = big_module(2000)
    given = count_parsed_lines(monkeypatch)
    spec = load_spec()
    result = lint_source(text, "big.py", LintOptions(enabled=ALL_CODES), spec)
    assert [finding.code for finding in result.findings] == ["WB301"]
    row = next(n for n, line in enumerate(text.splitlines(), 1) if "temperature=3" in line)
    assert result.findings[0].location.row == row
    assert given == [len([line for line in big_module(0).splitlines() if line])]
    assert len(text.splitlines()) > 10_000


def test_a_dropped_statements_noqa_is_still_read() -> None:
    """A `noqa` in a statement the parse leaves out is still read from the original text:
    unused, it is reported (WB902) as a whole parse reports it."""
    text = CLIENT + "def unrelated():\n    return 1  # noqa: WB301\n"
    spec = load_spec()
    partial = lint_source(text, "x.py", LintOptions(enabled=ALL_CODES), spec)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module_parse, "PARTIAL_PARSES", False)
        whole = lint_source(text, "x.py", LintOptions(enabled=ALL_CODES), spec)
    assert [f.code for f in partial.findings] == [f.code for f in whole.findings] == ["WB902"]
    assert partial.findings == whole.findings


def test_a_fix_over_dropped_statements_is_made_on_a_whole_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A port rewrites the import and the client: the edit between them would span a
    dropped function, so the file is linted again whole and the fix is the whole parse's."""
    text = (
        "import os\n"
        "from groq import Groq\n"
        "\n"
        "def unrelated(x):\n"
        "    return x + 1\n"
        "\n"
        'client = Groq(api_key=os.environ.get("GROQ_API_KEY"))\n'
    )
    spec = load_spec()
    options = LintOptions(enabled=ALL_CODES, assume_wandb=True)
    parses = record_reads(monkeypatch)
    partial = fix_source(text, "x.py", options, spec, unsafe_fixes=True)
    # the partial parse, then the whole one
    assert [read.whole for read in parses[:2]] == [False, True]
    monkeypatch.setattr(module_parse, "PARTIAL_PARSES", False)
    whole = fix_source(text, "x.py", options, spec, unsafe_fixes=True)
    assert [f.code for f in partial.fixed] == ["WB603"]
    assert partial.text == whole.text
    assert "def unrelated(x):\n    return x + 1\n" in partial.text


def test_a_fix_whose_code_the_partial_parse_cannot_vouch_for_is_made_on_a_whole_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A port's edit over a module whose partial parse generates other code than the text
    holds (a block indented with a tab, dropped): the edit is not given up as a guess but
    made on a whole parse, so the finding keeps the fix a whole parse gives it."""
    text = (
        'g = groq.Groq(api_key="k")\n'
        "if True:\n"
        "\tz = 1\n"
        "import groq\n"
        "B = [\n"
        "]\n"
        "def area(w, h):\n"
        "\n"
        "    return t  # c\n"
    )
    spec = load_spec()
    options = LintOptions(enabled=ALL_CODES, assume_wandb=True)
    partial = lint_source(text, "x.py", options, spec)
    monkeypatch.setattr(module_parse, "PARTIAL_PARSES", False)
    whole = lint_source(text, "x.py", options, spec)
    assert [(f.code, f.fix is not None) for f in partial.findings] == [("WB603", True)]
    assert partial.findings == whole.findings


def test_an_argument_added_on_its_own_line_is_made_on_the_partial_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Adding `base_url` before a call's first argument inserts `base_url=...,` and the
    next line's indentation: no blank line, so the partial parse's fix stands (it was
    taken for a dropped statement's blank line, and the file linted again whole)."""
    text = (
        "import os\n"
        "from openai import OpenAI\n"
        "\n"
        "def unrelated(x):\n"
        "    return x + 1\n"
        "\n"
        "client = OpenAI(\n"
        '    api_key=os.environ["WANDB_API_KEY"],\n'
        '    project="acme/bot",\n'
        ")\n"
    )
    spec = load_spec()
    options = LintOptions(enabled=ALL_CODES)
    parses = record_reads(monkeypatch)
    partial = fix_source(text, "x.py", options, spec, unsafe_fixes=True)
    assert parses and not any(read.whole for read in parses)  # never linted again whole
    monkeypatch.setattr(module_parse, "PARTIAL_PARSES", False)
    whole = fix_source(text, "x.py", options, spec, unsafe_fixes=True)
    assert "Add the W&B base_url" in [f.fix.message for f in partial.fixed if f.fix]
    assert partial.text == whole.text
    assert '    base_url="https://api.inference.wandb.ai/v1",\n    api_key=' in partial.text
    assert "def unrelated(x):\n    return x + 1\n" in partial.text


@pytest.mark.parametrize(
    ("inserted", "blank"),
    [
        ('base_url="u",\n    ', False),  # the next argument's indentation follows
        ("timeout=9, ", False),  # on the line
        ("x,\n    \n    ", True),  # a line of spaces, as a dropped statement leaves
        ("    \n", True),  # a blank line put before `api_key=`'s line
        ("x,\n    \\\n    ", True),  # a line of spaces and a `\\`, as a dropped stretch leaves
    ],
)
def test_an_edit_that_leaves_a_line_of_spaces_is_made_on_a_whole_parse(
    inserted: str, blank: bool
) -> None:
    """On a partial parse a line of spaces may be a dropped statement's: an edit that
    would leave one (in the whole lines it touches) is made again on a whole parse."""
    text = CLIENT.replace("OpenAI(", "OpenAI(\n    ") + "def unrelated(x):\n    return x\n"
    parsed = module_parse.parse_text(text)
    assert isinstance(parsed, module_parse.ParsedModule) and not parsed.whole
    builder = engine._FindingBuilder(parsed, "x.py", None)
    at = text.index("base_url=")
    if blank:
        with pytest.raises(engine._PartialTooNarrow):
            builder._check_partial(at, at, inserted)
    else:
        builder._check_partial(at, at, inserted)


# ------------------------------------------------------------------ same outputs both ways


def run(args: list[str], monkeypatch: pytest.MonkeyPatch, partial: bool) -> str:
    monkeypatch.setattr(module_parse, "PARTIAL_PARSES", partial)
    result = make_runner().invoke(main, ["--no-cache", "--exit-zero", "--jobs", "1", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


PROJECT_ROOTS = [str(path) for path in sorted(PROJECTS.iterdir()) if path.is_dir()]
CASES = {
    "fixtures": ["--output-format", "json", str(FIXTURES)],
    "fixtures assume-wandb": ["--output-format", "json", "--assume-wandb", str(FIXTURES)],
    "fixtures diff": ["--diff", "--unsafe-fixes", str(FIXTURES)],
    "projects": ["--output-format", "json", *PROJECT_ROOTS],
    "projects diff": ["--diff", "--unsafe-fixes", *PROJECT_ROOTS],
}


@pytest.mark.parametrize("case", CASES)
def test_a_partial_parse_reports_and_fixes_what_a_whole_parse_does(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = run(CASES[case], monkeypatch, partial=False)
    partial = run(CASES[case], monkeypatch, partial=True)
    assert partial == whole
    assert len(json.loads(partial)) > 20 if "json" in CASES[case] else "+++" in partial


# ------------------------------------------------------------------ a big module, in chunks


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Texts over 2,000 characters are read in chunks of about 500; the sizes of the texts
    compiled are recorded, and compiling a whole text is an error."""
    sizes: list[int] = []
    compiled = module_parse._compiled

    def recording(piece: str, future: int) -> ast.Module | None:
        sizes.append(len(piece))
        return compiled(piece, future)

    monkeypatch.setattr(module_parse, "CHUNKED", 2_000)
    monkeypatch.setattr(module_parse, "CHUNK_CHARACTERS", 500)
    monkeypatch.setattr(module_parse, "_compiled", recording)
    return sizes


def test_a_big_module_is_compiled_and_read_in_chunks(
    small_chunks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = big_module(100)
    monkeypatch.setattr(module_parse, "compile_error", lambda text: pytest.fail("whole compile"))
    parsed = module_parse.parse_text(text)
    assert not isinstance(parsed, Exception)
    assert parsed.parsed_text == partial_text(text, ast.parse(text)).text
    assert len(small_chunks) > 10 and max(small_chunks) < 1_500


@pytest.mark.parametrize(
    "middle",
    [
        'X = """\n' + "def f():\n    pass\n" * 60 + '"""\n',  # a string over the cuts
        "if X:\n    pass\n" + "elif Y:\n    pass\n" * 60,
        "@decorator\n" * 60 + "def decorated():\n    pass\n",
        "data = [\n" + "1,\n" * 300 + "]\n",
    ],
)
def test_cuts_inside_a_statement_read_it_whole(small_chunks: list[int], middle: str) -> None:
    text = big_module(30) + middle + big_module(30)
    parsed = module_parse.parse_text(text)
    assert not isinstance(parsed, Exception)
    assert parsed.parsed_text == partial_text(text, ast.parse(text)).text


@pytest.mark.parametrize(
    "late",
    [
        "def broken(:\n    pass\n",  # a syntax error far down
        "from __future__ import annotations\n",  # only allowed at the top
        "global helper_3\n",  # `global` of a name a chunk before binds
        "return 1\n",  # the compiler's own error, not the parser's
    ],
)
@pytest.mark.parametrize("chunk", [500, 1])
def test_a_big_module_that_does_not_compile_says_what_the_whole_compile_says(
    small_chunks: list[int], late: str, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module_parse, "CHUNK_CHARACTERS", chunk)  # 1: a chunk a statement
    text = big_module(60) + late + big_module(10)
    error = module_parse.parse_text(text)
    expected = compile_error(text)
    assert isinstance(error, SyntaxError) and expected is not None
    assert (error.msg, error.lineno, error.offset) == (
        expected.msg,
        expected.lineno,
        expected.offset,
    )


@pytest.mark.parametrize(
    "late",
    [
        "return 1\n",
        "nonlocal helper\n",
        "break\n",
        "def twice(a, a):\n    pass\n",
        "def f():\n    x = 1\n    global x\n",
        "f(x=1, x=2)\n",
        "yield 1\n",
        "match X:\n    case y:\n        pass\n    case 1:\n        pass\n",
        "def broken(:\n    pass\n",
        "x = 'a\0b'\n",  # a NUL character: ValueError, not SyntaxError
    ],
)
def test_a_module_the_compiler_rejects_says_what_compiling_its_text_says(late: str) -> None:
    """The text is parsed once and its tree compiled; errors only the compiler's later
    stages raise (symbol table, code generation) are still found, in CPython's words."""
    text = CLIENT + late + "def unrelated():\n    return 2\n"
    error = module_parse.parse_text(text)
    expected = compile_error(text)
    assert isinstance(error, SyntaxError) and expected is not None
    assert (error.msg, error.lineno, error.offset) == (
        expected.msg,
        expected.lineno,
        expected.offset,
    )


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kinds of the libcst nodes validated as they are built."""
    built: list[str] = []
    check = libcst.CSTNode.__dict__["__post_init__"]

    def counting(node: libcst.CSTNode) -> None:
        built.append(type(node).__name__)
        check(node)

    monkeypatch.setattr(libcst.CSTNode, "__post_init__", counting)
    return built


def test_the_parse_builds_its_nodes_unvalidated_and_later_nodes_are_validated(
    validations: list[str],
) -> None:
    """What the parser builds from text it accepted is valid: its nodes skip libcst's
    `_validate` (a tenth of the parse); a node built afterwards (a fix's) is checked."""
    parsed = module_parse.parse_text(big_module(3))
    assert isinstance(parsed, module_parse.ParsedModule)
    assert validations == []
    libcst.Name("x")
    assert validations == ["Name"]
    with pytest.raises(libcst.CSTValidationError):
        libcst.Name("")


def test_a_parse_switches_validation_off_without_replacing_the_hook() -> None:
    """Setting an attribute of libcst's base node class invalidates what Python caches of
    every node class: the hook is replaced once, and each parse only switches it."""
    module_parse.parse_text("x = 1\n")
    hook = libcst.CSTNode.__dict__["__post_init__"]
    with module_parse.unvalidated(libcst.CSTNode):
        assert libcst.CSTNode.__dict__["__post_init__"] is hook
        libcst.Name("")  # not validated
    assert libcst.CSTNode.__dict__["__post_init__"] is hook
    with pytest.raises(libcst.CSTValidationError):
        libcst.Name("")


def test_nodes_are_validated_again_after_a_parse_that_fails(validations: list[str]) -> None:
    with pytest.raises(RuntimeError), module_parse.unvalidated(libcst.CSTNode):
        libcst.Name("")
        raise RuntimeError
    assert validations == []
    libcst.Name("x")
    assert validations == ["Name"]


# ------------------------------------------------------------------ the project reads whole


SERVICE = (
    "import os\n"
    "\n"
    "from openai import OpenAI\n"
    "\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["K"])\n'
    "\n"
    "\n"
    "def ask(name, question):\n"
    "    return client.chat.completions.create(\n"
    '        model=name, messages=[{"role": "user", "content": question}]\n'
    "    )\n"
)
CALLER = (
    "from service import ask\n"
    "\n"
    "\n"
    "def respond(question):\n"  # nothing of W&B: dropped by the partial parse
    '    return ask("nobody-serves-this", question)\n'
)


def test_a_call_in_a_dropped_statement_makes_the_project_read_the_module_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ask`'s model comes from its callers; the one call is in a statement other.py's
    partial parse leaves out, so the index reads other.py whole and reports there."""
    (tmp_path / "lint-wb.toml").write_text("")
    (tmp_path / "service.py").write_text(SERVICE)
    (tmp_path / "other.py").write_text(CALLER)
    partial = module_parse.parse_text(CALLER)
    assert not isinstance(partial, Exception) and "def respond" not in partial.parsed_text
    args = ["--output-format", "json", str(tmp_path)]
    found = run(args, monkeypatch, partial=True)
    assert found == run(args, monkeypatch, partial=False)
    rows = json.loads(found)
    assert [(Path(row["filename"]).name, row["code"]) for row in rows] == [("other.py", "WB501")]


@pytest.mark.parametrize(
    "text",
    [
        "x = 0x1F + 1e5 + 10_000 + 3j + 0b1 + _9 + a1b2",
        "def f(a, *args, **kwargs):\n\treturn a.b_c(__init__)  # 2nd item\x0c\n",
        "names = ['naïve', 'café', 'π'] + über_value + x² + «a»b",
        "s = '1abc 22_x 3__'; t = f'{u!r:>10}' \\\n  + v",
        "",
        "0 1 2",
    ],
)
def test_identifiers_are_what_the_identifier_pattern_finds(text: str) -> None:
    """`identifiers` splits ASCII text without the pattern: the same words, a number's
    trailing letters included (`0x1F` holds `x1F`), in a whole text and in any part of it."""
    from lint_wb.partial import IDENTIFIER, identifiers

    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1, 3):
            assert identifiers(text, start, end) == set(IDENTIFIER.findall(text, start, end))


# ------------------------------------------------------------------ readings kept by text


def read_fresh_and_kept(texts: list[str]) -> list[tuple[Partial, Partial]]:
    """Each text's partial read with no reading kept, and read after the texts before it
    (whose one-statement units' readings are kept by their text: `partial._Reading`)."""
    from lint_wb.partial import vocabulary

    readings = vocabulary()._readings
    pairs: list[tuple[Partial, Partial]] = []
    for position, text in enumerate(texts):
        readings.clear()
        fresh = module_parse.read_partial(text)
        readings.clear()
        for earlier in texts[: position + 1]:
            kept = module_parse.read_partial(earlier)
        assert isinstance(fresh, Partial) and isinstance(kept, Partial)
        pairs.append((fresh, kept))
    readings.clear()
    return pairs


def same_partial(first: Partial, second: Partial) -> bool:
    """The same text, statements kept and dropped words, and the same kept tree."""
    assert first.tree is not None and second.tree is not None
    trees = (
        ast.dump(first.tree, include_attributes=True),
        ast.dump(second.tree, include_attributes=True),
    )
    same = (first.text, first.kept, first.dropped) == (second.text, second.kept, second.dropped)
    return same and trees[0] == trees[1]


@pytest.mark.parametrize(
    "texts",
    [
        # two statements on one line are one unit: its reading is both statements'
        [CLIENT + "import json; import yaml\nopenai_config = yaml.safe_load('x')\n"] * 2,
        # a character whose lower case is two (`İ`) moves where each unit stands in the
        # lowered text: such a module's units are read as ever, not from a kept reading
        [
            CLIENT + 'V = "zzopenai"\n',
            "# " + "\u0130" * 8 + "\n" + CLIENT + 'V = "zzopenai"\n',
        ],
    ],
)
def test_a_unit_read_from_a_kept_reading_selects_as_a_fresh_read(texts: list[str]) -> None:
    for fresh, kept in read_fresh_and_kept(texts):
        assert same_partial(fresh, kept)


def test_a_line_read_in_an_earlier_module_is_not_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The identifiers of a one-statement unit whose text an earlier module had are not
    collected again (most modules of a tree start with the same imports)."""
    from lint_wb import partial

    counted: list[int] = []
    found = partial.identifiers

    def counting(text: str, start: int, end: int) -> set[str]:
        counted.append(start)
        return found(text, start, end)

    monkeypatch.setattr(partial, "identifiers", counting)
    text = CLIENT + "import json\nimport logging\nlogger = logging.getLogger(__name__)\n"
    partial.vocabulary()._readings.clear()
    module_parse.read_partial(text)
    first = len(counted)
    module_parse.read_partial("import logging\n" + text)
    assert first == 6 and len(counted) == first
    partial.vocabulary()._readings.clear()
