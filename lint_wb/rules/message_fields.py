"""WB403, WB404, WB406: the keys of each message and its role."""

from __future__ import annotations

from collections.abc import Iterator

from lint_wb._cst import cst
from lint_wb.analysis import UNKNOWN, Keyword
from lint_wb.analysis.dicts import DictEntry
from lint_wb.analysis.scopes import Scope
from lint_wb.findings import Severity
from lint_wb.rules.base import FixProposal, FixSafety, Replacement, Report, safe_fix
from lint_wb.rules.edits import string_like
from lint_wb.rules.message_walk import Message, MessageRule


class MessageMissingField(MessageRule):
    """A message without a field its role needs.

    ## What it does
    Flags a message without `role`; a system, user or tool message without `content`; an
    assistant message with neither `content` nor `tool_calls`. A message with a `**` spread
    or a key that cannot be resolved is left alone, as the field may hide there.

    ## Why is this bad?
    W&B rejects the request with 400/422: it cannot tell who speaks, or there is nothing
    to read.

    ## Example
    ```python
    messages = [{"content": "Be brief."}, {"role": "user"}]
    client.chat.completions.create(model=MODEL, messages=messages)
    ```
    Use instead:
    ```python
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": q}]
    client.chat.completions.create(model=MODEL, messages=messages)
    ```

    ## Fix safety
    No fix: only the author knows the missing value.
    """

    code = "WB403"
    name = "message-missing-field"
    severity = Severity.ERROR

    def check_messages(self, keyword: Keyword, scope: Scope) -> Iterator[Report]:
        for message in self.messages(keyword, scope):
            if not message.closed:
                continue
            problem = self._problem(message)
            if problem is not None:
                yield self.report(message.node, problem)

    def _holds_content_elsewhere(self, message: Message) -> bool:
        """The message has a key of another API that carries its text (WB406 reports it)."""
        keys = self.spec.api.shapes.message_keys.values()
        return any(key.holds_content and message.has(key.key) for key in keys)

    def _problem(self, message: Message) -> str | None:
        if message.lacks("role"):
            return (
                'This message has no \'role\': W&B rejects it. Add "role": "user" '
                "(or system, assistant, tool)"
            )
        role = self.role(message)
        requirement = self.spec.api.shapes.role_requirements.get(role or "")
        if requirement is None or self._holds_content_elsewhere(message):
            return None
        missing = [key for key in requirement.all_of if message.lacks(key)]
        if missing:
            listed = " and ".join(repr(key) for key in missing)
            added = ", ".join(f'"{key}": ...' for key in missing)
            return f"This {role} message has no {listed}: W&B rejects it. Add {added}"
        any_of = requirement.any_of
        if any_of and all(message.lacks(key) for key in any_of):
            first, *others = any_of
            listed = " nor ".join(repr(key) for key in any_of)
            alternatives = " or ".join(repr(key) for key in others)
            instead = f" (or {alternatives})" if others else ""
            return (
                f"This {role} message has neither {listed}: W&B rejects it. "
                f'Add "{first}": ...{instead}'
            )
        return None


class InvalidRole(MessageRule):
    """A message role W&B does not take.

    ## What it does
    Flags a `role` outside `system`, `user`, `assistant`, `tool`: roles of other APIs
    (`developer` from OpenAI's newer models, `model` from Gemini, `human`/`ai`/`bot` from
    LangChain-style code, the legacy `function`), a role in the wrong case (`User`), any
    other name, or a role that is not a string.

    ## Why is this bad?
    Roles are case-sensitive and W&B takes only the four; any other role is rejected with
    400/422.

    ## Example
    ```python
    messages = [{"role": "developer", "content": "Be brief."}, {"role": "Human", "content": q}]
    client.chat.completions.create(model=MODEL, messages=messages)
    ```
    Use instead:
    ```python
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": q}]
    client.chat.completions.create(model=MODEL, messages=messages)
    ```

    ## Fix safety
    Safe: `developer` becomes `system`; `model`, `ai` and `bot` become `assistant`; `human`
    becomes `user`; a role in the wrong case is lower-cased. The string keeps its quotes.
    `function` and unknown roles have no fix: the message has to be rewritten.
    """

    code = "WB404"
    name = "invalid-role"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE

    def check_messages(self, keyword: Keyword, scope: Scope) -> Iterator[Report]:
        roles = self.spec.api.messages.roles
        for message in self.messages(keyword, scope):
            entry = message.get("role")
            value = self.entry_value(message, "role")
            if entry is None or value is UNKNOWN or value in roles:
                continue
            if not isinstance(value, str):
                text = f"Role {value!r} is not a string: W&B rejects it. Use {_listed(roles)}"
                yield self.report(entry.value, text)
                continue
            text, target = self._advice(value)
            fix = None
            if target is not None and isinstance(entry.value, cst.SimpleString):
                new = string_like(entry.value, target)
                fix = safe_fix(f"Use {target!r}", Replacement(entry.value, new))
            yield self.report(entry.value, text, fix)

    def _advice(self, value: str) -> tuple[str, str | None]:
        """The message for role `value`, and the role to write instead, if there is one."""
        spec = self.spec.api.messages
        roles = _listed(spec.roles)
        found = f"Role {value!r}"
        if value.lower() in spec.roles:
            target = value.lower()
            text = f"{found} is not a W&B role: roles are lower-case ({roles}). Use {target!r}"
            return text, target
        synonym = spec.role_synonyms.get(value.lower())
        if synonym is None:
            text = f"{found} is not one of {roles}: W&B rejects it. Use the one the message plays"
            return text, None
        why = f"{found} comes from {synonym.origin}; W&B takes only {roles} and rejects it"
        if synonym.role is None:
            return f"{why}. Instead, {synonym.advice}", None
        return f"{why}. Use {synonym.role!r}", synonym.role


def _listed(names: tuple[str, ...]) -> str:
    return ", ".join(names)


class UnknownMessageKey(MessageRule):
    """A message key outside role, content, name, tool_calls, tool_call_id.

    ## What it does
    Flags a key of a message that the OpenAI chat format does not have: `text` or `message`
    for the content, Gemini's `parts`, the legacy `function_call`, or any other name.

    ## Why is this bad?
    W&B validates messages against the OpenAI format and rejects the request with 400/422;
    where the key stands for the content, the message has no content at all.

    ## Example
    ```python
    messages = [{"role": "user", "text": question}]
    client.chat.completions.create(model=MODEL, messages=messages)
    ```
    Use instead:
    ```python
    messages = [{"role": "user", "content": question}]
    client.chat.completions.create(model=MODEL, messages=messages)
    ```

    ## Fix safety
    Safe: `text` is renamed to `content` when the message has no `content` and cannot hide
    one in a `**` spread. Other keys have no fix.
    """

    code = "WB406"
    name = "unknown-message-key"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE

    def check_messages(self, keyword: Keyword, scope: Scope) -> Iterator[Report]:
        allowed = self.spec.api.messages.keys
        for message in self.messages(keyword, scope):
            for key, entry in message.string_keys():
                if key in allowed:
                    continue
                foreign = self.spec.api.shapes.message_keys.get(key)
                advice = "remove it, or move its value into 'content'"
                advice = advice if foreign is None else foreign.advice
                text = (
                    f"Message key {key!r} is not one of {_listed(allowed)}: W&B rejects it; "
                    f"{advice}"
                )
                yield self.report(entry.key_node, text, self._fix(message, key, entry))

    def _fix(self, message: Message, key: str, entry: DictEntry) -> FixProposal | None:
        if key != "text" or not message.lacks("content"):
            return None
        if not isinstance(entry.key_node, cst.SimpleString) or not self._plain(entry):
            return None
        new = string_like(entry.key_node, "content")
        return safe_fix("Rename to 'content'", Replacement(entry.key_node, new))

    def _plain(self, entry: DictEntry) -> bool:
        """Whether the value is a string, or unknown and not a literal of another kind, so
        that renaming it to content raises no content finding."""
        value = self.resolver.evaluate(entry.value, entry.scope)
        if value is not UNKNOWN:
            return isinstance(value, str)
        node = self.resolver.resolve(entry.value, entry.scope)
        return not isinstance(node, (cst.List, cst.Tuple, cst.Dict, cst.Set))
