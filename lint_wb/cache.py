"""Findings cached by content: a file whose bytes, settings and snapshot did not change since
the last run is not parsed again.

The key is a hash of the file's bytes, its name, the lint-wb version, the options in force
for it, the spec (API facts and model snapshot) and the clients other modules export. The
entry is the findings as JSON, one small file per key under the user's cache folder, written
atomically; a missing, unreadable or stale entry is simply a miss. Only plain linting uses
the cache: `--fix` and `--diff` always run the engine.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from lint_wb import __version__
from lint_wb.config.settings import LintOptions
from lint_wb.findings import Applicability, Edit, Finding, Fix, Location, Severity
from lint_wb.reporters.json_format import finding_object
from lint_wb.spec import Spec, bundled_libraries, cache_dir

FORMAT = 1
"""Bump when the entry layout changes."""


class ResultCache:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else cache_dir() / "results"
        self._spec_keys: dict[int, str] = {}

    def key(
        self, data: bytes, filename: str, options: LintOptions, spec: Spec, project: str
    ) -> str:
        digest = hashlib.sha256()
        for part in (
            f"{FORMAT}:{__version__}",
            filename,
            _options_key(options),
            self._spec_key(spec),
            project,
        ):
            digest.update(part.encode())
            digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _spec_key(self, spec: Spec) -> str:
        if id(spec) not in self._spec_keys:
            # The library table is read by the analysis, not carried in the Spec.
            libraries = dataclasses.asdict(bundled_libraries())
            data = {"spec": dataclasses.asdict(spec), "libraries": libraries}
            text = json.dumps(data, sort_keys=True, default=_sorted)
            self._spec_keys[id(spec)] = hashlib.sha256(text.encode()).hexdigest()
        return self._spec_keys[id(spec)]

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[tuple[Finding, ...], int] | None:
        """The findings and the suppressed count stored under `key`, or None."""
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
            findings = tuple(_finding(row) for row in entry["findings"])
            return findings, int(entry["suppressed"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, findings: tuple[Finding, ...], suppressed: int) -> None:
        """Store an entry; a cache that cannot be written is no error, only a slower next run."""
        rows = [{**finding_object(f), "source_lines": list(f.source_lines)} for f in findings]
        text = json.dumps({"findings": rows, "suppressed": suppressed}, ensure_ascii=False)
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, path)
        except OSError:
            return


def _sorted(value: object) -> object:
    """Sets in a stable order: their own order changes with each process's hash seed."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return repr(value)


def _options_key(options: LintOptions) -> str:
    return json.dumps(
        [
            sorted(options.enabled),
            options.assume_wandb,
            list(options.extra_base_urls),
            list(options.extra_models),
            list(options.extra_parameters),
        ]
    )


def _location(row: Any) -> Location:
    return Location(int(row["row"]), int(row["column"]))


def _finding(row: Any) -> Finding:
    """A finding back from its JSON object (the `--output-format json` shape, plus lines)."""
    fix = row["fix"]
    return Finding(
        code=str(row["code"]),
        name=str(row["name"]),
        severity=Severity(row["severity"]),
        message=str(row["message"]),
        filename=str(row["filename"]),
        location=_location(row["location"]),
        end_location=_location(row["end_location"]),
        fix=None if fix is None else _fix(fix),
        cell=None if row["cell"] is None else int(row["cell"]),
        url=str(row["url"]),
        source_lines=tuple(str(line) for line in row["source_lines"]),
    )


def _fix(row: Any) -> Fix:
    edits = tuple(
        Edit(_location(edit["location"]), _location(edit["end_location"]), str(edit["content"]))
        for edit in row["edits"]
    )
    return Fix(str(row["message"]), Applicability(row["applicability"]), edits)
