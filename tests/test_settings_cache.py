"""The settings of a run's many folders (`config/per_file.SettingsCache`): the same settings
`resolve_settings` gives each folder, with each folder looked at once and each configuration
file loaded once, whichever folders it is in force for."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from lint_wb.api import check_paths
from lint_wb.config import load
from lint_wb.config.load import ConfigError, ConfigFinder, find_config_file, resolve_settings
from lint_wb.config.per_file import SettingsCache
from lint_wb.results import Mode, Overrides
from lint_wb.rules import check_selector


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Folders under configurations of every kind: a lint-wb.toml at the top, a pyproject
    with the table below it, one without the table (which does not apply), a .lint-wb.toml
    that extends the top one, and folders with none of their own."""
    root = tmp_path / "project"
    write(root / "lint-wb.toml", 'ignore = ["WB301"]\nextend-exclude = ["generated"]\n')
    write(root / "app" / "pyproject.toml", '[tool.lint-wb]\nselect = ["WB1"]\n')
    write(root / "lib" / "pyproject.toml", '[project]\nname = "lib"\n')
    write(root / "tools" / ".lint-wb.toml", 'extend = "../lint-wb.toml"\nassume-wandb = true\n')
    for folder in ("app/a/b", "app/c", "lib/x/y", "tools/t", "docs/d/e"):
        write(root / folder / "m.py", "")
    return root


def folders(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_dir())


def test_each_folder_gets_the_settings_resolve_settings_gives(tree: Path) -> None:
    overrides = Overrides(extend_select=("WB5",))
    cache = SettingsCache(overrides)
    for folder in [tree, *folders(tree)]:
        expected = overrides.apply(resolve_settings(folder, check_selector=check_selector))
        assert cache.for_path(folder) == expected, folder
        assert cache.for_path(folder / "m.py") == expected, folder
        assert find_config_file(folder) == expected.config_file


def test_a_finder_answers_as_a_fresh_search_in_any_order(tree: Path) -> None:
    """The answers kept for the folders a search climbed through are those a search from
    each of them finds, deepest folder first or shallowest first."""
    for order in (folders(tree), folders(tree)[::-1]):
        finder = ConfigFinder()
        for folder in order:
            assert finder.find(folder) == find_config_file(folder), folder


def test_each_folder_is_looked_at_once_and_each_file_loaded_once(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked: Counter[str] = Counter()
    loaded: Counter[Path] = Counter()
    own, load_settings = load._own_config_file, load.load_settings

    def counting_own(folder: str) -> Path | None:
        looked[folder] += 1
        return own(folder)

    def counting_load(path: Path, **kwargs: object) -> object:
        loaded[path] += 1
        return load_settings(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load, "_own_config_file", counting_own)
    monkeypatch.setattr("lint_wb.config.per_file.load_settings", counting_load)
    cache = SettingsCache(Overrides())
    for folder in folders(tree):
        cache.for_path(folder / "m.py")
    assert looked and max(looked.values()) == 1
    assert str(tree) in looked  # the search stops at the configuration it finds:
    assert str(tree.parent) not in looked
    assert sorted(loaded) == sorted(
        [tree / "lint-wb.toml", tree / "app" / "pyproject.toml", tree / "tools" / ".lint-wb.toml"]
    )
    assert set(loaded.values()) == {1}


def test_a_run_finds_each_folders_settings_once(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discovery and the checks share the run's settings: no folder's are found twice, no
    configuration file is loaded twice."""
    resolved: Counter[str] = Counter()
    loaded: Counter[Path] = Counter()
    resolve, load_settings = SettingsCache._resolve, load.load_settings

    def counting_resolve(self: SettingsCache, folder: str) -> object:
        resolved[folder] += 1
        return resolve(self, folder)

    def counting_load(path: Path, **kwargs: object) -> object:
        loaded[path] += 1
        return load_settings(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SettingsCache, "_resolve", counting_resolve)
    monkeypatch.setattr("lint_wb.config.per_file.load_settings", counting_load)
    write(tree / "app" / "c" / "w.py", "import wandb\n")  # a file the run reads and screens
    run = check_paths([tree], Overrides(), Mode(), jobs=1)
    assert len(run.files) == 6
    assert str(tree / "app" / "c") in resolved
    assert set(resolved.values()) == {1}
    assert loaded and set(loaded.values()) == {1}


def test_a_broken_configuration_is_an_error_for_every_folder_it_rules(tree: Path) -> None:
    write(tree / "app" / "pyproject.toml", "[tool.lint-wb]\nselect = [\n")
    cache = SettingsCache(Overrides())
    for folder in (tree / "app" / "a", tree / "app" / "c", tree / "app" / "a" / "b"):
        with pytest.raises(ConfigError, match="invalid TOML"):
            cache.for_path(folder / "m.py")
    assert cache.for_path(tree / "lib" / "m.py").config_file == tree / "lint-wb.toml"


@pytest.mark.parametrize(
    "name",
    [
        "a.py",
        "src/pkg/mod.py",
        "/abs/x/y.pyi",
        "/top.py",
        "//double.py",
        "dir//lead//x.py",
        "folder",
        "folder/",
        "a/b.c/",
        "a/.hidden",
        "a/..py",
        "a/.x.py",
        "a/x.",
        "a/x.tar.gz",
        ".",
        "..",
        "../up.py",
        "./here.py",
        "/",
        "///x.py",
        "a/b/",
    ],
)
def test_the_folder_whose_settings_a_path_takes_is_its_parent_when_it_has_a_suffix(
    name: str,
) -> None:
    """`_folder_of` on the string (asked once for each file screened) gives the folder
    `os.path` gives: `path.parent if path.suffix else path`."""
    from lint_wb.config.per_file import _folder_of

    base = os.path.basename(name)
    dot = base.rfind(".")
    expected = name if not 0 < dot < len(base) - 1 else (os.path.dirname(name) or ".")
    assert _folder_of(name) == expected


def test_a_run_screens_files_under_each_settings_with_its_own_prefilter(tmp_path: Path) -> None:
    """The prefilter is made once per settings object (`SettingsCache.screen_of`): files
    under a configuration that adds a W&B-equivalent base URL are kept for it, files beside
    them under other settings are not; the same settings give the same prefilter."""
    write(tmp_path / "lint-wb.toml", "")
    write(tmp_path / "inner" / "lint-wb.toml", 'extra-base-urls = ["https://llm.example.com/v1"]\n')
    write(tmp_path / "inner" / "a.py", 'URL = "https://llm.example.com/v1"\n')
    write(tmp_path / "b.py", 'URL = "https://llm.example.com/v1"\n')
    cache = SettingsCache(Overrides())
    inner, outer = cache.for_path(tmp_path / "inner" / "a.py"), cache.for_path(tmp_path / "b.py")
    (inner_filter, inner_keeps), (outer_filter, outer_keeps) = map(cache.screen_of, (inner, outer))
    data = b'URL = "https://llm.example.com/v1"\n'
    assert inner_keeps(data) and not outer_keeps(data)
    assert inner_filter.keeps(data) and not outer_filter.keeps(data)
    assert cache.screen_of(inner)[0] is inner_filter
