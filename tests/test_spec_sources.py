"""Every fact in lint_wb/spec/*.toml names a public page as its source: an https URL anyone can
open, never a document that only exists beside the code. Later data files are covered
without a change here."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from importlib import resources
from urllib.parse import urlsplit

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

URL = re.compile(r"https?://[^\s;,)]+")
PRIVATE_MARKERS = ("wandb-reference", ".md", "§")
"""Ways sources used to cite documents that are not public pages."""


def spec_files() -> list[str]:
    folder = resources.files("lint_wb.spec")
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".toml"))
    assert names, "no data files found"
    return names


def sources(value: object, where: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every `source` string, at any depth (also `*_source` keys and lists)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "source" or key.endswith("_source") or key == "sources":
                for text in item if isinstance(item, list) else [item]:
                    yield f"{where}.{key}", text
            else:
                yield from sources(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from sources(item, f"{where}[{index}]")


def source_problem(text: object) -> str | None:
    """Why `text` is not a public source, or None when it is one."""
    if not isinstance(text, str) or not text.startswith("https://"):
        return "does not start with an https:// URL"
    for url in URL.findall(text):
        parts = urlsplit(url)
        if parts.scheme != "https" or "." not in parts.netloc:
            return f"{url!r} is not an https URL of a public host"
    marker = next((marker for marker in PRIVATE_MARKERS if marker in text), None)
    if marker is not None:
        return f"cites a document that is not a public page ({marker!r})"
    return None


@pytest.mark.parametrize("name", spec_files())
def test_every_source_is_a_public_https_page(name: str) -> None:
    text = resources.files("lint_wb.spec").joinpath(name).read_text("utf-8")
    found = list(sources(tomllib.loads(text), name))
    assert found, f"{name} names no source at all"
    bad = [(where, source, source_problem(source)) for where, source in found]
    assert [entry for entry in bad if entry[2] is not None] == []


@pytest.mark.parametrize(
    "text",
    [
        "wandb-reference.md §2: OpenAI platform feature with no W&B counterpart",
        "W&B 422 article (often 0-2)",
        "openai/openai-python src/openai/_client.py",
        "https://docs.wandb.ai/inference/models; wandb-reference.md §4",
        "https://docs.wandb.ai/inference/api-reference and http://example.com/page",
        "",
    ],
)
def test_the_check_rejects_sources_that_are_not_public_pages(text: str) -> None:
    assert source_problem(text) is not None


def test_the_check_accepts_public_pages_with_notes() -> None:
    text = (
        "https://platform.openai.com/docs/api-reference/chat/create (0 to 2); "
        "https://docs.wandb.ai/inference/api-reference (not documented)"
    )
    assert source_problem(text) is None


SNAPSHOTS = {"models.toml"}
"""Dated as a whole: every row of a model snapshot is as of its [catalog] date."""


def undated_rows(value: object, where: str) -> Iterator[str]:
    """Where a table that names a source carries no `checked` date of its own, at any depth."""
    if isinstance(value, dict):
        if "source" in value and "checked" not in value:
            yield where
        for key, item in value.items():
            yield from undated_rows(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from undated_rows(item, f"{where}[{index}]")


@pytest.mark.parametrize("name", [name for name in spec_files() if name not in SNAPSHOTS])
def test_every_sourced_row_has_its_own_checked_date(name: str) -> None:
    text = resources.files("lint_wb.spec").joinpath(name).read_text("utf-8")
    assert list(undated_rows(tomllib.loads(text), name)) == []


def test_a_row_without_a_date_is_found() -> None:
    data = {"row": [{"source": "https://a.example/", "checked": "2026-01-01"}, {"source": "x"}]}
    assert list(undated_rows(data, "f")) == ["f.row[1]"]
