"""The rule registry: every rule class lint-wb has, in code order, listed by hand.

An explicit table (as in ruff) rather than discovery: adding a rule is one import and one
line here (and its code, name and severity in `codes.py`, which runs that parse nothing
read instead of importing the rules), and the README table, `--list-rules` and the docs all
read this tuple. Import it through `lint_wb.rules`, which loads it on first use.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from lint_wb.rules.base import Rule, RuleContext
from lint_wb.rules.capabilities import MaxTokensOverContext, ModelCapability
from lint_wb.rules.client import ForeignBaseUrl, MissingBaseUrl, WrongBaseUrl
from lint_wb.rules.client_auth import HardcodedApiKey, MalformedProject
from lint_wb.rules.client_keys import ForeignApiKey
from lint_wb.rules.combinations import InconsistentParameters
from lint_wb.rules.content import InvalidContent, MalformedToolMessage
from lint_wb.rules.endpoints import LegacySdkApi, UnsupportedEndpoint
from lint_wb.rules.headers import MisspeltProjectHeader
from lint_wb.rules.lora import MalformedLoraUri
from lint_wb.rules.message_fields import InvalidRole, MessageMissingField, UnknownMessageKey
from lint_wb.rules.messages import (
    EmptyMessages,
    MessageNotAnObject,
    MessagesNotAList,
    SystemParameter,
)
from lint_wb.rules.meta import InternalError, SyntaxErrorRule, UnusedNoqa
from lint_wb.rules.models import DeprecatedModel, RetiredModel, UnknownModel
from lint_wb.rules.params import PreferMaxTokens, UnknownParameter, UnsupportedParameter
from lint_wb.rules.provider_prefix import ForeignProviderPrefix
from lint_wb.rules.provider_sdk import AnthropicSdk, ProviderSdk
from lint_wb.rules.required import MissingRequiredArgument
from lint_wb.rules.response_format import InvalidResponseFormat
from lint_wb.rules.tools import UnsupportedTool
from lint_wb.rules.values import ValueOutOfRange, WrongValueType

ALL_RULES: tuple[type[Rule], ...] = (
    WrongBaseUrl,
    MissingBaseUrl,
    ForeignBaseUrl,
    HardcodedApiKey,
    MalformedProject,
    ForeignApiKey,
    ForeignProviderPrefix,
    MisspeltProjectHeader,
    UnsupportedParameter,
    UnknownParameter,
    InvalidResponseFormat,
    UnsupportedTool,
    PreferMaxTokens,
    InconsistentParameters,
    MissingRequiredArgument,
    ValueOutOfRange,
    WrongValueType,
    UnsupportedEndpoint,
    LegacySdkApi,
    ProviderSdk,
    AnthropicSdk,
    ModelCapability,
    MaxTokensOverContext,
    UnknownModel,
    RetiredModel,
    DeprecatedModel,
    MalformedLoraUri,
    MessagesNotAList,
    MessageNotAnObject,
    MessageMissingField,
    InvalidRole,
    InvalidContent,
    UnknownMessageKey,
    MalformedToolMessage,
    EmptyMessages,
    SystemParameter,
    InternalError,
    SyntaxErrorRule,
    UnusedNoqa,
)
ALL_RULES = tuple(sorted(ALL_RULES, key=lambda rule: rule.code))
RULES_BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}
RULES_BY_NAME: dict[str, type[Rule]] = {rule.name: rule for rule in ALL_RULES}


def rules_for(enabled: Iterable[str], context: RuleContext) -> list[Rule]:
    return [rule(context) for rule in _enabled_rules(frozenset(enabled))]


@functools.lru_cache(maxsize=64)
def _enabled_rules(enabled: frozenset[str]) -> tuple[type[Rule], ...]:
    """The rule classes of the enabled codes, in code order: chosen once per selection, not
    once per module."""
    return tuple(rule for rule in ALL_RULES if rule.code in enabled)
