"""A partial parse's text is shorter than its original (a dropped stretch is bare `\\` lines),
so what is found in it is given back by row and column: findings and fix edits after a
dropped stretch stand where a whole parse puts them, byte for byte, with CRLF line breaks,
tabs, non-ASCII text, a dropped string that spans lines, and in a notebook."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from lint_wb import engine, module_parse
from lint_wb.cli.main import main
from lint_wb.config.settings import LintOptions
from lint_wb.engine import LintResult, lint_source
from lint_wb.fix_loop import FixOutcome, fix_source
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec
from tests.cli_runner import make_runner
from tests.engine_reads import record_reads

HEAD = (
    "import os\n"
    "\n"
    "from openai import OpenAI\n"
    "\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", '
    'api_key=os.environ["WANDB_API_KEY"])\n'
    "\n"
)
DROPPED = (
    "def tally_rows_for_report(rows):\n"
    "    total = 0\n"
    "    for row in rows:\n"
    "        total += row * 2  # a comment that takes up many columns of the line\n"
    "\n"
    "    return total\n"
    "\n"
)
KEPT = (
    "def ask_the_model(text):\n"
    "    return client.chat.completions.create(\n"
    '        model="meta-llama/Llama-3.3-70B-Instruct",\n'
    '        messages=[{"role": "user", "content": text}],\n'
    "        store=True,\n"
    "        max_tokens=400,\n"
    "    )\n"
)
MULTILINE_STRING = (
    'USAGE_TEXT = """Usage:\n'
    "first line at column 0\n"
    "def looks_like_code():\n"
    "        deeply indented é line\n"
    '"""\n'
    "\n"
)


def with_tabs(text: str) -> str:
    return text.replace("        ", "\t\t").replace("    ", "\t")


VARIANTS: dict[str, Callable[[], str]] = {
    "a dropped function": lambda: HEAD + DROPPED + KEPT,
    "CRLF": lambda: (HEAD + DROPPED + KEPT).replace("\n", "\r\n"),
    "tabs": lambda: HEAD + with_tabs(DROPPED) + with_tabs(KEPT),
    "a dropped string over lines": lambda: HEAD + MULTILINE_STRING + DROPPED + KEPT,
    "non-ASCII": lambda: (HEAD + DROPPED + KEPT).replace("many columns", "ĉolumns ünd ëmoji 🙂"),
    "two dropped stretches": lambda: HEAD + DROPPED + "X = 1\n" + KEPT + DROPPED * 2,
}


def both_ways(
    run: Callable[[], LintResult | FixOutcome], monkeypatch: pytest.MonkeyPatch
) -> tuple[LintResult | FixOutcome, LintResult | FixOutcome]:
    """`run` on the partial parse (which must never be redone whole), then with every
    module parsed whole."""
    reads = record_reads(monkeypatch)
    partial = run()
    assert reads and not any(read.whole for read in reads)  # no fallback to a whole parse
    monkeypatch.setattr(module_parse, "PARTIAL_PARSES", False)
    return partial, run()


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_finding_after_a_dropped_stretch_is_where_a_whole_parse_puts_it(
    variant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = VARIANTS[variant]()
    read = module_parse.read_partial(text)
    assert not isinstance(read, SyntaxError) and not read.whole
    assert len(read.text) < len(text) - 40  # the dropped function is shorter
    options = LintOptions(enabled=ALL_CODES)
    spec = load_spec()
    partial, whole = both_ways(lambda: lint_source(text, "x.py", options, spec), monkeypatch)
    assert isinstance(partial, LintResult) and isinstance(whole, LintResult)
    assert partial.findings == whole.findings
    [finding] = [f for f in partial.findings if f.code == "WB201"]
    lines = text.splitlines()
    row = next(n for n, line in enumerate(lines, 1) if "store=True" in line)
    assert (finding.location.row, finding.location.column) == (row, lines[row - 1].index("s") + 1)
    assert finding.source_lines == (lines[row - 1],)


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_fix_in_a_kept_function_after_a_dropped_stretch_edits_the_original(
    variant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = VARIANTS[variant]()
    options = LintOptions(enabled=ALL_CODES)
    spec = load_spec()
    partial, whole = both_ways(
        lambda: fix_source(text, "x.py", options, spec, unsafe_fixes=True), monkeypatch
    )
    assert isinstance(partial, FixOutcome) and isinstance(whole, FixOutcome)
    assert "WB201" in [finding.code for finding in partial.fixed]
    assert partial.text == whole.text
    newline = "\r\n" if "\r\n" in text else "\n"
    store = next(line for line in text.split(newline) if "store=True" in line)
    assert partial.text == text.replace(store + newline, "")


def test_a_notebook_cell_after_a_dropped_cell_is_fixed_where_a_whole_parse_fixes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cells = [HEAD, DROPPED * 3, "x = 1\n" + KEPT]
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": source.splitlines(keepends=True),
            }
            for source in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "ask.ipynb"
    path.write_text(json.dumps(notebook, indent=1))

    def run() -> str:
        out = []
        for args in (["--output-format", "json"], ["--diff", "--unsafe-fixes"]):
            result = make_runner().invoke(
                main, ["--no-cache", "--exit-zero", "--jobs", "1", *args, str(path)]
            )
            assert result.exit_code == 0, result.output
            out.append(result.stdout)
        return "\n".join(out)

    reads = record_reads(monkeypatch)
    partial = run()
    assert reads and not any(read.whole for read in reads)
    assert '"WB201"' in partial and "-        store=True," in partial
    monkeypatch.setattr(module_parse, "PARTIAL_PARSES", False)
    assert partial == run()


def test_an_edit_on_a_blanked_row_is_made_on_a_whole_parse() -> None:
    """A blanked row (a bare `\\`, or the single space that ends a dropped stretch) is
    shorter than the row it stands for: an edit anywhere on it has no place in the original,
    so it is made again on a whole parse; an edit on a kept row stands."""
    text = HEAD + DROPPED + KEPT
    parsed = module_parse.parse_text(text)
    assert isinstance(parsed, module_parse.ParsedModule) and not parsed.whole
    builder = engine._FindingBuilder(parsed, "x.py", None)
    index = builder.parsed_index
    blanked = [
        row
        for row in range(1, len(index.starts) + 1)
        if index.line(row) in ("\\", " ") and builder.index.line(row) not in ("\\", " ")
    ]
    assert {index.line(row) for row in blanked} == {"\\", " "}
    for row in blanked:
        for column in range(len(index.line(row)) + 1):
            at = index.offset(row, column)
            with pytest.raises(engine._PartialTooNarrow):
                builder._check_partial(at, at, "x = 1")
    at = index.text.index("store=True")
    builder._check_partial(at, at + len("store=True"), "store=False")
