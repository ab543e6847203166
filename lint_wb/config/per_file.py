"""The settings, rule options and model spec in force for each file of a run."""

from __future__ import annotations

from pathlib import Path

from lint_wb.config.globs import ignored_codes_for
from lint_wb.config.load import resolve_settings
from lint_wb.config.settings import LintOptions, Settings
from lint_wb.results import Overrides
from lint_wb.rules import check_selector, select_codes
from lint_wb.spec import Spec, default_models_file, load_spec


class SettingsCache:
    """The nearest configuration for each folder, read once per run."""

    def __init__(self, overrides: Overrides) -> None:
        self.overrides = overrides
        self._by_folder: dict[Path, Settings] = {}

    def for_path(self, path: Path) -> Settings:
        folder = path.parent if path.suffix else path
        if folder not in self._by_folder:
            settings = resolve_settings(
                folder,
                config=self.overrides.config,
                isolated=self.overrides.isolated,
                check_selector=check_selector,
            )
            self._by_folder[folder] = self.overrides.apply(settings)
        return self._by_folder[folder]


def lint_options(path: Path, settings: Settings) -> LintOptions:
    ignore = settings.ignore + ignored_codes_for(path, settings)
    return LintOptions(
        enabled=select_codes(settings.select, settings.extend_select, ignore),
        assume_wandb=settings.assume_wandb,
        extra_base_urls=settings.extra_base_urls,
        extra_models=settings.extra_models,
        extra_parameters=settings.extra_parameters,
    )


def spec_for(settings: Settings) -> Spec:
    """The spec for files under `settings`: the snapshot `models-file` names when set, else
    the newer of the bundled one and the one `lint-wb --update-models` cached."""
    models_file = settings.models_file
    return load_spec(models_file if models_file is not None else default_models_file())
