"""The project index is built only where it can tell a file something.

Everything the index tells a file starts at a client or a library call site: a callee the
resolution follows to a name outside the project that is a client class or a callable of
the call-site table (`Resolver._external_call`, `LibraryUses._row`). Such a name is bound
only by an import statement, rooted at the module it names. A project no module of which
may import `openai` or a library of the table (one that names W&B only to trace with Weave,
as many hackathon projects do) gets no index, and no module of it is summarised: its files
get exactly the findings they got when the index was built (SPEC §2: alone, with others,
through stdin).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from lint_wb.api import check_paths
from lint_wb.cli.main import main
from lint_wb.config.per_file import SettingsCache
from lint_wb.project import build, source_scan, store
from lint_wb.results import Mode, Overrides, RunResult
from tests.cli_runner import make_runner
from tests.engine_reads import record_summaries
from tests.test_projects import copy_project, modules

WANDB_URL = "https://api.inference.wandb.ai/v1"


def write(root: Path, texts: dict[str, str]) -> list[Path]:
    for name, text in texts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return sorted(root / name for name in texts)


def found(run: RunResult, root: Path) -> list[tuple[str, str, str, str]]:
    return sorted(
        (_relative(result.path, root), repr(f.location), f.code, f.message)
        for result in run.files
        for f in result.findings
    )


def _relative(path: Path, root: Path) -> str:
    return str(path.resolve().relative_to(root.resolve()))


def lint(root: Path, *paths: Path) -> RunResult:
    return check_paths(list(paths) or [root], Overrides(), Mode(), jobs=1)


def test_a_project_that_names_wandb_only_to_trace_summarises_no_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fixture project carries W&B's key and a wandb.ai link in its tracing module, which
    every other module imports; it imports Groq's SDK and Weave, no client library the index
    follows. Its findings are each file's own; once a module imports `openai`, even one
    nothing imports, the index is built again."""
    root = copy_project("weave_tracing", tmp_path)
    made = record_summaries(monkeypatch)
    run = lint(root)
    assert made == []
    codes = [code for _, _, code, _ in found(run, root)]
    assert sorted(codes) == ["WB202", "WB501", "WB501", "WB603"]
    write(root, {"tools/legacy.py": "from openai import OpenAI\n\nOpenAI\n"})
    again = lint(root)
    assert "app.agents" in made
    assert found(again, root) == found(run, root)


def test_the_files_get_the_findings_they_got_with_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alone, with the others, and through stdin, each file of the project gets what it got
    when the index was built for it (the check forced to say yes)."""
    root = copy_project("weave_tracing", tmp_path)
    files = [root, *modules(root)]

    def outputs() -> list[str]:
        texts = [_json(path) for path in files]
        return texts + [_stdin(path) for path in modules(root)]

    made = record_summaries(monkeypatch)
    skipped = outputs()
    assert made == []
    monkeypatch.setattr(build, "may_import_a_client_library", lambda data, packages, first: True)
    built = outputs()
    assert made  # the index was built this time
    assert skipped == built
    assert any(json.loads(text) for text in skipped)


def _json(path: Path) -> str:
    args = ["--no-cache", "--jobs", "1", "--output-format", "json", str(path)]
    result = make_runner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _stdin(path: Path) -> str:
    args = ["--no-cache", "--output-format", "json", "--stdin-filename", str(path), "-"]
    result = make_runner().invoke(main, args, input=path.read_bytes())
    assert result.exit_code in (0, 1), result.output
    return result.stdout


CLIENT_FROM_SETTINGS = (
    "from app.settings import URL\n"
    "client = OpenAI(base_url=URL)\n"
    "client.chat.completions.create(model='m', messages=[], temperature=3)\n"
)
"""A client whose W&B base URL only the index resolves: its request's WB301 needs the index."""

IMPORT_FORMS = {
    "plain": "from openai import OpenAI\n",
    "after a semicolon": "x = 1; from openai import OpenAI\n",
    "in an if": "if True: import openai as oa\nOpenAI = oa.OpenAI\n",
    "continued": "import os, \\\n    openai\nOpenAI = openai.OpenAI\n",
    "from continued": "from \\\n    openai import OpenAI\n",
    "as and commas": "import openai.types as t, openai as oa\nOpenAI = oa.OpenAI\n",
    "relative past the package": "from ..openai import OpenAI\n",
    "parenthesised": "from openai import (\n    AsyncOpenAI,\n    OpenAI,\n)\n",
    "re-exported": "from app.clients import OpenAI\n",
}


@pytest.mark.parametrize("form", IMPORT_FORMS, ids=list(IMPORT_FORMS))
def test_each_way_of_importing_a_client_is_seen(form: str, tmp_path: Path) -> None:
    """However the client class is imported, the index is built and the request through the
    client it makes is checked as W&B's."""
    files = write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/settings.py": f"URL = {WANDB_URL!r}\n",
            "app/clients.py": "from openai import OpenAI\n" if form == "re-exported" else "",
            "app/llm.py": IMPORT_FORMS[form] + CLIENT_FROM_SETTINGS,
        },
    )
    plan = build.plan_index(files, SettingsCache(Overrides(isolated=True)))
    assert plan is not None and plan.index()
    run = lint(tmp_path)
    assert ("app/llm.py", "WB301") in {(path, code) for path, _, code, _ in found(run, tmp_path)}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("agents/__init__.py", "from . import run\n"),
        ("agents/run.py", "from .models import make\n"),  # a package named as a library
        ("app/x.py", "import json; import litellm\n"),
        ("app/x.py", "from langchain.chat_models import ChatOpenAI\n"),
        ("app/x.py", "# import openai\n"),
        ("x.py", "from.openai import OpenAI\n"),  # relative, out of no package: `openai`
        ("app/x.py", "import a.b as c, \\\r\n    openai\r\n"),
        ("app/x.py", "import os\rimport openai\r"),  # lone carriage returns end lines
        ("app/x.py", "DATA = b'" + "x" * 5_000 + "'  # openai\n"),  # too long to read
        ("app/x.py", "from google.adk.models.lite_llm import LiteLlm\n"),
        ("app/x.py", "from google.adk.models import lite_llm\n"),
        ("app/x.py", "import google.genai\n"),  # binds `google`: `google.adk...` too
        ("app/x.py", "from openai import (  # typed: see f()\n    NOT_GIVEN,\n    OpenAI,\n)\n"),
        ("app/x.py", "from openai import NOT_GIVEN, \\\n    OpenAI as O\n"),
    ],
)
def test_text_that_may_import_a_client_library_counts(name: str, text: str, tmp_path: Path) -> None:
    files = write(tmp_path, {"app/__init__.py": "", "agents/__init__.py": "", name: text})
    project = build._Project(files, {path: path.read_bytes() for path in files})
    assert source_scan.may_import_a_client_library(project.data, project.packages)


@pytest.mark.parametrize(
    "text",
    [
        "from .agents import run_agent\nfrom . import agents\n",
        "import langchain_google_genai\nfrom langchain_core.messages import HumanMessage\n",
        "from agents_sdk import Agent\nimport openai_helpers\n",
        "self.agents = []\nMODEL = 'openai/gpt-4o'  # agents, openai, litellm\n",
        "import weave\nfrom wandb import init\n",
        "# Seat each desk from agents already placed; import agents from the store\n",
        "from x import y as openai\nimport json as openai\nimport a.openai\n",
        "from google import genai\nfrom google.genai import types\n",
        "from openai.types.chat import ChatCompletionMessageParam\nfrom openai import types\n",
        "from openai import *\nfrom langchain.schema import HumanMessage\n",
    ],
)
def test_text_that_only_names_a_client_library_does_not(text: str, tmp_path: Path) -> None:
    files = write(tmp_path, {"backend/__init__.py": "", "backend/chat.py": text})
    project = build._Project(files, {path: path.read_bytes() for path in files})
    assert not source_scan.may_import_a_client_library(project.data, project.packages)


def test_the_names_are_those_the_index_takes_for_a_client() -> None:
    """The check's names are the client classes and library callables the index's resolver
    knows: a row added to the table is seen by both."""
    from lint_wb.project.resolve import ModuleNames
    from lint_wb.project.uses import ProjectUses

    resolver = ProjectUses(ModuleNames([]), lambda module: None, {}).resolver
    names = {*resolver.client_classes, *resolver.library_callables}
    assert source_scan._followed().names == names


# Seeds: the modules the index reads sites from


@functools.cache
def resources() -> frozenset[str]:
    """The endpoint roots besides chat of the bundled spec (what a run's store has)."""
    cache = SettingsCache(Overrides(isolated=True))
    return build._resources([cache.spec_for(cache.for_path(Path.cwd())).api])


def has_sites(path: Path) -> bool:
    """Whether the module's summary holds a client built, a request or a library call."""
    summary = store.summarize_source(path.read_bytes(), path, "m", "", resources()).summary
    return summary is not None and bool(
        summary.client_calls or summary.requests or summary.library_calls
    )


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    "path", sorted(FIXTURES.rglob("*.py")), ids=lambda path: str(path.relative_to(FIXTURES))
)
def test_every_fixture_with_sites_may_hold_them(path: Path) -> None:
    assert source_scan.SiteScan(resources()).may_hold(path.read_bytes()) or not has_sites(path)


TRICKY_SITES = {
    "parenthesised callee": "(OpenAI)(base_url=URL)\n",
    "comment before the call": "agents = [Agent  # the triage agent\n    (name='a')]\n",
    "comment in the chain": "(client.  # the W&B client\n    embeddings.create(input='x'))\n",
    "continued chain": "client. \\\n    embeddings.create(input='x')\n",
    "endpoint after options": "client.with_options(timeout=1).embeddings.create(input='x')\n",
    "library call": "import litellm\nlitellm.completion(model='wandb/m')\n",
    "renamed client class": "from openai import OpenAI as Maker\nMaker(base_url=URL)\n",
    "renamed async client": "from openai import (\n    AsyncOpenAI as Inference)\nInference()\n",
    "renamed library callable": "from crewai import LLM as CrewLLM\nCrewLLM(model='m')\n",
    "assigned library callable": "import litellm\n\nask = litellm.completion\nask(model='m')\n",
    "assigned class": "from langchain_openai import ChatOpenAI\nChat = \\\n  ChatOpenAI\nChat()\n",
}


@pytest.mark.parametrize("text", TRICKY_SITES.values(), ids=list(TRICKY_SITES))
def test_sites_however_spelled_are_seen(text: str, tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(text)
    assert has_sites(path)
    assert source_scan.SiteScan(resources()).may_hold(path.read_bytes())


def test_a_module_without_sites_is_no_seed_and_the_index_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`registry.py` is in reach of the W&B client and mentions `agents` (a library's name,
    a seed signal), but calls no client, endpoint or library callable: it is not summarised
    first, and is summarised only when a value followed leads into it (its `MODEL`)."""
    files = write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/settings.py": f"URL = {WANDB_URL!r}\n",
            "app/registry.py": "from app.settings import URL\n\nAGENTS = {'triage': URL}\n"
            "# agents register here; MODEL is what they ask\nMODEL = 'gpt-4o'\n",
            "app/notes.py": "from app.settings import URL\n\n# agents: see registry\n",
            "app/llm.py": "from openai import OpenAI\nfrom app.registry import MODEL\n"
            + CLIENT_FROM_SETTINGS.replace("model='m'", "model=MODEL"),
        },
    )
    made = record_summaries(monkeypatch)

    def planned() -> tuple[list[str], object]:
        plan = build.plan_index(files, SettingsCache(Overrides(isolated=True)), use_cache=False)
        assert plan is not None
        return plan.seeds, plan.index()

    seeds, index = planned()
    assert seeds == ["app.llm"] and "app.notes" not in made and "app.registry" in made
    made.clear()
    monkeypatch.setattr(source_scan.SiteScan, "may_hold", lambda self, data: True)
    every_seed, same = planned()
    assert every_seed == ["app.llm", "app.notes", "app.registry"] and "app.notes" in made
    assert same == index and index
