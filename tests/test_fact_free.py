"""A kept file's result without the engine (`fact_free.py`): given only when it is the
engine's own result for the file, and never for a file kept for a reason the engine reports."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lint_wb import api
from lint_wb.config.per_file import SettingsCache
from lint_wb.fact_free import fact_free_result
from lint_wb.results import FileResult, Mode, Overrides

TYPES = (
    "from typing_extensions import Literal\n"
    "from ..._models import BaseModel\n\n\n"
    "class FineTuningJobWandbIntegrationObject(BaseModel):\n"
    '    type: Literal["wandb"]\n'
    '    """The type of the integration being enabled: wandb."""\n'
)
"""A type module of the openai SDK that mentions `wandb` and holds nothing to lint."""
ANNOTATED = (
    "from __future__ import annotations\n"
    "from openai import OpenAI\n\n\n"
    "def test_create(client: OpenAI) -> None:\n"
    '    client.fine_tuning.jobs.create(integrations=[{"type": "wandb"}])\n'
)
"""A test that imports the SDK's class only to annotate its fixture."""
QUIET: dict[str, str | bytes] = {
    "types.py": TYPES,
    "annotated.py": ANNOTATED,
    "awaits.py": "# wandb\nimport asyncio\nawait asyncio.sleep(0)\n",
    "comments.py": "# wandb\n# nothing else\n",
    "empty_wandb.py": "WANDB_RUN = None\n",
}
"""Files with nothing to report: each gets its result without the engine."""
KEPT_FOR_A_REASON: dict[str, str | bytes] = {
    "unused_noqa.py": "x = 1  # noqa: WB301  (wandb)\n",
    "broken.py": "# wandb\ndef f(:\n",
    "compiler_only.py": "# wandb\nbreak\n",
    "repeated_keyword.py": "# wandb\nprint(sep='', sep='')\n",
    "client.py": (
        "from openai import OpenAI\n"
        'client = OpenAI(base_url="https://api.inference.wandb.ai/v1")\n'
        "client.chat.completions.create(model='openai/gpt-oss-120b', messages=[], n=0)\n"
    ),
    "dead_client.py": (
        'import openai\nif False:\n    openai.OpenAI(base_url="https://api.wandb.ai/v1")\n'
    ),
    "project_signal.py": (
        "# wandb\nfrom openai import OpenAI\nclient = OpenAI(project='team/proj')\n"
    ),
    "latin.py": b"# wandb \xff\xfe\n",
    "binary.py": b"# wandb\x00\x01\x02\n",
}
"""Files the engine must check: a `noqa` (WB902), a syntax or compiler error (WB901), code
that can start a fact (dead or not), bytes that do not decode."""


def engine_result(path: Path, cache: SettingsCache) -> FileResult:
    return api.check_file(path, cache, Mode())


def quick_result(path: Path, cache: SettingsCache) -> FileResult | None:
    settings = cache.for_path(path)
    return fact_free_result(path, path.read_bytes(), settings, cache.compiled_for(settings))


def write(root: Path, files: dict[str, str | bytes]) -> list[Path]:
    paths = []
    for name, text in files.items():
        path = root / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
        paths.append(path)
    return paths


def test_a_file_with_nothing_to_report_gets_the_engines_result_without_it(
    tmp_path: Path,
) -> None:
    cache = SettingsCache(Overrides(isolated=True))
    for path in write(tmp_path, QUIET):
        quick = quick_result(path, cache)
        assert quick is not None, path.name
        assert quick == engine_result(path, cache)
        assert quick.findings == () and quick.error is None


def test_a_file_kept_for_a_reason_the_engine_reports_goes_to_the_engine(tmp_path: Path) -> None:
    cache = SettingsCache(Overrides(isolated=True))
    for path in write(tmp_path, KEPT_FOR_A_REASON):
        assert quick_result(path, cache) is None, path.name
        engine = engine_result(path, cache)
        assert engine.findings or engine.error, path.name  # each is reported


def test_a_file_level_suppression_goes_to_the_engine(tmp_path: Path) -> None:
    cache = SettingsCache(Overrides(isolated=True))
    (path,) = write(tmp_path, {"file_noqa.py": "# lint-wb: noqa: WB5\nimport wandb\n"})
    assert quick_result(path, cache) is None


def test_a_notebook_goes_to_the_engine(tmp_path: Path) -> None:
    cache = SettingsCache(Overrides(isolated=True))
    (path,) = write(tmp_path, {"book.ipynb": '{"cells": []}'})
    assert quick_result(path, cache) is None


def test_unsafe_fixes_are_the_settings(tmp_path: Path) -> None:
    cache = SettingsCache(Overrides(isolated=True, unsafe_fixes=True))
    (path,) = write(tmp_path, {"types.py": TYPES})
    quick = quick_result(path, cache)
    assert quick is not None and quick.unsafe_fixes
    assert quick == engine_result(path, cache)


def test_checking_a_file_with_nothing_to_report_loads_no_engine(tmp_path: Path) -> None:
    (path,) = write(tmp_path, {"annotated.py": ANNOTATED})
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from lint_wb import api\n"
        "from lint_wb.results import Mode, Overrides\n"
        "cache = api.SettingsCache(Overrides(isolated=True))\n"
        "guesses = api._Guesses(cache, Mode())\n"
        "path = Path(sys.argv[1])\n"
        "assert guesses.check(path, path.read_bytes()) is not None\n"
        "loaded = {'lint_wb.engine', 'lint_wb.module_parse', 'libcst', 'lint_wb.project.build'}\n"
        "print(sorted(loaded & set(sys.modules)))\n"
    )
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("name", sorted(KEPT_FOR_A_REASON))
def test_the_forked_guess_of_a_file_kept_for_a_reason_is_the_engines(
    tmp_path: Path, name: str
) -> None:
    """`_Guesses.check` (the forked screening's check of a kept file, with no index) gives
    the engine's result, the reported finding or error included."""
    cache = SettingsCache(Overrides(isolated=True))
    (path,) = write(tmp_path, {name: KEPT_FOR_A_REASON[name]})
    guessed = api._Guesses(cache, Mode()).check(path, path.read_bytes())
    if guessed is not None:  # (a file that may target W&B is not guessed)
        assert guessed == engine_result(path, cache)


def test_a_text_too_long_for_one_tree_goes_to_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine reads a long text in chunks, its memory bounded; one whole `ast` tree of it
    here would cost about 130 bytes a character."""
    from lint_wb import python_check

    cache = SettingsCache(Overrides(isolated=True))
    (path,) = write(tmp_path, {"types.py": TYPES})
    assert quick_result(path, cache) is not None
    monkeypatch.setattr(python_check, "CHUNKED", len(TYPES) - 1)
    assert quick_result(path, cache) is None
