"""Analysis is linear in the size of the code (SPEC §9): a function's returns are read once,
however many call sites reach it."""

from __future__ import annotations

import sys

import libcst as cst
import pytest

import lint_wb.analysis.analyzer as analysis
from lint_wb.analysis import walk
from lint_wb.analysis.ordinals import ordered_nodes
from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.project.summary import Call
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec

FACTORY = """import os
from openai import OpenAI

def get_client():
    return OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])

"""
CALL = 'get_client().chat.completions.create(model="openai/gpt-oss-120b", messages=[], top_k=1)\n'


def test_a_factory_called_from_many_places_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[object] = []
    original = analysis.returned_values

    def counting(function: object) -> object:
        reads.append(function)
        return original(function)  # type: ignore[arg-type]

    monkeypatch.setattr(analysis, "returned_values", counting)
    text = FACTORY + CALL * 40
    result = lint_source(text, "many.py", LintOptions(ALL_CODES), load_spec())
    assert [finding.code for finding in result.findings].count("WB202") == 40
    assert len(reads) == 1


WALKS_PER_LINT = 2
"""A lint reads each node's children at most this many times: the binding pass (which also
numbers the nodes for the project index's anchors), and the positions of the findings
(which statements hold them and, in the same walk, where in a line they begin)."""


def test_a_lint_walks_the_tree_a_fixed_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """However many requests and findings: a walk per call site or per rule would multiply."""
    call = CALL.replace("messages=[]", 'messages=[{"role": "user", "content": "hi"}], n=-1')
    text = FACTORY + call * 40
    nodes = len(ordered_nodes(cst.parse_module(text)))
    original = walk.child_nodes
    read: list[cst.CSTNode] = []

    def counting(node: cst.CSTNode) -> list[cst.CSTNode]:
        read.append(node)
        return original(node)

    for module in list(sys.modules.values()):
        if module.__name__.startswith("lint_wb") and vars(module).get("child_nodes") is original:
            monkeypatch.setattr(module, "child_nodes", counting)
    result = lint_source(text, "many.py", LintOptions(ALL_CODES), load_spec())
    assert len(result.findings) >= 80
    assert len(read) <= WALKS_PER_LINT * nodes


def test_code_is_generated_for_messages_only_when_they_are_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lint_wb.rules.message_walk import MessageRule

    shown: list[cst.CSTNode] = []
    original = MessageRule.shown

    def counting(self: MessageRule, node: cst.CSTNode) -> str:
        shown.append(node)
        return original(self, node)

    monkeypatch.setattr(MessageRule, "shown", counting)
    call = CALL.replace("messages=[]", 'messages=[{"role": "user", "content": "hi"}]')
    result = lint_source(FACTORY + call * 10, "many.py", LintOptions(ALL_CODES), load_spec())
    assert not [finding for finding in result.findings if finding.code.startswith("WB4")]
    assert shown == []
    text = FACTORY + CALL.replace("messages=[]", 'messages="hi"')
    result = lint_source(text, "one.py", LintOptions(ALL_CODES), load_spec())
    assert "WB401" in [finding.code for finding in result.findings]
    assert len(shown) == 1


def test_a_summary_forms_each_expression_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk meets an expression again inside the assignment or call it was formed for
    (`x = f(g(h(y)))`: each inner call is visited after the assignment formed it): nested
    calls must not be formed once per level around them."""
    from lint_wb.project import summarize as summarizing

    formed: list[int] = []
    original = summarizing._Summarizer._expr_Call

    def counting(self: summarizing._Summarizer, node: cst.Call) -> object:
        formed.append(id(node))
        return original(self, node)

    monkeypatch.setattr(summarizing._Summarizer, "_expr_Call", counting)
    monkeypatch.setattr(summarizing, "_EXPRESSIONS", {})  # the methods looked up anew
    nested = "x = " + "f(" * 12 + "y" + ")" * 12 + "\n"
    module = cst.parse_module(nested + "def g():\n    return " + "h(" * 8 + "z" + ")" * 8 + "\n")
    summary = summarizing.summarize(module, "app", "")
    assert len(formed) == len(set(formed)) == 20
    form = summary.scopes[""].names["x"]
    depth = 0
    while isinstance(form, Call):
        form, depth = form.args[0], depth + 1
    assert depth == 12


class _CountedNodes(list[cst.CSTNode]):
    """A list of nodes that counts how often it is read through."""

    reads = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        type(self).reads += 1
        return super().__iter__()


def test_fix_targets_are_gathered_once_however_many_fixes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each fix target's indentation is noted while its statement's code is generated: the
    targets' identities are gathered once a lint, not once a generated statement (5,000
    fixable messages in one request took 14 s, 20,000 took 210 s)."""
    import lint_wb.positions as positions

    original = positions.node_positions

    def counting(
        module: cst.Module,
        index: object,
        located: object,
        indented: list[cst.CSTNode],
        *rest: object,
    ) -> object:
        return original(module, index, located, _CountedNodes(indented), *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(positions, "node_positions", counting)
    _CountedNodes.reads = 0
    roles = '    {"role": "human", "content": "hi"},\n' * 200
    text = FACTORY + f'get_client().chat.completions.create(model="x", messages=[\n{roles}])\n'
    result = lint_source(text, "many.py", LintOptions(ALL_CODES), load_spec())
    assert [finding.code for finding in result.findings].count("WB404") == 200
    assert all(finding.fix is not None for finding in result.findings if finding.code == "WB404")
    assert 1 <= _CountedNodes.reads <= 2
