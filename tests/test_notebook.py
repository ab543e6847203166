""".ipynb support: cells linted together, findings per cell, magics skipped, cell-by-cell fixes.

Inline expectations cannot live in JSON, so the fixture's expected (cell, row, code) list is
here; `chat_demo.fixed.ipynb` is the exact expected output of `lint-wb --fix` on it.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import nbformat
import pytest
from click.testing import CliRunner

from lint_wb import fix_loop
from lint_wb.api import FileResult, Mode, Overrides, SettingsCache, check_file
from lint_wb.cli.main import main
from lint_wb.findings import Location
from lint_wb.fix_loop import FixOutcome
from lint_wb.lines import LineIndex
from lint_wb.notebook.module import BOUNDARY, with_lines

NOTEBOOKS = Path(__file__).resolve().parent.parent / "fixtures" / "notebooks"
DEMO = NOTEBOOKS / "chat_demo.ipynb"
DEMO_FIXED = NOTEBOOKS / "chat_demo.fixed.ipynb"
DEMO_EXPECTED = [(6, 2, "WB101"), (7, 5, "WB302"), (8, 5, "WB301")]
"""Cell 6 is the client, 7 a `%%time` request, 8 a streaming request (unsafe fix only)."""

WRONG = "https://api.wandb.ai/v1"
RIGHT = "https://api.inference.wandb.ai/v1"
IMPORTS = "import os\n\nfrom openai import OpenAI\n"
CLIENT = f'client = OpenAI(base_url="{WRONG}", api_key=os.environ["WANDB_API_KEY"])'
GOOD_CLIENT = f'client = OpenAI(base_url="{RIGHT}", api_key=os.environ["WANDB_API_KEY"])'


# --------------------------------------------------------------------------- helpers


def code(source: str | list[str]) -> dict[str, object]:
    """A code cell; a string source is split into lines, as Jupyter writes it."""
    lines = source if isinstance(source, list) else source.splitlines(keepends=True)
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": _new_id(),
        "metadata": {},
        "outputs": [],
        "source": lines,
    }


def markdown(text: str) -> dict[str, object]:
    return {
        "cell_type": "markdown",
        "id": _new_id(),
        "metadata": {},
        "source": text.splitlines(keepends=True),
    }


_IDS = itertools.count(1)


def _new_id() -> str:
    return f"cell-{next(_IDS)}"


def notebook(*cells: dict[str, object], language: str = "python") -> dict[str, object]:
    return {
        "cells": list(cells),
        "metadata": {"language_info": {"name": language}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def as_jupyter_writes(document: dict[str, object]) -> str:
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write(tmp_path: Path, document: dict[str, object] | str, name: str = "nb.ipynb") -> Path:
    path = tmp_path / name
    text = document if isinstance(document, str) else as_jupyter_writes(document)
    path.write_text(text, encoding="utf-8")
    return path


def check(path: Path, *, fix: bool = False, diff: bool = False) -> FileResult:
    return check_file(path, SettingsCache(Overrides(isolated=True)), Mode(fix=fix, diff=diff))


def places(result: FileResult) -> list[tuple[int | None, int, str]]:
    return [(f.cell, f.location.row, f.code) for f in result.findings]


def sources(path: Path) -> list[object]:
    return [cell["source"] for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def assert_valid(text: str) -> None:
    nbformat.validate(nbformat.reads(text, as_version=4))


# --------------------------------------------------------------------------- the fixture


def test_fixture_findings_name_their_cells() -> None:
    result = check(DEMO)
    assert result.error is None
    assert result.notes == ()
    assert places(result) == DEMO_EXPECTED


def test_fixture_fix_gives_the_fixed_twin_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / DEMO.name
    shutil.copyfile(DEMO, path)
    result = check(path, fix=True)
    assert result.error is None and result.notes == ()
    assert sorted(f.cell for f in result.fixed) == [6, 7]
    assert path.read_bytes() == DEMO_FIXED.read_bytes()
    assert_valid(path.read_text(encoding="utf-8"))
    # Only cells 6 and 7 changed; every other cell's source is the same list of lines.
    changed = [i + 1 for i, (a, b) in enumerate(zip(sources(DEMO), sources(path))) if a != b]
    assert changed == [6, 7]
    again = check(path, fix=True)
    assert again.fixed == ()
    assert path.read_bytes() == DEMO_FIXED.read_bytes()


def test_fixed_twin_relints_to_what_the_fix_left() -> None:
    assert places(check(DEMO_FIXED)) == [(8, 5, "WB301")]


@pytest.fixture
def demo(outside_the_checkout: Path) -> Path:
    """A copy of the fixture notebook, for tests of the command line: linted by path in this
    checkout, its project would be lint-wb's own, whose index takes seconds."""
    return Path(shutil.copyfile(DEMO, outside_the_checkout / DEMO.name))


def test_text_output_names_the_cell(demo: Path) -> None:
    runner = CliRunner()
    full = runner.invoke(main, ["--isolated", str(demo)])
    assert full.exit_code == 1, full.output
    assert f"{demo}:cell 6:2:14: WB101" in full.output
    assert '2 |     base_url="https://api.wandb.ai/v1",' in full.output  # the row in the cell
    concise = runner.invoke(main, ["--isolated", "--output-format", "concise", str(demo)])
    lines = [line for line in concise.output.splitlines() if ": WB" in line]
    assert [line.split(" WB")[0] for line in lines] == [
        f"{demo}:cell 6:2:14:",
        f"{demo}:cell 7:5:17:",
        f"{demo}:cell 8:5:11:",
    ]


@pytest.mark.parametrize("output_format", ["json", "json-lines"])
def test_machine_output_has_the_cell(output_format: str, demo: Path) -> None:
    result = CliRunner().invoke(main, ["--isolated", "--output-format", output_format, str(demo)])
    if output_format == "json":
        objects = json.loads(result.output)
    else:
        objects = [json.loads(line) for line in result.output.splitlines()]
    found = [(o["cell"], o["location"]["row"], o["code"]) for o in objects]
    assert found == DEMO_EXPECTED
    edit = objects[0]["fix"]["edits"][0]
    assert (edit["location"]["row"], edit["content"]) == (2, "inference.")


def test_diff_shows_cell_sources_not_json(tmp_path: Path) -> None:
    path = tmp_path / DEMO.name
    shutil.copyfile(DEMO, path)
    result = CliRunner().invoke(main, ["--isolated", "--diff", str(path)])
    assert result.exit_code == 1
    assert f"--- {path}:cell 6\n+++ {path}:cell 6\n" in result.output
    assert f'+    base_url="{RIGHT}",\n' in result.output
    assert "+    temperature=0.7,\n" in result.output
    assert '"source"' not in result.output and "\\n" not in result.output
    assert path.read_bytes() == DEMO.read_bytes()


# --------------------------------------------------------------------------- broken notebooks


BROKEN = {
    '{"cells": [{"cell_type": "code", "source": "import wandb"}': "invalid JSON at line 1",
    '["wandb"]': "the JSON is not an object",
    '{"metadata": {"wandb": 1}}': "no `cells` list",
    '{"cells": {"wandb": 1}}': "no `cells` list",
    '{"cells": [{"source": "import wandb"}]}': "cell 1 has no `cell_type`",
    '{"cells": [{"cell_type": "code", "source": ["import wandb", 3]}]}': (
        "the `source` of cell 1 is not a string or a list of strings"
    ),
    '{"worksheets": [{"cells": []}], "wandb": 1}': "nbformat 3 notebooks are not supported",
}


@pytest.mark.parametrize(("text", "message"), BROKEN.items())
def test_broken_notebook_is_one_error_line(tmp_path: Path, text: str, message: str) -> None:
    result = check(write(tmp_path, text))
    assert result.error is not None and message in result.error
    assert "\n" not in result.error
    assert result.findings == ()


def test_broken_notebook_does_not_stop_the_run(tmp_path: Path) -> None:
    write(tmp_path, '{"cells": [ {"cell_type": "code", "source": "import wandb",', "bad.ipynb")
    (tmp_path / "good.py").write_text(f"{IMPORTS}{CLIENT}\n")
    result = CliRunner().invoke(main, ["--isolated", "--output-format", "concise", str(tmp_path)])
    assert result.exit_code == 2  # a path left unchecked
    assert "Traceback" not in result.output
    assert f"{tmp_path / 'bad.ipynb'}: not a valid notebook: invalid JSON" in result.output
    assert f"{tmp_path / 'good.py'}:4:26: WB101" in result.output


def test_notebook_without_code_cells(tmp_path: Path) -> None:
    path = write(tmp_path, notebook(markdown("# Using openai with W&B\n\n" + CLIENT)))
    result = check(path, fix=True)
    assert (result.error, result.findings, result.skipped, result.notes) == (None, (), False, ())
    assert result.fixed_text == path.read_text(encoding="utf-8")


def test_notebook_whose_only_code_cell_does_not_parse(tmp_path: Path) -> None:
    path = write(tmp_path, notebook(code("import wandb\nx = = 1\n")))
    result = check(path, fix=True)
    assert places(result) == [(1, 2, "WB901")]
    assert (result.notes, result.fixed) == ((), ())


def test_non_python_notebook_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, notebook(code("library(openai)\n" + CLIENT), language="R"))
    assert check(path).skipped


def test_prefilter_skips_notebooks_that_never_mention_openai(tmp_path: Path) -> None:
    path = write(tmp_path, notebook(code("import anthropic\nx = (\n")))
    assert check(path).skipped


# --------------------------------------------------------------------------- magics


def test_magics_and_shell_escapes_are_not_parse_errors(tmp_path: Path) -> None:
    cell = "\n".join(
        [
            "%pip install -q openai",  # 1
            "!nvidia-smi",
            "files = !ls data",
            "?OpenAI",
            "OpenAI?",  # 5
            "OpenAI.chat??",
            "pip install openai",  # automagic
            "!pip install \\",
            "    openai",  # continues the shell line above
            "for name in files:",  # 10
            "    !wc -l $name",
            "%time x = 1",
            "import os",
            "from openai import OpenAI",
            CLIENT,  # 15
        ]
    )
    result = check(write(tmp_path, notebook(code(cell))))
    assert places(result) == [(1, 15, "WB101")]
    assert result.findings[0].source_lines == (CLIENT,)


def test_a_future_import_may_start_any_cell(tmp_path: Path) -> None:
    """IPython compiles each cell alone, so `from __future__ import ...` may start a later
    cell: it stands aside as a magic line does, and the rest is linted and fixed, the import
    kept (before, the cells joined did not compile: one WB901 hid every other finding)."""
    future = "from __future__ import annotations  # for the hints below\nx: int = 1\n"
    path = write(tmp_path, notebook(code(IMPORTS + CLIENT + "\n"), code(future), code(REQUEST)))
    assert places(check(path)) == [(1, 4, "WB101"), (3, 1, "WB301")]
    check(path, fix=True)
    assert sources(path)[:2] == [
        (IMPORTS + GOOD_CLIENT + "\n").splitlines(True),
        future.splitlines(True),
    ]


def test_a_future_import_inside_a_block_is_still_a_syntax_error(tmp_path: Path) -> None:
    """IPython rejects it too: only a future import at a cell's top level stands aside."""
    nested = "if True:\n    from __future__ import annotations\n"
    path = write(tmp_path, notebook(code(IMPORTS + CLIENT + "\n"), code(nested)))
    assert "WB901" in [code for *_, code in places(check(path))]


def test_cell_magic_makes_the_cell_non_python(tmp_path: Path) -> None:
    bash = '%%bash\nif [ -n "$OPENAI_API_KEY" ]; then echo openai; fi\n'
    writefile = f"%%writefile app.py\n{IMPORTS}{CLIENT}\n"
    timed = f"%%time\n{IMPORTS}{CLIENT}\n"
    path = write(tmp_path, notebook(code(bash), code(writefile), code(timed)))
    result = check(path)
    assert places(result) == [(3, 5, "WB101")]


def test_question_marks_and_bangs_inside_strings_are_python(tmp_path: Path) -> None:
    prompt = 'PROMPT = """Is this a question?\n!not a shell command\n%not a magic\n"""\n'
    call = "x = ask(PROMPT,  # why?\n    'done?')\n"
    path = write(tmp_path, notebook(code(IMPORTS + prompt + call + CLIENT)))
    result = check(path, fix=True)
    assert places(result) == []
    assert sources(path) == [(IMPORTS + prompt + call + GOOD_CLIENT).splitlines(keepends=True)]


def test_a_fix_never_touches_a_magic_line(tmp_path: Path) -> None:
    shell = f'!curl -s {WRONG}/models -H "Authorization: Bearer $KEY"'
    cell = f"{IMPORTS}{shell}\n{CLIENT}\nclient?"
    path = write(tmp_path, notebook(code(cell)))
    result = check(path, fix=True)
    assert [f.code for f in result.fixed] == ["WB101"]
    assert sources(path) == [f"{IMPORTS}{shell}\n{GOOD_CLIENT}\nclient?".splitlines(True)]
    assert_valid(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- cells together


def test_names_from_earlier_cells_are_seen(tmp_path: Path) -> None:
    setup = f'{IMPORTS}\nWANDB_URL = "{WRONG}"\n'
    client = (
        'client = OpenAI(\n    base_url=WANDB_URL,\n    api_key=os.environ["WANDB_API_KEY"],\n)'
    )
    request = (
        "reply = client.chat.completions.create(\n"
        '    model="meta-llama/Llama-3.3-70B-Instruct",\n'
        '    messages=[{"role": "user", "content": "hi"}],\n'
        '    temperature="0.2",\n'
        ")"
    )
    document = notebook(code(setup), markdown("## Client"), code(client), code(request))
    path = write(tmp_path, document)
    result = check(path)
    # The wrong URL is reported where it is written: WANDB_URL in cell 1.
    assert places(result) == [(1, 5, "WB101"), (4, 4, "WB302")]
    url_fix = result.findings[0].fix
    assert url_fix is not None and "(in cell" not in url_fix.message  # the finding's own cell
    assert url_fix.edits[0].start.row == 5  # the constant's row in cell 1
    check(path, fix=True)
    after = sources(path)
    assert after[0] == setup.replace(WRONG, RIGHT).splitlines(keepends=True)
    assert after[2] == client.splitlines(keepends=True)  # untouched
    assert after[3] == request.replace('"0.2"', "0.2").splitlines(keepends=True)


def test_a_cell_that_does_not_parse_is_reported_and_the_rest_is_linted(tmp_path: Path) -> None:
    broken = "%matplotlib inline\nx = = 1\n"
    path = write(tmp_path, notebook(code(IMPORTS), code(broken), code(CLIENT)))
    result = check(path, fix=True)
    assert places(result) == [(2, 2, "WB901")]
    assert result.findings[0].source_lines == ("x = = 1",)
    assert result.findings[0].message.startswith("Cannot parse this cell")
    assert result.notes == ()
    assert [(f.cell, f.code) for f in result.fixed] == [(3, "WB101")]
    assert sources(path)[1:] == [broken.splitlines(True), GOOD_CLIENT.splitlines(True)]


DEEP = "x = " + "(" * 3000 + "1" + ")" * 3000 + "\n"
"""Nesting CPython refuses (WB901); libcst's parser, off the deep-stack thread, crashes on it."""
REQUEST = (
    'client.chat.completions.create(model="openai/gpt-oss-120b", temperature=3,\n'
    '    messages=[{"role": "user", "content": "hi"}])\n'
)


def test_a_cell_nesting_too_deep_reads_as_a_module_does_in_a_real_process(
    tmp_path: Path,
) -> None:
    """A cell is read as a module is (`module_parse`, on the deep-stack thread): its WB901 is
    the one a .py of that line gets, and the other cells are linted, in the project index
    too. Before: a segfault, libcst's parser called off the deep-stack thread for the index."""
    (tmp_path / "lint-wb.toml").write_text("")
    (tmp_path / "deep.py").write_text(DEEP + IMPORTS + CLIENT + "\n")
    write(tmp_path, notebook(code(IMPORTS + CLIENT + "\n"), code(DEEP), code(REQUEST)))
    done = subprocess.run(
        [sys.executable, "-m", "lint_wb", "--no-cache", "--output-format", "json", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    found = {
        (row["filename"], row["cell"], row["code"]): (row["location"], row["message"])
        for row in json.loads(done.stdout)
    }
    assert sorted(found) == [
        ("deep.py", None, "WB901"),
        ("nb.ipynb", 1, "WB101"),
        ("nb.ipynb", 2, "WB901"),
        ("nb.ipynb", 3, "WB301"),
    ]
    location, message = found["nb.ipynb", 2, "WB901"]
    assert (location, message.replace("this cell", "this file")) == found["deep.py", None, "WB901"]


def test_a_cell_that_parses_but_does_not_compile_is_left_out_as_a_broken_one(
    tmp_path: Path,
) -> None:
    """With another cell broken, each cell is read alone as a module is: one CPython cannot
    compile is reported and left out, and the rest is linted (before, libcst alone kept it,
    and the compile error of the cells joined hid every other finding)."""
    cells = [IMPORTS + CLIENT + "\n", "x = = 1\n", "return 1\n", REQUEST]
    result = check(write(tmp_path, notebook(*map(code, cells))))
    assert places(result) == [(1, 4, "WB101"), (2, 1, "WB901"), (3, 1, "WB901"), (4, 1, "WB301")]
    assert result.findings[2].message.startswith("Cannot parse this cell")


@pytest.mark.parametrize("as_list", [True, False])
def test_a_cell_ending_in_an_empty_line_is_written_back_as_it_was(
    tmp_path: Path, as_list: bool
) -> None:
    """Jupyter writes a cell ending in an empty line as `[..., "x\\n", "\\n"]`: its lines
    are read where libcst reads them, and a fix writes the list back with its last empty
    line and no `""` item after it (the row libcst counts after a last line break)."""
    text = IMPORTS + CLIENT + "\n\n"
    cell = code(text)
    if not as_list:
        cell["source"] = text
    path = write(tmp_path, notebook(code(IMPORTS), cell))
    result = check(path)
    assert places(result) == [(2, 4, "WB101")]
    assert result.findings[0].source_lines == (CLIENT,)
    check(path, fix=True)
    fixed = IMPORTS + GOOD_CLIENT + "\n\n"
    assert sources(path)[1] == (fixed.splitlines(keepends=True) if as_list else fixed)


def test_a_finding_on_the_row_after_a_cells_last_line_break_shows_that_row(
    tmp_path: Path,
) -> None:
    """A cell's lines are shown as a module's are (`LineIndex.line`): the row after a last
    line break is an empty line; a row past a cell's end shows nothing."""
    path = write(tmp_path, notebook(code(IMPORTS + CLIENT + "\n")))
    finding = check(path).findings[0]
    on_the_last_row = replace(finding, location=Location(2, 1), end_location=Location(2, 1))
    assert with_lines(on_the_last_row, LineIndex("x = 1\n")).source_lines == ("",)
    assert with_lines(on_the_last_row, LineIndex("x = 1")).source_lines == ()
    spanning = replace(finding, location=Location(1, 1), end_location=Location(2, 1))
    assert with_lines(spanning, LineIndex("x = 1\r\n")).source_lines == ("x = 1", "")


def test_a_cell_only_the_compiler_rejects_is_left_out_alone(tmp_path: Path) -> None:
    """No other cell broken: the cells are compiled joined, as a module is, so a cell with
    `return` outside a function is reported and left out, and the rest is linted (before,
    Python's parser passed the cells joined, and the notebook was one WB901)."""
    cells = [IMPORTS + CLIENT + "\n", "return 1\n", REQUEST]
    result = check(write(tmp_path, notebook(*map(code, cells))))
    assert places(result) == [(1, 4, "WB101"), (2, 1, "WB901"), (3, 1, "WB301")]
    assert result.findings[1].message.startswith("Cannot parse this cell")


def test_unused_noqa_in_a_cell(tmp_path: Path) -> None:
    path = write(tmp_path, notebook(code(IMPORTS), code(GOOD_CLIENT + "  # noqa: WB101\n")))
    result = check(path, fix=True)
    assert [(f.cell, f.location.row, f.code) for f in result.fixed] == [(2, 1, "WB902")]
    assert sources(path)[1] == [GOOD_CLIENT + "\n"]


# --------------------------------------------------------------------------- writing back


def test_string_source_stays_a_string(tmp_path: Path) -> None:
    as_string = code(IMPORTS + CLIENT)
    as_string["source"] = IMPORTS + CLIENT
    path = write(tmp_path, notebook(as_string, code(CLIENT)))
    check(path, fix=True)
    assert sources(path) == [IMPORTS + GOOD_CLIENT, [GOOD_CLIENT]]
    assert_valid(path.read_text(encoding="utf-8"))


def test_layout_of_the_rest_is_kept(tmp_path: Path) -> None:
    """Indent 2, keys not sorted, ASCII escapes, no final newline: only the fixed value moves."""
    document = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"title": "Café"},
        "cells": [
            {"source": ["# Café ☕"], "cell_type": "markdown", "metadata": {}, "id": "a"},
            {
                "source": [IMPORTS, CLIENT],
                "cell_type": "code",
                "metadata": {},
                "id": "b",
                "outputs": [],
                "execution_count": None,
            },
        ],
    }
    text = json.dumps(document, indent=2)
    assert "\\u00e9" in text
    path = write(tmp_path, text)
    check(path, fix=True)
    old_value = json.dumps([IMPORTS, CLIENT], indent=2).replace("\n", "\n      ")
    new_value = json.dumps([*IMPORTS.splitlines(True), GOOD_CLIENT], indent=2)
    assert path.read_text(encoding="utf-8") == text.replace(
        old_value, new_value.replace("\n", "\n      ")
    )
    assert_valid(path.read_text(encoding="utf-8"))


def test_one_line_notebook_and_non_ascii_are_kept(tmp_path: Path) -> None:
    cell = code(f"{IMPORTS}# réponse ☕\n{CLIENT}")
    text = json.dumps(notebook(markdown("Wörter"), cell), ensure_ascii=False)
    path = write(tmp_path, text)
    check(path, fix=True)
    fixed = path.read_text(encoding="utf-8")
    assert "\n" not in fixed and "☕" in fixed and "Wörter" in fixed
    assert fixed == text.replace(WRONG, RIGHT)


def test_fix_writes_nothing_when_nothing_changes(tmp_path: Path) -> None:
    path = write(tmp_path, notebook(code(IMPORTS + GOOD_CLIENT)))
    before = path.stat().st_mtime_ns
    result = check(path, fix=True)
    assert result.fixed == () and path.stat().st_mtime_ns == before


# --------------------------------------------------------------------------- when fixing goes wrong


def test_fix_that_cannot_be_cut_back_into_cells_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = fix_loop.fix_source

    def merging_cells(text: str, *args: Any, **kwargs: Any) -> FixOutcome:
        outcome = real(text, *args, **kwargs)
        return replace(outcome, text=outcome.text.replace(BOUNDARY + "\n", ""))

    monkeypatch.setattr(fix_loop, "fix_source", merging_cells)
    path = write(tmp_path, notebook(code(IMPORTS), code(CLIENT)))
    before = path.read_bytes()
    result = check(path, fix=True)
    assert any("could not be mapped back to cells" in note for note in result.notes)
    assert places(result) == [(2, 1, "WB101")]
    assert result.fixed == ()
    assert path.read_bytes() == before


def test_notes_about_dropped_fixes_name_the_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = fix_loop.fix_source

    def dropping(text: str, *args: Any, **kwargs: Any) -> FixOutcome:
        outcome = real(text, *args, **kwargs)
        dropped = replace(outcome.fixed[0], location=Location(5, 17))
        return replace(outcome, dropped=(dropped,))

    monkeypatch.setattr(fix_loop, "fix_source", dropping)
    path = write(tmp_path, notebook(code(IMPORTS), markdown("## client"), code(CLIENT)))
    result = check(path, fix=True)
    # Cell 1 has 3 rows, the boundary line is row 4: joined row 5 is row 1 of cell 3.
    title = result.fixed[0].fix.message if result.fixed[0].fix else ""
    expected = (
        f"{path}:cell 3:1:17: dropped the fix for WB101 ({title}): "
        "it would break the code or add a finding"
    )
    assert result.notes == (expected,)


# --------------------------------------------------------------------------- the one pipeline


def test_a_notebook_is_served_from_the_result_cache_like_a_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lint_wb import api
    from lint_wb.cache import ResultCache

    mode = Mode(results_cache=ResultCache(tmp_path / "cache"))
    path = write(tmp_path, notebook(code(IMPORTS), markdown("## client"), code(CLIENT)))
    settings = SettingsCache(Overrides(isolated=True))
    first = check_file(path, settings, mode)
    assert places(first) == [(3, 1, "WB101")]

    def no_engine(*args: object) -> None:
        raise AssertionError("the engine ran for a notebook whose bytes did not change")

    monkeypatch.setattr(api._Job, "lint", no_engine)
    again = check_file(path, settings, mode)
    assert again.findings == first.findings
    assert [f.source_lines for f in again.findings] == [f.source_lines for f in first.findings]


def test_findings_on_one_long_line_of_a_cell_share_its_text(tmp_path: Path) -> None:
    """Each finding shows its line; thousands on one long line keep one copy of it, not one
    each (memory grew with findings times the line's length)."""
    roles = ", ".join(['{"role": "human", "content": "hi"}'] * 50)
    request = f'client.chat.completions.create(model="x", messages=[{roles}])\n'
    path = write(tmp_path, notebook(code(IMPORTS + CLIENT), code(request)))
    shown = [f.source_lines[0] for f in check(path).findings if f.code == "WB404"]
    assert len(shown) == 50
    assert len({id(line) for line in shown}) == 1
