"""Property test: lint-wb never crashes on generated Python after a W&B client, its fixes
parse, and fixing again changes nothing (idempotence).

hypothesmith generates the modules (from Python's grammar). CI runs a modest number of
examples (a few seconds); for a long run set LINT_WB_FUZZ_EXAMPLES, or run
`python scripts/fuzz.py [EXAMPLES]`.
"""

from __future__ import annotations

import os

import hypothesmith
import libcst as cst
from hypothesis import HealthCheck, example, given, settings

from lint_wb import fix_source, lint_source
from lint_wb.config.settings import LintOptions
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec

EXAMPLES = int(os.environ.get("LINT_WB_FUZZ_EXAMPLES", "20"))
PREFIX = """\
import os

from openai import OpenAI

client = OpenAI(base_url="https://api.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])
client.chat.completions.create(
    model="openai/gpt-oss-120b",
    messages=[{"role": "Human", "content": "hi"}],
    temperature=3,
    top_k=5,
)
"""
"""A W&B client and a request with findings of several kinds, all with fixes."""

OPTIONS = LintOptions(ALL_CODES)
SPEC = load_spec()


def parses(text: str) -> bool:
    try:
        cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return False
    return True


modules = hypothesmith.from_grammar()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@example(generated="client.chat.completions.create(model=x, **kwargs)\n")
@given(generated=modules)
def test_generated_modules_lint_and_fix_to_a_fixed_point(generated: str) -> None:
    source = PREFIX + generated
    lint_source(source, "fuzz.py", OPTIONS, SPEC)
    outcome = fix_source(source, "fuzz.py", OPTIONS, SPEC, unsafe_fixes=True)
    if parses(source):
        assert parses(outcome.text)
    else:
        assert outcome.text == source
    again = fix_source(outcome.text, "fuzz.py", OPTIONS, SPEC, unsafe_fixes=True)
    assert again.text == outcome.text
    assert again.fixed == ()
