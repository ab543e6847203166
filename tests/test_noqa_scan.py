"""The one-pass comment scan finds what `tokenize` finds, or leaves the text to `tokenize`."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_wb.noqa import comments as noqa_comments
from lint_wb.noqa.comments import comments, parse_suppressions, tokenized_comments
from lint_wb.noqa.scan import scan_comments

ROOT = Path(__file__).parent.parent

SCANNED = {
    "hash in strings": (
        "url = 'https://x.ai/v1#frag'  # noqa: WB101\n"
        's = "a # b"; t = "\\"#"  # real\n'
        "r = r'\\'#'  # raw, escaped quote\n"
        "b = b'#', rb\"#\", Rb'''#'''  # bytes\n"
    ),
    "triple quotes": (
        '"""Doc # not a comment\n\'\'\' still "" inside # no\n"""\n'
        "x = '''a\n# no\n''' # yes\n"
        'y = """"quoted" # no"""  # after\n'
        "z = ''''' # no'''  # four quotes then one\n"
    ),
    "f-strings": (
        'a = f"# {x} {y!r:>10} {{#}}"  # one\n'
        "b = f'{d[\"k\"]}#{n}'  # two\n"
        'c = f"{{{name}}} #{i}"  # three\n'
        "d = rf\"\\N{DASH} #\" f'''\n# {x}\n'''  # four\n"
    ),
    "line continuations": (
        "x = 1 + \\\n    2  # after a continuation\n"
        "s = 'abc\\\ndef # inside'  # after\n"
        "if (a and  # first\n        # alone in brackets\n        b):\n    pass\n"
    ),
    "crlf": "x = 1  # noqa\r\ns = '''\r\n# no\r\n'''\r\n# lint-wb: noqa\r\n",
    "bom": "\ufeff# lint-wb: noqa: WB1\nx = 1  # noqa\n",
    "not ascii": "s = 'é#'  # ünïcode\n\t# tab\n\f# form feed\nx = '日本'  # 日本\n",
    "no final newline": "x = 1\n# last",
    "empty comment and hash runs": "#\n##\nx = 1 ### three\n",
    "comment in a bracket": "call(\n    a=1,  # noqa: WB301\n    # alone\n)\n",
}

LEFT_TO_TOKENIZE = {
    "a triple-quoted string left open": "x = 1  # a\ns = '''abc # inside\n",
    "a bracket left open": "x = (1  # a\n",
    "a bracket closed too often": "x = 1)  # a\n",
    "a string left open on its line": "s = 'abc # inside\nx = 1  # b\n",
    "a backslash at the end": "x = 1 + \\\n",
    "a lone carriage return": "x = 1\r# a\ry = 2  # b\n",
    "a hash inside a field": "s = f'''{x # comment\n}'''\n",
    "a format flag in a field": "s = f'{x:#x}'  # hex\n",
    "a field cut short by its own quote": 's = f"{"#"}"  # python 3.12\n',
    "a lone closing brace": "s = f'}'  # b\n",
}


@pytest.mark.parametrize("text", SCANNED.values(), ids=SCANNED.keys())
def test_the_scan_finds_what_tokenize_finds(text: str) -> None:
    scanned = scan_comments(text)
    assert scanned is not None
    assert scanned == list(tokenized_comments(text))
    assert scanned  # each text has comments


@pytest.mark.parametrize("text", LEFT_TO_TOKENIZE.values(), ids=LEFT_TO_TOKENIZE.keys())
def test_text_the_scan_cannot_vouch_for_is_read_by_tokenize(text: str) -> None:
    assert scan_comments(text) is None
    assert list(comments(text)) == list(tokenized_comments(text))


def test_comments_come_from_the_scan_when_it_vouches(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_tokenize(text: str) -> object:
        raise AssertionError("tokenize was asked")

    monkeypatch.setattr(noqa_comments, "tokenized_comments", no_tokenize)
    text = SCANNED["hash in strings"]
    assert parse_suppressions(text).line_comments[1].codes == ("WB101",)


PYTHON_FILES = sorted(
    path
    for folder in ("fixtures", "lint_wb", "tests", "bench")
    for path in (ROOT / folder).rglob("*.py")
)


def test_the_scan_finds_what_tokenize_finds_in_every_python_file_here() -> None:
    differ, scanned = [], 0
    for path in PYTHON_FILES:
        text = path.read_text(encoding="utf-8")
        found = scan_comments(text)
        if found is None:
            continue
        scanned += 1
        if found != list(tokenized_comments(text)):
            differ.append(str(path.relative_to(ROOT)))
    assert differ == []
    assert scanned > 0.9 * len(PYTHON_FILES)


REQUEST = (
    "from openai import OpenAI\n"
    'c = OpenAI(base_url="https://api.inference.wandb.ai/v1")\n'
    'c.chat.completions.create(model="meta-llama/Llama-3.1-8B-Instruct",\n'
    '    messages=[{"role": "user", "content": "hi"}], temperature=3)  # noqa: WB301\n'
)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(REQUEST.replace("\n", "\r"), id="lone CR line ends"),
        pytest.param(REQUEST.replace("# noqa", "# NoQA"), id="mixed case, the only noqa"),
    ],
)
def test_a_noqa_suppresses_whatever_the_line_ends_and_its_case(text: str) -> None:
    """A file whose lines end in a lone `\\r` has its comments on the rows Python gives
    them (tokenize read it as one line: the noqa's fix crashed, WB900), and a `# NoQA`
    suppresses even when no other comment spells `noqa` or `NOQA`."""
    from lint_wb.config.settings import LintOptions
    from lint_wb.engine import lint_source
    from lint_wb.rules import ALL_CODES
    from lint_wb.spec import load_spec

    result = lint_source(text, "x.py", LintOptions(enabled=ALL_CODES), load_spec())
    assert [finding.code for finding in result.findings] == []
    assert [finding.code for finding in result.suppressed] == ["WB301"]
