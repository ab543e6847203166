"""A change of a list or dict (`x.append(...)`, `x[k] = v`, `f(x)`) changes the binding its
name has where the change is written: the module's `X` when the function that changes it
binds no `X` of its own (a nested function, a `global`), not when that function has its own
`X` (a local, a parameter, a loop target). Both evaluators judge it alike: the module's own
analysis (`analysis/values.py`, `Resolver.single_binding`, `keyed_binding`) and the project
index (`ModuleSummary.mutates`, `stored_keys`); a file's findings must not depend on which
one reads its values.
"""

from __future__ import annotations

import pytest

from lint_wb._cst import cst
from lint_wb.analysis.binding import collect_bindings
from lint_wb.analysis.scopes import Bindings, Scope
from lint_wb.analysis.values import Resolver as ModuleResolver
from lint_wb.project import summarize as summarizing
from lint_wb.project import summary as s
from tests.test_porting import findings

CHANGED = {
    "at the top": "X = []\nX.append(1)\n",
    "in a function": "X = []\ndef grow():\n    X.append(1)\n",
    "under global": "X = []\ndef grow():\n    global X\n    X.append(1)\n",
    "in a nested function": "X = []\ndef outer():\n    def grow():\n        X.append(1)\n",
    "passed to a call": "X = []\ndef grow():\n    add(X)\n",
    "an item stored": "X = []\ndef grow():\n    X[0] = 1\n",
    "a key stored": "X = []\ndef grow():\n    X['k'] = 1\n",
    "a local elsewhere": (
        "X = []\ndef other():\n    X = []\n    X.append(1)\ndef grow():\n    X.append(1)\n"
    ),
}
"""Changes of the module's `X`."""

UNCHANGED = {
    "a local": "X = []\ndef other():\n    X = []\n    X.append(1)\n",
    "a local bound later": "X = []\ndef other():\n    X.append(1)\n    X = []\n",
    "a parameter": "X = []\ndef other(X):\n    X.append(1)\n",
    "a loop target": "X = []\ndef other():\n    for X in ([], []):\n        X.append(1)\n",
    "a local's key": "X = []\ndef other():\n    X = {}\n    X['k'] = 1\n",
    "a local passed on": "X = []\ndef other():\n    X = []\n    add(X)\n",
    "a nested function's parameter": (
        "X = []\ndef outer():\n    def grow(X):\n        X.append(1)\n"
    ),
    "the enclosing function's own": (
        "X = []\ndef outer():\n    X = []\n    def grow():\n        X.append(1)\n"
    ),
}
"""Changes of another binding of the name: the module's `X` stays the empty list."""


def _module_changed(text: str) -> bool:
    bindings = collect_bindings(cst.parse_module(text), None)
    return ModuleResolver(bindings).single_binding("X", bindings.module) is None


def _index_changed(text: str) -> bool:
    return summarizing.summarize(cst.parse_module(text), "app", "").mutates("", "X")


@pytest.mark.parametrize("name", list(CHANGED), ids=list(CHANGED))
def test_a_change_of_the_modules_binding_makes_it_unknown_in_both(name: str) -> None:
    text = CHANGED[name]
    assert _module_changed(text)
    assert _index_changed(text)


@pytest.mark.parametrize("name", list(UNCHANGED), ids=list(UNCHANGED))
def test_a_change_of_another_binding_leaves_it_known_in_both(name: str) -> None:
    text = UNCHANGED[name]
    assert not _module_changed(text)
    assert not _index_changed(text)


def test_a_local_dicts_stored_key_is_not_the_modules_in_both() -> None:
    """`kwargs["project"] = ...` in a function with its own `kwargs` stores no key of the
    module's `kwargs` (read through `**kwargs` with its other keys kept)."""
    text = (
        "X = {'base_url': 'u'}\ndef other():\n    X = {}\n    X['project'] = 'p'\n"
        "def grow():\n    X['timeout'] = 5\n"
    )
    bindings = collect_bindings(cst.parse_module(text), None)
    keyed = ModuleResolver(bindings).keyed_binding("X", bindings.module)
    assert keyed is not None and keyed[2] == frozenset({"timeout"})
    summary = summarizing.summarize(cst.parse_module(text), "app", "")
    assert summary.stored_keys("", "X") == frozenset({"timeout"})


NONLOCAL = {
    "grown by a nested function": (
        "def outer():\n    X = []\n    def add(t):\n        nonlocal X\n"
        "        X.append(t)\n        X = list(X)\n    add(1)\n    return X\n"
    ),
    "rebound by a nested function": (
        "def outer():\n    X = []\n    def add(t):\n        nonlocal X\n"
        "        X = [t]\n    add(1)\n    return X\n"
    ),
    "rebound two functions down": (
        "def outer():\n    X = []\n    def mid():\n        def add(t):\n"
        "            nonlocal X\n            X = [t]\n        add(1)\n    mid()\n    return X\n"
    ),
}
"""A nested function's `nonlocal X` rebinds or changes the enclosing function's `X`."""


def _function_scope(bindings: Bindings, name: str) -> Scope:
    return next(
        scope
        for node, scope in bindings.scopes.items()
        if isinstance(node, cst.FunctionDef) and node.name.value == name
    )


@pytest.mark.parametrize("name", list(NONLOCAL), ids=list(NONLOCAL))
def test_a_nonlocal_change_makes_the_enclosing_binding_unknown_in_both(name: str) -> None:
    text = NONLOCAL[name]
    bindings = collect_bindings(cst.parse_module(text), None)
    outer = _function_scope(bindings, "outer")
    assert ModuleResolver(bindings).single_binding("X", outer) is None
    summary = summarizing.summarize(cst.parse_module(text), "app", "")
    bound = summary.scopes["outer"].names.get("X")
    # changed there, or bound there a second time: the first list alone is not what it holds
    assert summary.mutates("outer", "X") or isinstance(bound, s.Choice), bound


def test_a_nested_functions_nonlocal_list_sent_empty_is_not_reported() -> None:
    """The review's case: the nested function grows, then rebinds, the enclosing `messages`
    (`nonlocal`): the request does not send the empty list it was bound to first."""
    text = (
        "import os\nfrom openai import OpenAI\n"
        "client = OpenAI(base_url='https://api.inference.wandb.ai/v1',"
        " api_key=os.environ['WANDB_API_KEY'])\n"
        "def chat_with_nonlocal_history():\n    messages = []\n"
        "    def add(text):\n        nonlocal messages\n"
        "        messages.append({'role': 'user', 'content': text})\n"
        "        messages = list(messages)\n"
        "    add('hi')\n"
        "    client.chat.completions.create(model='zai-org/GLM-5.2', messages=messages)\n"
    )
    assert findings(text, assume=False, codes=frozenset({"WB408"})) == []
