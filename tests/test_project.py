"""Clients built in one module and used in another (names imported from the project)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from lint_wb.project.index import module_name_for
from lint_wb.project.resolve import ModuleNames
from lint_wb.spec import compiled
from lint_wb.spec.compiled import CompiledSpec
from tests.cli_runner import make_runner

CLIENT = (
    "import os\nfrom openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["K"])\n'
)
REQUEST = (
    'client.chat.completions.create(model="openai/gpt-oss-120b", top_k=5,\n'
    '    messages=[{"role": "user", "content": "hi"}])\n'
)


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def codes(root: Path) -> list[tuple[str, str]]:
    result = make_runner().invoke(main, ["--isolated", "--output-format", "json", str(root)])
    rows = json.loads(result.stdout)
    return sorted((Path(row["filename"]).name, row["code"]) for row in rows)


@pytest.mark.parametrize(
    "importer",
    [
        "from app.core.llm import client\n",
        "from ..core.llm import client\n",
        "from app.core import llm\nclient = llm.client\n",
        "from ..core import llm as shared\nclient = shared.client\n",
    ],
)
def test_a_client_imported_from_another_module_is_checked(tmp_path: Path, importer: str) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/llm.py": CLIENT,
            "app/web/__init__.py": "",
            "app/web/views.py": importer + REQUEST,
        },
    )
    assert codes(tmp_path) == [("views.py", "WB202")]


def test_a_non_wandb_client_stays_unchecked_when_imported(tmp_path: Path) -> None:
    together = CLIENT.replace("https://api.inference.wandb.ai/v1", "https://api.together.xyz/v1")
    write_tree(tmp_path, {"llm.py": together, "views.py": "from llm import client\n" + REQUEST})
    assert codes(tmp_path) == []


def test_module_names_follow_init_files(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app/__init__.py": "", "app/sub/__init__.py": "", "app/sub/m.py": ""})
    assert module_name_for(tmp_path / "app/sub/m.py") == ("app.sub.m", "app.sub")
    assert module_name_for(tmp_path / "app/sub/__init__.py") == ("app.sub", "app.sub")
    assert module_name_for(tmp_path / "script.py") == ("script", "")


def test_module_names_match_a_unique_suffix_only() -> None:
    names = ModuleNames(["src.app.llm", "app2.other"])
    assert names.find("app.llm") == "src.app.llm"
    assert names.find("src.app.llm") == "src.app.llm"
    assert names.find("other.llm") is None
    ambiguous = ModuleNames(["src.app.llm", "tools.app.llm"])
    assert ambiguous.find("app.llm") is None
    assert ambiguous.find("tools.app.llm") == "tools.app.llm"


def test_a_module_under_a_namespace_folder_is_found_by_its_name_from_the_root() -> None:
    """`resume/client.py` (no `resume/__init__.py`) is named `client`, as a script beside it
    imports it, and is found by `resume.client` too; of `src/resume/client.py` by the
    suffix `resume.client` of that name as well."""
    names = ModuleNames(["client", "tools.client"], lambda: {"resume.client": "client"})
    assert names.find("client") == "client"
    assert names.find("resume.client") == "client"
    assert names.find("other.client") is None
    deep = ModuleNames(["client"], lambda: {"src.resume.client": "client"})
    assert deep.find("src.resume.client") == deep.find("resume.client") == "client"
    assert ModuleNames(["json"], lambda: {"email.json": "json"}).find("email.json") is None


def test_a_rooted_name_adds_no_suffix_as_short_as_the_modules_own_name() -> None:
    """Two scripts `a/llm.py` and `b/llm.py` (keyed apart) and a package's `pkg.llm`: `llm`
    is still the package's module by suffix, as before; `a.llm` is the script."""
    a, b = "llm[/p/a/llm.py]", "llm[/p/b/llm.py]"
    names = ModuleNames([a, b, "pkg.llm"], lambda: {"a.llm": a, "b.llm": b})
    assert names.find("llm") == "pkg.llm"
    assert names.find("a.llm") == a
    nested = ModuleNames(["pkg.llm"], lambda: {"src.pkg.llm": "pkg.llm"})
    assert nested.find("llm") == nested.find("src.pkg.llm") == "pkg.llm"


def test_a_stdlib_or_openai_import_never_names_a_project_module() -> None:
    names = ModuleNames(["app.openai", "app.os"])
    assert names.find("openai") is None
    assert names.find("os") is None


def _notebook_of(*cells: str) -> str:
    document = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": cell.splitlines(keepends=True),
            }
            for cell in cells
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1) + "\n"


def test_a_notebook_sees_a_client_imported_from_the_project_like_a_module(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "llm.py": CLIENT,
            "use.py": "from llm import client\n" + REQUEST,
            "use.ipynb": _notebook_of("from llm import client\n", REQUEST),
        },
    )
    assert codes(tmp_path) == [("use.ipynb", "WB202"), ("use.py", "WB202")]


def test_a_notebook_alone_imports_the_client_module(tmp_path: Path) -> None:
    """Only the notebook imports `llm`: the index must still read `llm.py`."""
    write_tree(
        tmp_path,
        {"llm.py": CLIENT, "use.ipynb": _notebook_of("from llm import client\n", REQUEST)},
    )
    assert codes(tmp_path) == [("use.ipynb", "WB202")]


FACTORY = (
    "import os\nfrom openai import OpenAI\n"
    'def make_client(base_url="https://api.inference.wandb.ai/v1"):\n'
    '    return OpenAI(base_url=base_url, api_key=os.environ["K"])\n'
)
FACTORY_REQUEST = (
    "from factory import make_client\n"
    'make_client().chat.completions.create(model="openai/gpt-oss-120b", top_k=5,\n'
    '    messages=[{"role": "user", "content": "hi"}])\n'
)


def test_a_factory_whose_calls_are_all_in_sight_makes_a_wandb_client(tmp_path: Path) -> None:
    write_tree(tmp_path, {"factory.py": FACTORY, "app.py": FACTORY_REQUEST})
    assert codes(tmp_path) == [("app.py", "WB202")]


def test_a_factory_named_in_too_many_modules_is_not_followed(tmp_path: Path) -> None:
    """Its calls are not looked for (the index stays cheap): its base URL is unknown."""
    others = {f"use_{n}.py": "from factory import make_client\nmake_client()\n" for n in range(41)}
    write_tree(tmp_path, {"factory.py": FACTORY, "app.py": FACTORY_REQUEST, **others})
    assert codes(tmp_path) == []


def test_a_call_of_the_same_name_the_project_cannot_resolve_may_be_the_factory(
    tmp_path: Path,
) -> None:
    """`vendor.factory` is not a module the project can name: its `make_client` may be the
    project's own factory, called with another provider's URL."""
    other = 'from vendor.factory import make_client\nmake_client("https://openrouter.ai/api/v1")\n'
    write_tree(tmp_path, {"factory.py": FACTORY, "app.py": FACTORY_REQUEST, "other.py": other})
    assert codes(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("other.py", "from vendor.factory import make_client\n"),
        ("tools/other.py", "from . import factory\nmake_client = factory.make_client\n"),
    ],
)
def test_among_many_modules_an_unresolved_import_may_still_name_the_factory(
    tmp_path: Path, name: str, other: str
) -> None:
    """As above, in a project of many modules, where only the modules whose imports may
    name the factory's module are scanned for its calls (`_Project.callers`): an import
    the index cannot resolve is one of them, also a relative one read against its folder
    (`tools.factory`, no module of the project)."""
    filler = {f"pad/filler_{n}.py": f"VALUE = {n}\n" for n in range(40)}
    call = 'make_client("https://openrouter.ai/api/v1")\n'
    files = {"factory.py": FACTORY, "app.py": FACTORY_REQUEST, name: other + call}
    write_tree(tmp_path, {**files, **filler})
    assert codes(tmp_path) == []


def test_the_wandb_key_variable_is_the_one_the_spec_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client without a base URL whose key is read from the variable the spec's porting
    facts name is a W&B client, in its own module (the analysis) and in the module that
    imports it (the project index, whose byte scan takes the variable for a W&B signal);
    the name comes from the spec the run was given, not from a second reading of the data
    files."""
    client = (
        "import os\nfrom openai import OpenAI\n\n"
        "client = OpenAI(api_key=os.environ['LAB_WANDB_TOKEN'])\n"
    )
    write_tree(
        tmp_path, {"llm.py": client + REQUEST, "views.py": "from llm import client\n" + REQUEST}
    )

    def run() -> list[tuple[str, str]]:
        arguments = ["--isolated", "--no-cache", "--output-format", "json", str(tmp_path)]
        result = make_runner().invoke(main, arguments)
        rows = json.loads(result.stdout)
        return sorted((Path(row["filename"]).name, row["code"]) for row in rows)

    assert run() == []
    compile_spec = compiled._compile

    def lab_spec(models_file: Path | None) -> CompiledSpec:
        made = compile_spec(models_file)
        spec = made.spec()
        porting = replace(spec.api.porting, wandb_key_variable="LAB_WANDB_TOKEN")
        lab = replace(spec, api=replace(spec.api, porting=porting))
        screening = made.screening._replace(wandb_key_variable="LAB_WANDB_TOKEN")
        return CompiledSpec(made.key, screening, lab)

    monkeypatch.setattr(compiled, "_compile", lab_spec)
    assert run() == [("llm.py", "WB102"), ("llm.py", "WB202"), ("views.py", "WB202")]
