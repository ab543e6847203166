"""Line starts: where libcst's line breaks say (`\\n`, `\\r\\n`, a lone `\\r`), for a text
and for a partial parse's shorter text with the same lines."""

from __future__ import annotations

import re

import pytest

from lint_wb.engine import _FindingBuilder
from lint_wb.lines import LineIndex
from lint_wb.module_parse import parse_text

TEXTS = [
    "",
    "x = 1",
    "x = 1\n",
    "x = 1\ny = 2\n\n",
    "\n\n\n",
    "x = 1\r\ny = 2\r\n",
    "x = 1\ry = 2\r",
    "x = 1\r\n\ry = 2\n\r\nz",
    "s = 'é'\nt = '\u2028'\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_line_starts_are_where_the_line_breaks_end(text: str) -> None:
    expected = [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]
    assert LineIndex(text).starts == expected


@pytest.mark.parametrize("text", TEXTS)
def test_an_offset_is_on_the_last_line_starting_at_or_before_it(text: str) -> None:
    """Each offset's row and column (from 1); an offset past the end is on the last line,
    one before the text on the first."""
    index = LineIndex(text)
    for offset in range(-2, len(text) + 3):
        row = max(1, sum(1 for start in index.starts if start <= offset))
        location = index.location(offset)
        assert (location.row, location.column) == (row, offset - index.starts[row - 1] + 1)


def test_a_partial_parse_has_the_lines_of_its_text_and_its_own_line_starts() -> None:
    """A dropped stretch is shorter than the text it stands for (bare `\\` lines), so the
    parsed text has its own line starts; its rows are the original's, and a kept line
    stands whole at its row."""
    dropped = "".join(f"def unrelated_{n}(a):\n    return a + {n}\n\n\n" for n in range(5))
    text = dropped + 'import openai\nclient = openai.OpenAI(base_url="https://api.wandb.ai")\n'
    parsed = parse_text(text)
    assert not isinstance(parsed, Exception)
    assert len(parsed.parsed_text) < len(parsed.text)  # the functions were blanked, shorter
    builder = _FindingBuilder(parsed, "app.py", None)
    assert builder.parsed_index.text == parsed.parsed_text
    assert builder.parsed_index.starts == LineIndex(parsed.parsed_text).starts
    assert builder.index.starts == LineIndex(parsed.text).starts
    assert len(builder.parsed_index.starts) == len(builder.index.starts)
    row = len(builder.index.starts) - 1  # the client's line
    assert builder.parsed_index.line(row) == builder.index.line(row)
    assert builder.index.line(row).startswith("client = ")
