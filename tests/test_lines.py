"""Line starts: found once for a partial parse's text and its original, the same as libcst's
line breaks say (`\\n`, `\\r\\n`, a lone `\\r`)."""

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


def test_a_partial_parse_and_its_text_share_their_line_starts() -> None:
    dropped = "".join(f"def unrelated_{n}(a):\n    return a + {n}\n\n\n" for n in range(5))
    text = dropped + 'import openai\nclient = openai.OpenAI(base_url="https://api.wandb.ai")\n'
    parsed = parse_text(text)
    assert not isinstance(parsed, Exception)
    assert parsed.parsed_text != parsed.text  # the functions were blanked
    builder = _FindingBuilder(parsed, "app.py", None)
    assert builder.parsed_index.text == parsed.parsed_text
    assert builder.parsed_index.starts is builder.index.starts
    assert builder.index.starts == LineIndex(parsed.parsed_text).starts
