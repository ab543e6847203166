"""libraries.toml against the installed libraries: every keyword a row relies on is one the
callable takes, under the row's version of the package.

Rows read from an installed package (`signature = "installed"`) are checked here with
inspect.signature, a pydantic model's fields and their aliases, or a TypedDict's keys. The
packages are imported inside the tests, never at collection, so the rest of the suite does
not pay for them. Rows read from source (crewai, dspy, langchain, llama-index, instructor)
say so in the data and are not checked here.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import inspect
from dataclasses import dataclass
from pathlib import Path

import pytest

from lint_wb.spec import LibraryCallable, bundled_libraries

ROWS = bundled_libraries().callables
INSTALLED = [row for row in ROWS if row.signature == "installed"]


@dataclass(frozen=True)
class Accepted:
    """What a callable takes, as the test reads it."""

    names: frozenset[str]
    positional: tuple[str, ...]
    var_keyword: bool


def _import(path: str) -> object:
    module_name, _, attribute = path.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def accepted(target: object) -> Accepted:
    fields = getattr(target, "model_fields", None)
    if isinstance(fields, dict):  # a pydantic model: its fields, under their names and aliases
        names = set(fields)
        names |= {info.alias for info in fields.values() if getattr(info, "alias", None)}
        return Accepted(frozenset(names), (), False)
    if isinstance(target, type) and hasattr(target, "__total__"):  # a TypedDict
        return Accepted(frozenset(target.__annotations__), (), False)
    signature = inspect.signature(target)  # type: ignore[arg-type]
    parameters = list(signature.parameters.values())
    kinds = inspect.Parameter
    named = [p for p in parameters if p.kind not in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD)]
    positional = tuple(
        p.name for p in parameters if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)
    )
    var_keyword = any(p.kind is kinds.VAR_KEYWORD for p in parameters)
    return Accepted(frozenset(p.name for p in named), positional, var_keyword)


def problems(row: LibraryCallable, found: Accepted) -> list[str]:
    """What in the row the callable contradicts."""
    found_problems = [
        f"{row.label} takes no keyword {name!r}"
        for name in sorted(row.keywords() - set(row.via_kwargs) - found.names)
    ]
    if row.via_kwargs and not found.var_keyword:
        found_problems.append(f"{row.label} has no **kwargs for {list(row.via_kwargs)}")
    if row.closed and found.var_keyword:
        found_problems.append(f"{row.label} is marked closed but takes **kwargs")
    if row.positional and found.positional[: len(row.positional)] != row.positional:
        found_problems.append(
            f"{row.label}'s positional parameters are {found.positional}, not {row.positional}"
        )
    return found_problems


@pytest.mark.parametrize("row", INSTALLED, ids=[row.names[0] for row in INSTALLED])
def test_row_keywords_are_the_installed_callables_keywords(row: LibraryCallable) -> None:
    for name in row.names:
        if importlib.util.find_spec(name.split(".")[0]) is None and name != row.names[0]:
            continue  # an alias in another package (langchain_community), not installed here
        assert problems(row, accepted(_import(name))) == [], name


@pytest.mark.parametrize("row", INSTALLED, ids=[row.names[0] for row in INSTALLED])
def test_row_names_the_installed_version(row: LibraryCallable) -> None:
    assert importlib.metadata.version(row.package) == row.version


def test_a_renamed_keyword_is_caught() -> None:
    """The check above fails for a row whose keyword the callable does not take."""
    row = next(row for row in INSTALLED if row.label == "ChatOpenAI")
    broken = LibraryCallable(**{**row.__dict__, "base_url": ("openai_base_url",)})
    assert problems(broken, accepted(_import(row.names[0]))) == [
        "ChatOpenAI takes no keyword 'openai_base_url'"
    ]


def test_every_row_names_a_public_source_and_version() -> None:
    for row in ROWS:
        assert row.source.startswith("https://") and row.version and row.checked
        if row.signature == "source":
            assert row.note, f"{row.names[0]}: say why it was read from source"


def test_litellm_prefixes_sent_elsewhere_are_installed_litellm_providers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every prefix the LiteLLM convention sends to another provider (WB108) is a provider of
    the installed litellm, and none is a prefix the convention routes (`wandb/`, `openai/`)."""
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no fetch at import
    litellm = importlib.import_module("litellm")
    providers = {str(getattr(provider, "value", provider)) for provider in litellm.provider_list}
    convention = bundled_libraries().conventions["litellm"]
    prefixes = {route.prefix.removesuffix("/") for route in convention.elsewhere}
    assert prefixes, "the LiteLLM convention lists no provider"
    assert sorted(prefixes - providers) == []
    assert not any(convention.sent_elsewhere(route.prefix + "x") for route in convention.routes)


def test_litellm_reads_the_key_variables_named_for_its_providers() -> None:
    """Each key variable the data says LiteLLM reads for a provider is read, by that name, in
    the installed litellm's source (WB107 names it)."""
    found = importlib.util.find_spec("litellm")
    assert found is not None and found.origin is not None
    root = Path(found.origin).parent
    source = "\n".join(path.read_text("utf-8", errors="replace") for path in root.rglob("*.py"))
    convention = bundled_libraries().conventions["litellm"]
    variables = {name for route in convention.elsewhere for name in route.key_variables}
    assert sorted(name for name in variables if f'"{name}"' not in source) == []
