"""Calls through a `functools.partial` of a W&B client's chat method written in another
module (fixtures/projects/partial_keywords): each is a request in the calling module, but the
method it calls is named in the partial, so no fix renames it at the call."""

from __future__ import annotations

import json
from pathlib import Path

from lint_wb.cli.main import main
from tests.cli_runner import make_runner
from tests.test_projects import copy_project


def test_a_call_through_another_modules_partial_is_not_renamed_to_parse(tmp_path: Path) -> None:
    root = copy_project("partial_keywords", tmp_path)
    args = ["--no-cache", "--unsafe-fixes", "--output-format", "json", str(root / "app.py")]
    result = make_runner().invoke(main, args)
    assert result.exit_code == 1, result.output
    found = [row for row in json.loads(result.stdout) if row["code"] == "WB204"]
    assert len(found) == 1
    assert found[0]["fix"] is None
