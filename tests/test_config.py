"""Configuration: discovery, parsing, validation, `extend`, and glob matching."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from lint_wb.config.globs import ignored_codes_for, is_excluded
from lint_wb.config.load import (
    CONFIG_FILENAMES,
    OUTPUT_FORMATS,
    ConfigError,
    find_config_file,
    load_settings,
    resolve_settings,
)
from lint_wb.config.settings import DEFAULT_EXCLUDE, Settings

KNOWN_SELECTORS = ("WB", "WB1", "WB101", "WB102", "WB3", "WB301", "WB5", "WB901")


@pytest.fixture(autouse=True)
def _cwd_outside_tmp_path(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Error messages show paths relative to the cwd when they can: keep the cwd elsewhere,
    so tests that do not chdir themselves see absolute paths whatever folder pytest ran in."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


def fake_check_selector(selector: str) -> str | None:
    """Stands in for the rule registry: a few known selectors, did-you-mean for the rest."""
    if selector in KNOWN_SELECTORS:
        return None
    return f"unknown rule selector {selector!r} (did you mean 'WB101'?)"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_settings(path, check_selector=fake_check_selector)
    message = str(info.value)
    assert "\n" not in message
    return message


# --------------------------------------------------------------------------- discovery


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        ((".lint-wb.toml", "lint-wb.toml", "pyproject.toml"), ".lint-wb.toml"),
        (("lint-wb.toml", "pyproject.toml"), "lint-wb.toml"),
        ((".lint-wb.toml", "pyproject.toml"), ".lint-wb.toml"),
        (("pyproject.toml",), "pyproject.toml"),
    ],
)
def test_discovery_order_within_a_folder(
    tmp_path: Path, present: tuple[str, ...], expected: str
) -> None:
    for name in present:
        body = "[tool.lint-wb]\n" if name == "pyproject.toml" else ""
        write(tmp_path / name, body + "assume-wandb = true\n")
    assert find_config_file(tmp_path) == tmp_path / expected


def test_config_filenames_are_in_documented_order() -> None:
    assert CONFIG_FILENAMES == (".lint-wb.toml", "lint-wb.toml", "pyproject.toml")


def test_discovery_walks_up_from_a_file_and_from_a_folder(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", "")
    source = write(tmp_path / "pkg" / "sub" / "mod.py", "")
    assert find_config_file(source) == config
    assert find_config_file(source.parent) == config


def test_discovery_stops_at_the_nearest_folder(tmp_path: Path) -> None:
    write(tmp_path / "lint-wb.toml", "")
    nearer = write(tmp_path / "pkg" / ".lint-wb.toml", "")
    source = write(tmp_path / "pkg" / "sub" / "mod.py", "")
    assert find_config_file(source) == nearer


def test_discovery_of_a_path_that_does_not_exist_starts_at_its_folder(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", "")
    assert find_config_file(tmp_path / "stdin.py") == config


def test_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    outer = write(tmp_path / "lint-wb.toml", "")
    write(tmp_path / "pkg" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n# lint-wb\n")
    assert find_config_file(tmp_path / "pkg") == outer


def test_pyproject_with_only_a_subtable_name_like_ours_is_skipped(tmp_path: Path) -> None:
    outer = write(tmp_path / "lint-wb.toml", "")
    write(tmp_path / "pkg" / "pyproject.toml", '[tool.other]\nname = "lint-wb"\n')
    assert find_config_file(tmp_path / "pkg") == outer


def test_broken_pyproject_that_does_not_mention_us_is_skipped(tmp_path: Path) -> None:
    outer = write(tmp_path / "lint-wb.toml", "")
    write(tmp_path / "pkg" / "pyproject.toml", "[tool.ruff\n")
    assert find_config_file(tmp_path / "pkg") == outer


def test_broken_pyproject_with_our_table_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.lint-wb]\nselect = [\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: invalid TOML"):
        find_config_file(tmp_path)


def test_no_config_file_gives_none(tmp_path: Path) -> None:
    source = write(tmp_path / "a" / "b.py", "")
    write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'x'\n")
    found = find_config_file(source)
    # Folders above tmp_path are not ours: only require that nothing inside was picked.
    assert found is None or tmp_path not in found.parents


# --------------------------------------------------------------------------- parsing

FULL_CONFIG = """\
select = ["WB1", "WB3"]
extend-select = ["WB5"]
ignore = ["WB301"]
exclude = ["generated", "src/legacy/*.py"]
extend-exclude = ["*.pyi"]
respect-gitignore = false
assume-wandb = true
extra-base-urls = ["https://llm-proxy.example.com/wandb/v1"]
extra-models = ["acme/custom-model"]
extra-parameters = ["acme_trace_id"]
unsafe-fixes = true
output-format = "json-lines"
models-file = "snapshots/models.toml"

[per-file-ignores]
"tests/**" = ["WB101", "WB102"]
"__init__.py" = ["WB5"]
"""


def expected_full(config: Path) -> Settings:
    return Settings(
        select=("WB1", "WB3"),
        extend_select=("WB5",),
        ignore=("WB301",),
        per_file_ignores=(("tests/**", ("WB101", "WB102")), ("__init__.py", ("WB5",))),
        exclude=("generated", "src/legacy/*.py"),
        extend_exclude=("*.pyi",),
        respect_gitignore=False,
        assume_wandb=True,
        extra_base_urls=("https://llm-proxy.example.com/wandb/v1",),
        extra_models=("acme/custom-model",),
        extra_parameters=("acme_trace_id",),
        unsafe_fixes=True,
        output_format="json-lines",
        models_file=config.parent / "snapshots" / "models.toml",
        config_file=config,
        root=config.parent,
    )


def test_every_key_is_parsed_from_lint_wb_toml(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", FULL_CONFIG)
    settings = load_settings(config, check_selector=fake_check_selector)
    assert settings == expected_full(config)


def test_every_key_is_parsed_from_pyproject_table(tmp_path: Path) -> None:
    body = FULL_CONFIG.replace("[per-file-ignores]", "[tool.lint-wb.per-file-ignores]")
    config = write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "demo"\n\n[tool.lint-wb]\n' + body + "\n[tool.ruff]\nline-length = 1\n",
    )
    assert load_settings(config, check_selector=fake_check_selector) == expected_full(config)


def test_empty_file_gives_defaults_with_its_root(tmp_path: Path) -> None:
    config = write(tmp_path / ".lint-wb.toml", "")
    settings = load_settings(config)
    assert settings == Settings(config_file=config, root=tmp_path)
    assert settings.exclude == DEFAULT_EXCLUDE
    assert settings.select == ("WB",)


def test_pyproject_without_the_table_given_explicitly_gives_defaults(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml", '[project]\nname = "demo"\n')
    assert load_settings(config) == Settings(config_file=config, root=tmp_path)


def test_relative_config_path_is_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "cfg" / "lint-wb.toml", 'models-file = "m.toml"\n')
    monkeypatch.chdir(tmp_path)
    settings = load_settings(Path("cfg/lint-wb.toml"))
    assert settings.config_file == tmp_path / "cfg" / "lint-wb.toml"
    assert settings.root == tmp_path / "cfg"
    assert settings.models_file == tmp_path / "cfg" / "m.toml"


def test_models_file_is_relative_to_the_config_folder_not_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path / "proj" / "lint-wb.toml", 'models-file = "../data/models.toml"\n')
    monkeypatch.chdir(tmp_path / "proj")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert load_settings(config).models_file == tmp_path / "data" / "models.toml"


def test_models_file_absolute_path_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "abs" / "models.toml"
    config = write(tmp_path / "proj" / "lint-wb.toml", f"models-file = {str(target)!r}\n")
    assert load_settings(config).models_file == target


@pytest.mark.parametrize("name", OUTPUT_FORMATS)
def test_every_output_format_is_accepted(tmp_path: Path, name: str) -> None:
    config = write(tmp_path / "lint-wb.toml", f'output-format = "{name}"\n')
    assert load_settings(config).output_format == name


def test_every_documented_key_maps_to_a_settings_field(tmp_path: Path) -> None:
    fields = {field.name for field in dataclasses.fields(Settings)}
    keys = [line.split(" =")[0] for line in FULL_CONFIG.splitlines() if " = " in line]
    kebab_keys = [key for key in keys if not key.startswith('"')] + ["per-file-ignores"]
    assert {key.replace("-", "_") for key in kebab_keys} == fields - {"config_file", "root"}


# --------------------------------------------------------------------------- errors


def test_unknown_key_in_pyproject_has_did_you_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "pyproject.toml", "[tool.lint-wb]\nasume-wandb = true\n")
    monkeypatch.chdir(tmp_path)
    assert load_error(Path("pyproject.toml")) == (
        "pyproject.toml: unknown key 'asume-wandb' in [tool.lint-wb] (did you mean 'assume-wandb'?)"
    )


def test_unknown_key_message_names_the_file_relative_to_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path / "sub" / "lint-wb.toml", "selct = ['WB']\n")
    monkeypatch.chdir(tmp_path)
    message = load_error(config)
    assert message == (f"{Path('sub/lint-wb.toml')}: unknown key 'selct' (did you mean 'select'?)")


def test_snake_case_key_suggests_kebab_case(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", "extra_base_urls = []\n")
    assert load_error(config).endswith(
        "unknown key 'extra_base_urls' (did you mean 'extra-base-urls'?)"
    )


def test_unknown_key_without_a_close_match_has_no_suggestion(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", "zzzz = 1\n")
    message = load_error(config)
    assert "unknown key 'zzzz'" in message
    assert "did you mean" not in message


def test_tool_table_in_lint_wb_toml_explains_the_layout(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", "[tool.lint-wb]\nselect = ['WB']\n")
    message = load_error(config)
    assert "unknown key 'tool'" in message
    assert "without [tool.lint-wb]" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('select = "WB1"', "'select' in [tool.lint-wb] must be a list of strings, got a string"),
        ("ignore = [1]", "'ignore' in [tool.lint-wb] must be a list of strings, but item 1 is an"),
        ('exclude = ["a", ""]', "'exclude' in [tool.lint-wb]: item 2 is an empty string"),
        ("extend-exclude = {a = 1}", "'extend-exclude' in [tool.lint-wb] must be a list"),
        (
            'respect-gitignore = "yes"',
            "'respect-gitignore' in [tool.lint-wb] must be true or false",
        ),
        ("assume-wandb = 1", "'assume-wandb' in [tool.lint-wb] must be true or false, got an int"),
        ("unsafe-fixes = []", "'unsafe-fixes' in [tool.lint-wb] must be true or false, got an arr"),
        (
            "extra-models = [true]",
            "'extra-models' in [tool.lint-wb] must be a list of strings, but",
        ),
        ("extra-parameters = 'seed'", "'extra-parameters' in [tool.lint-wb] must be a list of"),
        (
            'extra-base-urls = ["api.example.com/v1"]',
            "'extra-base-urls' in [tool.lint-wb]: 'api.example.com/v1' is not an http",
        ),
        ("output-format = 3", "'output-format' in [tool.lint-wb] must be a string, got an int"),
        (
            'output-format = "jsonlines"',
            "'output-format' in [tool.lint-wb] must be one of full, concise, json, json-lines, "
            "sarif, github; got 'jsonlines' (did you mean 'json-lines'?)",
        ),
        ("models-file = ['a']", "'models-file' in [tool.lint-wb] must be a string, got an array"),
        ('models-file = ""', "'models-file' in [tool.lint-wb] must not be empty"),
        ("extend = 3", "'extend' in [tool.lint-wb] must be a string, got an integer"),
        ('per-file-ignores = ["a"]', "'per-file-ignores' in [tool.lint-wb] must be a table of"),
        (
            'per-file-ignores = {"tests/*" = "WB1"}',
            "'per-file-ignores.\"tests/*\"' in [tool.lint-wb] must be a list of strings, got a "
            "string ('WB1')",
        ),
    ],
)
def test_wrong_values_are_one_line_errors(tmp_path: Path, body: str, expected: str) -> None:
    config = write(tmp_path / "pyproject.toml", f"[tool.lint-wb]\n{body}\n")
    message = load_error(config)
    assert message.startswith(f"{config}: ")
    assert expected in message


def test_tool_lint_wb_that_is_not_a_table_is_an_error(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml", '[tool]\nlint-wb = "yes"\n')
    assert "'tool.lint-wb' must be a table, got a string ('yes')" in load_error(config)


def test_invalid_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", 'select = ["WB"]\nassume-wandb = \n')
    message = load_error(config)
    assert message.startswith(f"{config}: invalid TOML: ")
    assert "line 2" in message


def test_duplicate_key_is_invalid_toml(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", "assume-wandb = true\nassume-wandb = false\n")
    assert "invalid TOML" in load_error(config)


def test_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "lint-wb.toml"
    config.write_bytes(b'extra-models = ["caf\xe9"]\n')
    assert load_error(config).startswith(f"{config}: not valid UTF-8")


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    assert load_error(tmp_path / "nope.toml").startswith(f"{tmp_path / 'nope.toml'}: cannot read")


# --------------------------------------------------------------------------- selectors


@pytest.mark.parametrize("key", ["select", "extend-select", "ignore"])
def test_invalid_selector_uses_the_checker_message(tmp_path: Path, key: str) -> None:
    config = write(tmp_path / "lint-wb.toml", f'{key} = ["WB1", "WB1O1"]\n')
    assert load_error(config) == (
        f"{config}: '{key}': unknown rule selector 'WB1O1' (did you mean 'WB101'?)"
    )


def test_invalid_selector_in_per_file_ignores_names_the_glob(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", '[per-file-ignores]\n"tests/*" = ["WB3", "WBX"]\n')
    assert load_error(config) == (
        f"{config}: 'per-file-ignores.\"tests/*\"': unknown rule selector 'WBX' "
        "(did you mean 'WB101'?)"
    )


def test_checker_sees_every_selector_and_nothing_else(tmp_path: Path) -> None:
    seen: list[str] = []

    def record(selector: str) -> str | None:
        seen.append(selector)
        return None

    config = write(
        tmp_path / "lint-wb.toml",
        'select = ["A"]\nextend-select = ["B"]\nignore = ["C"]\nextra-models = ["M"]\n'
        '[per-file-ignores]\n"x.py" = ["D", "E"]\n',
    )
    load_settings(config, check_selector=record)
    assert sorted(seen) == ["A", "B", "C", "D", "E"]


def test_without_a_checker_selectors_are_not_checked(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", 'select = ["NOPE"]\n')
    assert load_settings(config).select == ("NOPE",)


# --------------------------------------------------------------------------- extend


def test_extend_inherits_and_overrides(tmp_path: Path) -> None:
    write(
        tmp_path / "base.toml",
        'select = ["WB1"]\nassume-wandb = true\nextra-models = ["a/b"]\noutput-format = "json"\n',
    )
    config = write(
        tmp_path / "lint-wb.toml",
        'extend = "base.toml"\nextra-models = ["c/d"]\noutput-format = "sarif"\n',
    )
    settings = load_settings(config)
    assert settings.select == ("WB1",)
    assert settings.assume_wandb is True
    assert settings.extra_models == ("c/d",)
    assert settings.output_format == "sarif"
    assert settings.config_file == config
    assert settings.root == tmp_path


def test_extend_is_relative_to_the_declaring_file_through_a_chain(tmp_path: Path) -> None:
    write(tmp_path / "shared" / "root.toml", "unsafe-fixes = true\nassume-wandb = true\n")
    write(
        tmp_path / "shared" / "team" / "team.toml",
        'extend = "../root.toml"\nassume-wandb = false\n',
    )
    config = write(tmp_path / "proj" / "lint-wb.toml", 'extend = "../shared/team/team.toml"\n')
    settings = load_settings(config)
    assert settings.unsafe_fixes is True
    assert settings.assume_wandb is False


def test_extend_can_name_a_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "base" / "pyproject.toml", '[tool.lint-wb]\nextra-parameters = ["x"]\n')
    config = write(tmp_path / "lint-wb.toml", 'extend = "base/pyproject.toml"\n')
    assert load_settings(config).extra_parameters == ("x",)


def test_extend_exclude_adds_to_the_base(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", 'exclude = ["a"]\nextend-exclude = ["b"]\n')
    config = write(tmp_path / "lint-wb.toml", 'extend = "base.toml"\nextend-exclude = ["c"]\n')
    settings = load_settings(config)
    assert settings.exclude == ("a",)
    assert settings.extend_exclude == ("b", "c")


def test_extend_select_adds_to_the_base_unless_select_starts_over(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", 'select = ["WB1"]\nextend-select = ["WB5"]\n')
    adds = write(tmp_path / "adds.toml", 'extend = "base.toml"\nextend-select = ["WB3"]\n')
    restarts = write(tmp_path / "restarts.toml", 'extend = "base.toml"\nselect = ["WB3"]\n')
    assert load_settings(adds).extend_select == ("WB5", "WB3")
    assert load_settings(adds).select == ("WB1",)
    assert load_settings(restarts).select == ("WB3",)
    assert load_settings(restarts).extend_select == ()


def test_extended_per_file_ignores_are_replaced_not_merged(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", '[per-file-ignores]\n"a.py" = ["WB1"]\n')
    config = write(
        tmp_path / "lint-wb.toml", 'extend = "base.toml"\n[per-file-ignores]\n"b.py" = ["WB3"]\n'
    )
    assert load_settings(config).per_file_ignores == (("b.py", ("WB3",)),)


def test_extended_models_file_stays_relative_to_the_base(tmp_path: Path) -> None:
    write(tmp_path / "shared" / "base.toml", 'models-file = "models.toml"\n')
    config = write(tmp_path / "proj" / "lint-wb.toml", 'extend = "../shared/base.toml"\n')
    assert load_settings(config).models_file == tmp_path / "shared" / "models.toml"


def test_extended_path_globs_are_rebased_onto_the_extending_file(tmp_path: Path) -> None:
    write(
        tmp_path / "proj" / "configs" / "base.toml",
        'exclude = ["gen/*.py", "build"]\n[per-file-ignores]\n"tests/*" = ["WB1"]\n',
    )
    config = write(tmp_path / "proj" / "lint-wb.toml", 'extend = "configs/base.toml"\n')
    settings = load_settings(config)
    assert settings.exclude == ("configs/gen/*.py", "build")
    assert settings.per_file_ignores == (("configs/tests/*", ("WB1",)),)
    assert is_excluded(tmp_path / "proj" / "configs" / "gen" / "x.py", settings)
    assert not is_excluded(tmp_path / "proj" / "gen" / "x.py", settings)


def test_extended_globs_from_outside_the_root_become_absolute(tmp_path: Path) -> None:
    write(tmp_path / "shared" / "base.toml", 'extend-exclude = ["gen/*.py"]\n')
    config = write(tmp_path / "proj" / "lint-wb.toml", 'extend = "../shared/base.toml"\n')
    settings = load_settings(config)
    assert settings.extend_exclude == (f"{(tmp_path / 'shared').as_posix()}/gen/*.py",)
    assert is_excluded(tmp_path / "shared" / "gen" / "x.py", settings)
    assert not is_excluded(tmp_path / "proj" / "gen" / "x.py", settings)


def test_child_keys_are_still_validated_when_extending(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", "")
    config = write(tmp_path / "lint-wb.toml", 'extend = "base.toml"\nunsafe-fix = true\n')
    assert "did you mean 'unsafe-fixes'?" in load_error(config)


def test_errors_in_the_extended_file_name_that_file(tmp_path: Path) -> None:
    base = write(tmp_path / "base.toml", "assume-wandb = 'yes'\n")
    config = write(tmp_path / "lint-wb.toml", 'extend = "base.toml"\n')
    assert load_error(config).startswith(f"{base}: 'assume-wandb' must be true or false")


def test_extend_of_a_missing_file_is_an_error(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", 'extend = "missing.toml"\n')
    message = load_error(config)
    assert message.startswith(f"{config}: 'extend' names 'missing.toml', which is not a file")


def test_extend_cycle_between_two_files_is_an_error(tmp_path: Path) -> None:
    first = write(tmp_path / "a.toml", 'extend = "b.toml"\n')
    second = write(tmp_path / "b.toml", 'extend = "a.toml"\n')
    assert load_error(first) == f"{second}: 'extend' makes a cycle: {first} -> {second} -> {first}"


def test_extend_of_itself_is_a_cycle(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", 'extend = "./lint-wb.toml"\n')
    assert "'extend' makes a cycle" in load_error(config)


# --------------------------------------------------------------------------- resolve


def test_resolve_isolated_gives_defaults_rooted_at_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "lint-wb.toml", "assume-wandb = true\n")
    monkeypatch.chdir(tmp_path)
    settings = resolve_settings(tmp_path, config=tmp_path / "lint-wb.toml", isolated=True)
    assert settings == Settings(root=tmp_path)
    assert settings.config_file is None


def test_resolve_explicit_config_wins_over_discovery(tmp_path: Path) -> None:
    write(tmp_path / "lint-wb.toml", "assume-wandb = true\n")
    other = write(tmp_path / "elsewhere" / "custom.toml", "unsafe-fixes = true\n")
    settings = resolve_settings(tmp_path, config=other)
    assert settings.config_file == other
    assert settings.unsafe_fixes is True
    assert settings.assume_wandb is False


def test_resolve_discovers_from_start(tmp_path: Path) -> None:
    config = write(tmp_path / "lint-wb.toml", "assume-wandb = true\n")
    settings = resolve_settings(write(tmp_path / "src" / "a.py", ""))
    assert settings.config_file == config
    assert settings.assume_wandb is True


def test_resolve_passes_the_selector_checker(tmp_path: Path) -> None:
    write(tmp_path / "lint-wb.toml", 'select = ["BAD"]\n')
    with pytest.raises(ConfigError, match="unknown rule selector 'BAD'"):
        resolve_settings(tmp_path, check_selector=fake_check_selector)


def test_resolve_without_a_file_gives_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = resolve_settings(tmp_path)
    if settings.config_file is None:  # no configuration above tmp_path on this machine
        assert settings == Settings(root=tmp_path)
    else:
        assert tmp_path not in settings.config_file.parents


# --------------------------------------------------------------------------- matching


def settings_at(root: Path, **changes: object) -> Settings:
    return dataclasses.replace(Settings(root=root), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "relative",
    [
        ".venv/lib/x.py",
        "src/__pycache__/x.py",
        "pkg/build/x.py",
        "node_modules",
    ],
)
def test_default_excludes_match_any_folder_name(tmp_path: Path, relative: str) -> None:
    assert is_excluded(tmp_path / relative, Settings(root=tmp_path))


def test_default_excludes_do_not_match_similar_names(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    assert not is_excluded(tmp_path / "src" / "builder" / "x.py", settings)
    assert not is_excluded(tmp_path / "src" / "build.py", settings)


NAMES = ["build", "a.b", "a+b", "x]", "(c)", "^d$", "e|f", "g{2}", "h\\", "[ab]c", "i*", "j?"]
"""Name globs with and without wildcards, and with what a regex would read otherwise."""


@pytest.mark.parametrize("pattern", NAMES)
def test_a_name_glob_looked_up_matches_what_its_regex_matches(tmp_path: Path, pattern: str) -> None:
    """A name glob without a wildcard is looked up in a set (`_Matcher.names`), not matched:
    the same names match as with its regex."""
    from lint_wb.config.globs import _compile, _Matcher, _matcher

    regex_only = _Matcher(_compile([pattern]), None, None)
    settings = settings_at(tmp_path, exclude=(pattern,))
    for name in [*NAMES, "ac", "bc", "i", "ix", "j", "jj", "builds", "abuild", "a_b"]:
        path = tmp_path / "src" / name / "x.py"
        assert is_excluded(path, settings) == bool(regex_only.by_name.fullmatch(name)), name
    assert (pattern in _matcher((pattern,)).names) == (pattern in NAMES[:-3])


def test_folders_above_the_root_do_not_count(tmp_path: Path) -> None:
    root = tmp_path / "build" / "project"
    assert not is_excluded(root / "src" / "x.py", Settings(root=root))


def test_paths_outside_the_root_check_all_their_folders(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path / "project")
    assert is_excluded(tmp_path / "venv" / "x.py", settings)
    assert not is_excluded(tmp_path / "other" / "x.py", settings)


def test_basename_globs(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, exclude=(), extend_exclude=("*.pyi", "gen_*"))
    assert is_excluded(tmp_path / "a" / "b" / "stub.pyi", settings)
    assert is_excluded(tmp_path / "gen_models" / "x.py", settings)
    assert not is_excluded(tmp_path / "a" / "stub.py", settings)


def test_exclude_replaces_the_defaults_and_extend_exclude_adds(tmp_path: Path) -> None:
    replaced = settings_at(tmp_path, exclude=("legacy",))
    assert not is_excluded(tmp_path / ".venv" / "x.py", replaced)
    assert is_excluded(tmp_path / "legacy" / "x.py", replaced)
    extended = settings_at(tmp_path, extend_exclude=("legacy",))
    assert is_excluded(tmp_path / ".venv" / "x.py", extended)
    assert is_excluded(tmp_path / "legacy" / "x.py", extended)


def test_path_globs_are_relative_to_the_root(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, exclude=("src/gen/*.py",))
    assert is_excluded(tmp_path / "src" / "gen" / "models.py", settings)
    assert not is_excluded(tmp_path / "other" / "src" / "gen" / "models.py", settings)
    assert not is_excluded(tmp_path / "src" / "gen" / "models.pyi", settings)


def test_path_glob_naming_a_folder_excludes_its_contents(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, exclude=("src/gen",))
    assert is_excluded(tmp_path / "src" / "gen", settings)
    assert is_excluded(tmp_path / "src" / "gen" / "deep" / "x.py", settings)
    assert not is_excluded(tmp_path / "src" / "generated" / "x.py", settings)


def test_double_star_matches_zero_or_more_folders(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, exclude=("src/**/fixtures/*.py",))
    assert is_excluded(tmp_path / "src" / "fixtures" / "a.py", settings)
    assert is_excluded(tmp_path / "src" / "a" / "b" / "fixtures" / "a.py", settings)
    assert not is_excluded(tmp_path / "lib" / "fixtures" / "a.py", settings)


def test_leading_double_star_and_dot_slash_and_trailing_slash(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, exclude=("**/snapshots/*.py", "./docs/conf.py", "out/"))
    assert is_excluded(tmp_path / "snapshots" / "a.py", settings)
    assert is_excluded(tmp_path / "x" / "snapshots" / "a.py", settings)
    assert is_excluded(tmp_path / "docs" / "conf.py", settings)
    assert is_excluded(tmp_path / "deep" / "out" / "a.py", settings)
    assert not is_excluded(tmp_path / "docs" / "index.py", settings)


def test_star_matches_across_folders_as_in_ruff(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, exclude=("tests/*.py",))
    assert is_excluded(tmp_path / "tests" / "unit" / "test_a.py", settings)


def test_character_classes_and_question_mark(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, exclude=("v[0-9].py", "[!a]z.py", "m?.py", "lit[.py"))
    assert is_excluded(tmp_path / "v2.py", settings)
    assert not is_excluded(tmp_path / "vx.py", settings)
    assert is_excluded(tmp_path / "bz.py", settings)
    assert not is_excluded(tmp_path / "az.py", settings)
    assert is_excluded(tmp_path / "m1.py", settings)
    assert not is_excluded(tmp_path / "m12.py", settings)
    assert is_excluded(tmp_path / "lit[.py", settings)


def test_regex_characters_in_globs_are_literal(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, exclude=("a+b(1).py",))
    assert is_excluded(tmp_path / "a+b(1).py", settings)
    assert not is_excluded(tmp_path / "aab1.py", settings)


def test_absolute_globs_match_absolute_paths(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, exclude=(f"{tmp_path.as_posix()}/vendor/*",))
    assert is_excluded(tmp_path / "vendor" / "x.py", settings)
    assert not is_excluded(tmp_path / "src" / "vendor" / "x.py", settings)


def test_relative_paths_are_read_from_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_at(tmp_path, exclude=("src/gen/*",))
    monkeypatch.chdir(write(tmp_path / "src" / "gen" / "x.py", "").parent.parent)
    assert is_excluded(Path("gen/x.py"), settings)
    assert not is_excluded(Path("x.py"), settings)


def test_per_file_ignores_collect_codes_in_order_without_repeats(tmp_path: Path) -> None:
    settings = settings_at(
        tmp_path,
        per_file_ignores=(
            ("tests/**", ("WB101", "WB3")),
            ("conftest.py", ("WB5", "WB101")),
            ("src/*.py", ("WB9",)),
        ),
    )
    assert ignored_codes_for(tmp_path / "tests" / "unit" / "conftest.py", settings) == (
        "WB101",
        "WB3",
        "WB5",
    )
    assert ignored_codes_for(tmp_path / "conftest.py", settings) == ("WB5", "WB101")
    assert ignored_codes_for(tmp_path / "src" / "a.py", settings) == ("WB9",)
    assert ignored_codes_for(tmp_path / "lib" / "a.py", settings) == ()


def test_per_file_ignores_folder_name_applies_below_it(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, per_file_ignores=(("examples", ("WB1",)),))
    assert ignored_codes_for(tmp_path / "docs" / "examples" / "a.py", settings) == ("WB1",)
    assert ignored_codes_for(tmp_path / "docs" / "example.py", settings) == ()


def test_per_file_ignores_from_a_loaded_file_resolve_against_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(
        tmp_path / "proj" / "lint-wb.toml", '[per-file-ignores]\n"scripts/*.py" = ["WB5"]\n'
    )
    monkeypatch.chdir(tmp_path)
    settings = load_settings(config)
    assert ignored_codes_for(Path("proj/scripts/run.py"), settings) == ("WB5",)
    assert ignored_codes_for(Path("scripts/run.py"), settings) == ()


def test_exclude_globs_are_compiled_once_for_many_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lint_wb.config import globs

    compiled: list[list[str]] = []
    original = globs._compile

    def counting(patterns: list[str]) -> re.Pattern[str] | None:
        compiled.append(patterns)
        return original(patterns)

    monkeypatch.setattr(globs, "_compile", counting)
    settings = settings_at(tmp_path, extend_exclude=("gen_*", "src/legacy/*.py", "/abs/x"))
    paths = [tmp_path / "src" / f"pkg{n % 7}" / f"m{n}.py" for n in range(300)]
    assert not any(is_excluded(path, settings) for path in paths)
    assert len(compiled) <= 3  # names, root-relative paths, absolute paths: once each


@pytest.mark.parametrize(
    "extend", [(), ("test_*.py", "*.pyi"), ("gen/*.py",), ("/abs/x.py",)], ids=repr
)
def test_a_folders_files_are_excluded_as_each_path_is(
    tmp_path: Path, extend: tuple[str, ...]
) -> None:
    """`files_excluded_in` answers for a folder's files by name as `is_excluded` does for
    each path: with name globs alone (the defaults), it reads the name only."""
    from lint_wb.config.globs import files_excluded_in

    settings = Settings(root=tmp_path, extend_exclude=extend)
    names = ["x.py", "test_x.py", "stub.pyi", ".venv", "build", "venv.py", "gen.py", "build.py"]
    for folder in (tmp_path, tmp_path / "gen", tmp_path / "src" / "build", tmp_path.parent):
        excluded = files_excluded_in(str(folder), settings)
        for name in names:
            assert excluded(name) == is_excluded(folder / name, settings), (folder, name)
    assert files_excluded_in(str(tmp_path), settings)(".venv")
