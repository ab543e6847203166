"""The bundled W&B knowledge (lint_wb/spec/*.toml) and its loader."""

from __future__ import annotations

import ast
import inspect
import re
import sys
import types
import typing
from collections import abc
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import get_args

import openai
import pytest
from openai.resources.chat.completions import Completions
from openai.resources.chat.completions import completions as completions_module

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from lint_wb.config.per_file import spec_for
from lint_wb.config.settings import Settings
from lint_wb.spec import (
    ApiSpec,
    ModelCatalog,
    ParamStatus,
    Spec,
    SpecError,
    ValueType,
    _parse_api,  # to test the loader's checks on api.toml
    bundled_catalog_facts,
    load_models,
    load_spec,
    loader,
    resolve_replacement,
)
from lint_wb.spec.catalog_loader import parse_catalog_facts
from tests.conftest import TEST_SNAPSHOT

# --------------------------------------------------------------------------------------------
# The bundled spec


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec()


def _keyword_only(function: Callable[..., object]) -> frozenset[str]:
    parameters = inspect.signature(function).parameters.values()
    return frozenset(p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY)


def test_spec_loads_and_is_cached(spec: Spec) -> None:
    assert isinstance(spec.api, ApiSpec)
    assert isinstance(spec.models, ModelCatalog)
    assert load_spec() is spec
    assert spec.api.base_url == "https://api.inference.wandb.ai/v1"


def test_sdk_create_parameters_match_installed_openai(spec: Spec) -> None:
    create = _keyword_only(Completions.create)
    assert "self" not in create
    assert spec.api.sdk_create_parameters == create, f"openai {openai.__version__}"


def test_sdk_parse_is_create_minus_stream(spec: Spec) -> None:
    parse = _keyword_only(Completions.parse)
    assert parse == spec.api.sdk_create_parameters - {"stream"}


def test_create_takes_no_other_arguments() -> None:
    kinds = {p.kind for p in inspect.signature(Completions.create).parameters.values()}
    assert inspect.Parameter.VAR_KEYWORD not in kinds


def test_every_parameter_status_and_type_is_a_literal(spec: Spec) -> None:
    statuses, types = set(get_args(ParamStatus)), set(get_args(ValueType))
    for name, parameter in spec.api.parameters.items():
        assert parameter.name == name
        assert parameter.status in statuses, name
        assert set(parameter.types) <= types, name


def test_every_sdk_keyword_has_a_status(spec: Spec) -> None:
    assert spec.api.sdk_create_parameters <= spec.api.parameters.keys()


def test_every_parameter_row_is_a_create_keyword_unless_it_goes_in_extra_body(
    spec: Spec,
) -> None:
    """A row is an SDK keyword exactly when its status is not extra-body (the SDK raises a
    TypeError for any other keyword), checked against the installed SDK, not api.toml's list."""
    create = _keyword_only(Completions.create)
    for name, parameter in spec.api.parameters.items():
        assert (name in create) is (parameter.status != "extra-body"), name


def test_the_required_rows_are_the_arguments_create_requires(spec: Spec) -> None:
    """WB208 reports a request without a `required` row: exactly the keyword-only arguments
    without a default in the installed SDK's create()."""
    parameters = inspect.signature(Completions.create).parameters.values()
    sdk = {p.name for p in parameters if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
    rows = {name for name, row in spec.api.parameters.items() if row.status == "required"}
    assert rows == sdk


def test_each_parameters_literal_types_are_types_the_sdk_takes(spec: Spec) -> None:
    """A literal of a type the row accepts would pass the SDK's own annotation of the keyword."""
    hints = typing.get_type_hints(Completions.create)
    for name, parameter in spec.api.parameters.items():
        if parameter.status == "extra-body":
            continue
        arms = _arms(hints[name])
        for value_type in parameter.types:
            assert any(_takes(arm, value_type) for arm in arms), (name, value_type, arms)


def test_each_parameters_choices_are_values_the_sdk_names(spec: Spec) -> None:
    hints = typing.get_type_hints(Completions.create)
    rows = [p for p in spec.api.parameters.values() if p.choices]
    assert rows
    for parameter in rows:
        named = {
            value
            for arm in _arms(hints[parameter.name])
            if typing.get_origin(arm) is typing.Literal
            for value in typing.get_args(arm)
        }
        assert set(parameter.choices) <= named, parameter.name


def test_ranges_the_sdk_documents_are_the_rows_ranges(spec: Spec) -> None:
    """Where openai-python's create() docs give a parameter's range ("between -2.0 and 2.0",
    "from -100 to 100"), the row has exactly that range (of its values, for a dict)."""
    documented = _documented_ranges()
    assert documented, "the SDK's docs gave no range: the reading below is out of date"
    for name, (low, high) in documented.items():
        parameter = spec.api.parameters[name]
        bounds = parameter.value_range if "dict" in parameter.types else parameter.range
        assert bounds is not None, name
        assert (bounds.minimum, bounds.maximum) == (low, high), name
        assert not (bounds.exclusive_minimum or bounds.exclusive_maximum), name


def test_every_range_fits_its_parameters_type(spec: Spec) -> None:
    for name, parameter in spec.api.parameters.items():
        if parameter.range is None:
            continue
        assert set(parameter.types) <= {"number", "integer"}, name
        if parameter.types == ("integer",):
            for bound in (parameter.range.minimum, parameter.range.maximum):
                assert bound is None or float(bound).is_integer(), name


def test_unsupported_parameters_are_openai_platform_features(spec: Spec) -> None:
    """W&B rejects what only OpenAI's platform offers: each such row cites OpenAI's reference
    for the feature and a W&B page for its absence."""
    rows = [p for p in spec.api.parameters.values() if p.status == "unsupported"]
    assert rows
    for parameter in rows:
        assert "platform.openai.com" in parameter.source, parameter.name
        assert "docs.wandb.ai" in parameter.source, parameter.name


def test_foreign_parameters_are_not_sdk_keywords_and_their_fixes_are(spec: Spec) -> None:
    create = _keyword_only(Completions.create)
    assert spec.api.foreign_parameters
    for name, foreign in spec.api.foreign_parameters.items():
        assert foreign.name == name
        assert name not in create
        assert foreign.rename_to is None or foreign.extra_body_as is None
        if foreign.rename_to is not None:
            assert foreign.rename_to in create
        if foreign.extra_body_as is not None:
            assert foreign.extra_body_as not in create
            assert spec.api.parameters[foreign.extra_body_as].status == "extra-body"


def test_near_miss_hosts_are_wandb_hosts_and_foreign_hosts_are_not(spec: Spec) -> None:
    right = {_host(spec.api.base_url), *map(_host, spec.api.other_wandb_base_urls)}
    near = set(spec.api.near_miss_hosts)
    assert near and not near & right
    for host in near:
        assert host.split(".")[-2] == "wandb", host
    foreign = {host.host for host in spec.api.foreign_hosts}
    assert foreign and not foreign & near
    for host in foreign:
        assert "wandb" not in host, host


def _host(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[0]


def _arms(annotation: object) -> list[object]:
    """The alternatives of an annotation, without the SDK's "not given" markers and None."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [arm for inner in typing.get_args(annotation) for arm in _arms(inner)]
    if annotation in (type(None), openai.Omit, openai.NotGiven):
        return []
    return [annotation]


def _takes(arm: object, value_type: str) -> bool:
    """Whether a literal of `value_type` (api.toml's vocabulary) fits the SDK's `arm`."""
    if arm is object:  # extra_body: the SDK sends whatever it is given
        return True
    origin = typing.get_origin(arm)
    literal = typing.get_args(arm) if origin is typing.Literal else ()
    if value_type == "boolean":
        return arm is bool or any(isinstance(value, bool) for value in literal)
    if value_type == "string":
        return arm is str or any(isinstance(value, str) for value in literal)
    if value_type == "number":
        return arm is float
    if value_type == "integer":
        return arm in (int, float)
    if value_type == "dict":
        typed_dict = isinstance(arm, type) and issubclass(arm, dict)  # also a TypedDict
        return typed_dict or origin in (dict, abc.Mapping)
    sequence = origin in (list, abc.Sequence, abc.Iterable)
    if value_type == "string-list":
        return sequence and typing.get_args(arm) == (str,)
    return value_type == "list" and sequence


def _documented_ranges() -> dict[str, tuple[float, float]]:
    """The ranges create()'s docstring states, per keyword, as the SDK source has them."""
    tree = ast.parse(inspect.getsource(completions_module))
    owner = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Completions")
    docstring = next(
        doc
        for node in owner.body
        if isinstance(node, ast.FunctionDef) and node.name == "create"
        for doc in [ast.get_docstring(node)]
        if doc
    )
    sections: dict[str, str] = {}
    name = ""
    for line in docstring.splitlines():
        start = re.match(r"^  (\w+): (.*)", line)
        if start:
            name, sections[start.group(1)] = start.group(1), start.group(2)
        elif name:
            sections[name] += " " + line.strip()
    ranges: dict[str, tuple[float, float]] = {}
    for name, text in sections.items():
        found = DOCUMENTED_RANGE.search(text)
        if found:
            ranges[name] = (float(found.group(1)), float(found.group(2)))
    return ranges


NUMBER = r"(-?\d+(?:\.\d+)?)"
DOCUMENTED_RANGE = re.compile(rf"\b(?:between|from) {NUMBER} (?:and|to) {NUMBER}\b")


def test_unsupported_endpoints_exist_in_the_sdk(spec: Spec) -> None:
    client = openai.OpenAI(api_key="test", base_url=spec.api.base_url)
    legacy = {"beta.vector_stores"}  # left beta in openai-python 1.x; old code still uses it
    assert "chat" not in spec.api.unsupported_endpoints
    for path in spec.api.unsupported_endpoints:
        if path in legacy:
            continue
        target: object = client
        for part in path.split("."):
            assert hasattr(target, part), path
            target = getattr(target, part)


# The bundled model snapshot's data, and what must hold for any snapshot, are checked in
# test_bundled_snapshot.py.


def test_every_entry_has_a_source(spec: Spec) -> None:
    assert spec.api.source and spec.models.source
    entries: list[object] = [
        *spec.api.parameters.values(),
        *spec.api.foreign_parameters.values(),
        *spec.api.foreign_hosts,
        *spec.models.models.values(),
    ]
    for entry in entries:
        assert getattr(entry, "source", "").strip(), entry


def test_every_raw_entry_has_a_source() -> None:
    """Entries the dataclasses keep no source for (near-miss hosts, mappings) carry one too."""
    for name in ("api.toml", "models.toml"):
        data = tomllib.loads(resources.files("lint_wb.spec").joinpath(name).read_text("utf-8"))
        for table in _tables(data):
            assert str(table.get("source", "")).strip(), (name, table)


def _tables(data: dict[str, object]) -> list[dict[str, object]]:
    """The entries of a data file: its top-level tables and the tables below them."""
    tables: list[dict[str, object]] = []
    for value in data.values():
        if isinstance(value, list):
            tables += [item for item in value if isinstance(item, dict)]
        elif isinstance(value, dict) and "source" in value:
            tables.append(value)
        elif isinstance(value, dict):
            tables += [item for item in value.values() if isinstance(item, dict)]
    return tables


# --------------------------------------------------------------------------------------------
# A user's models file

GOOD_MODELS = """\
[catalog]
date = 2026-11-01
source = "my snapshot"

[[model]]
id = "acme/Model-1"
lifecycle = "ga"
input_modalities = ["text", "image"]
context_window = 4096
reasoning = "hybrid"
thinking_default = false
reasoning_effort = ["low", "max"]
tool_calling = true
source = "catalog feed"

[[model]]
id = "acme/Model-0"
lifecycle = "deprecated"
retirement_date = "2026-12-01"
replacement = "acme/Model-1"
source = "lifecycle page"

[[model]]
id = "acme/Model-old"
lifecycle = "retired"
retired_on = "2026-01-01"
replacement = "acme/Model-0"
source = "lifecycle page"

[[other_provider_id]]
id = "model-1-turbo"
provider = "Elsewhere"
wandb_id = "acme/Model-1"
source = "their docs"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "models.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_spec_uses_the_given_models_file(tmp_path: Path, spec: Spec) -> None:
    custom = load_spec(models_file=_write(tmp_path, GOOD_MODELS))
    assert custom.models.date == "2026-11-01"
    assert set(custom.models.models) == {"acme/Model-1", "acme/Model-0", "acme/Model-old"}
    assert custom.models.other_provider_ids == {"model-1-turbo": "acme/Model-1"}
    assert custom.models.models["acme/Model-1"].tool_calling is True
    assert custom.models.models["acme/Model-1"].json_mode is None
    assert custom.models.models["acme/Model-1"].thinking_default is False
    assert custom.models.models["acme/Model-1"].reasoning_effort == ("low", "max")
    assert custom.api is spec.api
    assert resolve_replacement(custom.models, "acme/Model-old") == "acme/Model-1"
    assert load_spec() is spec


def test_served_and_fix_targets(tmp_path: Path) -> None:
    catalog = load_models(_write(tmp_path, GOOD_MODELS))
    assert [model_id for model_id in catalog.models if catalog.served(model_id)] == [
        "acme/Model-1",
        "acme/Model-0",  # deprecated: still served
    ]
    assert catalog.served("acme/Unlisted") is None
    assert [model_id for model_id in catalog.models if catalog.is_fix_target(model_id)] == [
        "acme/Model-1"  # a fix never writes the deprecated one, nor a retired one
    ]
    # The chain from the retired model passes the deprecated one and lands on the GA one.
    assert resolve_replacement(catalog, "acme/Model-old") == "acme/Model-1"


def test_a_deprecated_model_may_have_no_published_retirement_date(tmp_path: Path) -> None:
    text = GOOD_MODELS.replace('retirement_date = "2026-12-01"\n', "", 1)
    assert load_models(_write(tmp_path, text)).models["acme/Model-0"].retirement_date is None


def test_a_retired_model_may_have_no_published_date(tmp_path: Path) -> None:
    text = GOOD_MODELS.replace('retired_on = "2026-01-01"\n', "", 1)
    assert load_models(_write(tmp_path, text)).models["acme/Model-old"].retired_on is None


def test_load_models_accepts_a_string_path(tmp_path: Path) -> None:
    catalog = load_models(str(_write(tmp_path, GOOD_MODELS)))
    assert catalog.models["acme/Model-0"].retirement_date == "2026-12-01"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('source = "my snapshot"', 'source = "my snapshot', "invalid TOML"),
        ('id = "acme/Model-1"\n', "", "model #1: missing required key 'id'"),
        ("context_window = 4096", "contex_window = 4096", "did you mean 'context_window'"),
        (
            'wandb_id = "acme/Model-1"',
            'wandb_id = "acme/Nope"',
            "'acme/Nope' is not in the catalog",
        ),
        ('wandb_id = "acme/Model-1"', 'wandb_id = "acme/Model-0"', "'acme/Model-0' is deprecated"),
        ('lifecycle = "ga"', 'lifecycle = "GA"', "'lifecycle' must be one of"),
        ('reasoning = "hybrid"', 'reasoning = "maybe"', "'reasoning' must be one of"),
        ('reasoning = "hybrid"', 'reasoning = "yes"', "'thinking_default' is only for hybrid"),
        ('reasoning = "hybrid"\nthinking_default = false', 'reasoning = "no"', "need a reasoning"),
        ('["low", "max"]', "[]", "'reasoning_effort' is empty"),
        ('["low", "max"]', '["low", "low"]', "'reasoning_effort' lists 'low' twice"),
        ("thinking_default = false", 'thinking_default = "off"', "must be true or false"),
        ("context_window = 4096", "context_window = 0", "'context_window' must be an integer >= 1"),
        ("context_window = 4096", 'context_window = "4k"', "'context_window' must be an integer"),
        ('["text", "image"]', '["text", "smell"]', "'input_modalities' holds 'smell'"),
        ("tool_calling = true", 'tool_calling = "yes"', "'tool_calling' must be true or false"),
        ('retired_on = "2026-01-01"', 'retired_on = "January"', "must be a date"),
        ('"ga"', '"ga"\nretired_on = 2027-01-01', "'retired_on' is only for retired models"),
        ('"ga"', '"ga"\nretirement_date = 2027-01-01', "only for deprecated models"),
        ('source = "catalog feed"', 'source = ""', "'source' must be a non-empty string"),
        ('source = "catalog feed"\n', "", "model 'acme/Model-1': missing required key 'source'"),
        ("date = 2026-11-01\n", "", "[catalog]: missing required key 'date'"),
        ('id = "acme/Model-old"', 'id = "acme/Model-1"', "model 'acme/Model-1': listed twice"),
        ('id = "acme/Model-0"', 'id = "acme/Model-1"', "'replacement' names the model itself"),
        (
            'replacement = "acme/Model-1"',
            'replacement = "acme/Model-old"',
            "replacement chain loops",
        ),
        ('id = "model-1-turbo"', 'id = "acme/Model-0"', "is itself a W&B model ID"),
        ("[catalog]", "surprise = 1\n[catalog]", "top level: unknown key 'surprise'"),
    ],
)
def test_malformed_models_file(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD_MODELS
    path = _write(tmp_path, GOOD_MODELS.replace(old, new, 1))
    with pytest.raises(SpecError) as raised:
        load_models(path)
    message = str(raised.value)
    assert expected in message
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    with pytest.raises(SpecError):
        load_spec(models_file=path)


def _bundled_api_with(old: str, new: str) -> None:
    text = resources.files("lint_wb.spec").joinpath("api.toml").read_text("utf-8")
    assert old in text
    _parse_api(tomllib.loads(text.replace(old, new, 1)), "api.toml")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'status = "supported"\ntypes = ["number"]',
            'status = "supported"\ntype = ["number"]',
            "parameter 'temperature': unknown key 'type' (did you mean 'types'?)",
        ),
        ('status = "supported"', 'status = "maybe"', "'status' must be one of"),
        ("[parameter.seed]", "[parameter.sed]", "'seed' has no [parameter.seed]"),
        ('rename_to = "stop"', 'rename_to = "stops"', "'stops', not an SDK keyword"),
        ('rename_to = "stop"', 'rename_to = "store"', "which W&B does not take"),
        ('extra_body_as = "top_k"', 'extra_body_as = "topk"', "not an 'extra-body' parameter"),
        ('host = "api.wandb.ai"', 'host = "api.openai.com"', "already listed as near_miss_host"),
        ('host = "api.wandb.ai"', 'host = "https://api.wandb.ai"', "'host' must be a lower-case"),
        ("range = { minimum = 0, maximum = 2 }", "range = { maximum = -1, minimum = 2 }", "above"),
        ('suffixes = [".local"', 'suffixes = ["local"', "'suffixes' must be a non-empty list"),
        ("output_limit = true", 'output_limit = "yes"', "'output_limit' must be true or false"),
        ('header = "OpenAI-Project"', 'headr = "OpenAI-Project"', "missing required key 'header'"),
    ],
)
def test_malformed_api_file(old: str, new: str, expected: str) -> None:
    with pytest.raises(SpecError) as raised:
        _bundled_api_with(old, new)
    assert expected in str(raised.value)
    assert str(raised.value).startswith("api.toml: ")


@pytest.mark.parametrize(
    "row",
    [
        '[[near_miss_host]]\nhost = "api.wandb.ai"\n',
        '[[wandb_base_url]]\nurl = "https://api.training.wandb.ai/v1"\n',
        '[[foreign_host]]\nhost = "api.groq.com"\nprovider = "Groq"\n',
        '[parameter.temperature]\nstatus = "supported"\ntypes = ["number"]\n'
        "range = { minimum = 0, maximum = 2 }\n",
        '[foreign_parameter.p]\nprovider = "Cohere"\nrename_to = "top_p"\n',
        '[messages.role_synonym.model]\nrole = "assistant"\norigin = "Gemini"\n',
    ],
)
def test_every_api_row_needs_its_own_checked_date(row: str) -> None:
    with pytest.raises(SpecError, match="missing required key 'checked'"):
        _bundled_api_with(row + 'checked = "', row + 'unchecked = "')


def test_every_api_row_has_a_checked_date() -> None:
    """Each row's own date, not one for its table: the data file as written, row by row."""
    text = resources.files("lint_wb.spec").joinpath("api.toml").read_text("utf-8")
    rows = _tables(tomllib.loads(text))
    rows += list(tomllib.loads(text)["messages"]["role_synonym"].values())
    assert len(rows) > 100
    for row in rows:
        assert str(row.get("checked", "")), row


def test_spec_error_is_a_value_error() -> None:
    assert issubclass(SpecError, ValueError)


def test_missing_models_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read"):
        load_models(tmp_path / "absent.toml")


def test_models_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "models.toml"
    path.write_bytes(b"[catalog]\ndate = \xff\n")
    with pytest.raises(SpecError, match="not UTF-8"):
        load_models(path)


def test_unknown_key_in_a_nested_table_is_caught(tmp_path: Path) -> None:
    path = _write(
        tmp_path, GOOD_MODELS.replace('source = "my snapshot"', 'sauce = "x"\nsource = "y"')
    )
    with pytest.raises(SpecError, match=r"\[catalog\]: unknown key 'sauce'"):
        load_models(path)


def test_tests_run_on_the_test_snapshot_and_cannot_read_the_bundled_one() -> None:
    """tests/conftest.py's promise, on which "a catalog refresh changes no rule test" rests:
    every path to the bundled snapshot gives the test snapshot, and the file itself cannot be
    read through the loader. (Checked once by hand too: with lint_wb/spec/models.toml replaced
    by fixtures/models_snapshot/snapshot.toml, only the bundled-data tests fail.)"""
    test_snapshot = load_models(TEST_SNAPSHOT)
    assert load_spec().models == test_snapshot
    assert loader.bundled_models() == test_snapshot
    assert spec_for(Settings()).models == test_snapshot
    with pytest.raises(AssertionError, match="use the test snapshot"):
        loader._read_bundled("models.toml")
    assert loader._read_bundled("api.toml")  # the API facts are not a snapshot


# --------------------------------------------------------------------------------------------
# catalog.toml: the feed, the lifecycle stages, the LoRA URI


def _bundled_catalog_with(old: str, new: str) -> None:
    text = resources.files("lint_wb.spec").joinpath("catalog.toml").read_text("utf-8")
    assert old in text
    parse_catalog_facts(tomllib.loads(text.replace(old, new, 1)), "catalog.toml")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('name = "retired"', 'name = "gone"', "'name' must be one of"),
        ('name = "retired"', 'name = "ga"', "lifecycle 'ga': listed twice"),
        ("served = true\nfix_target = true", "served = false\nfix_target = true", "only write"),
        ('feed_stage = "retired"\n', "", "lifecycle 'retired': missing required key"),
        (
            'feed_stage = "retired"\nserved = false\nfix_target = false\nending = true\n'
            "checked = 2026-10-07\n",
            'feed_stage = "retired"\nserved = false\nfix_target = false\nending = true\n',
            "missing required key 'checked'",
        ),
        ('id_field = "idPlayground"', 'id = "idPlayground"', "missing required key 'id_field'"),
        ('shape = "wandb-artifact:', 'shape = "artifact:', "'shape' must start with"),
        ('url = "https://trace', 'url = "http://trace', "'url' must be an https:// URL"),
    ],
)
def test_malformed_catalog_file(old: str, new: str, expected: str) -> None:
    with pytest.raises(SpecError) as raised:
        _bundled_catalog_with(old, new)
    assert expected in str(raised.value)
    assert str(raised.value).startswith("catalog.toml: ")


def test_a_catalog_file_without_a_lifecycle_is_an_error() -> None:
    text = resources.files("lint_wb.spec").joinpath("catalog.toml").read_text("utf-8")
    retired = text.index('[[lifecycle]]\nname = "retired"')
    data = tomllib.loads(text[:retired] + text[text.index("[lora]") :])
    with pytest.raises(SpecError, match="missing: retired"):
        parse_catalog_facts(data, "catalog.toml")


def test_the_lifecycle_stages_read_the_feeds_names() -> None:
    lifecycles = bundled_catalog_facts().lifecycles
    for stage in lifecycles.stages:
        assert lifecycles.from_feed(stage.feed_stage) == stage.name
    assert lifecycles.from_feed("limited-preview") is None


def _client_target_values() -> dict[str, object]:
    """A valid value for each keyword of a `client_target` row or its `excludes`."""
    from openai.providers import bedrock

    return {
        "provider": bedrock(endpoint="runtime", region="us-west-2", api_key="token"),
        "data_residency": "eu",
        "workload_identity": object(),
        "api_key": "key",
        "admin_api_key": "admin-key",
        "base_url": "https://example.com/v1",
        "websocket_base_url": "wss://example.com/v1",
    }


def test_client_targets_are_refused_beside_what_they_exclude(spec: Spec) -> None:
    """Each row's `excludes` is what the installed SDK refuses beside the keyword (the reason
    WB103 and WB107 replace the keyword instead of adding `base_url=` / `api_key=`)."""
    values = _client_target_values()
    assert {target.keyword for target in spec.api.client_targets} == {
        "provider",
        "data_residency",
        "workload_identity",
    }
    for target in spec.api.client_targets:
        assert target.replaced_by in target.excludes, target
        for excluded in target.excludes:
            given = {target.keyword: values[target.keyword], excluded: values[excluded]}
            with pytest.raises((openai.OpenAIError, ValueError), match=excluded):
                openai.OpenAI(**given)  # type: ignore[arg-type]
