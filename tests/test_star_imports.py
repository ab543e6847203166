"""Names bound by `from module import *` of a project module (SPEC §2, "imports"): a star
import binds the names of the module's literal `__all__`, or else its names that do not start
with `_` (its own and those its own star imports bind); the last star import that binds a
name wins, unless the module binds the name again after it. `__all__` may be added to by
statements of the module's top level (`+=`, `extend`, `append` of string literals). Anything
less certain (a star import in a `try` arm, an `__all__` built at run time) is unknown, and
unknown is silent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from tests.cli_runner import make_runner
from tests.test_project import write_tree

RETIRED = "deepseek-ai/DeepSeek-R1-0528"
SERVED = "openai/gpt-oss-120b"
CLIENT = (
    "from openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="key")\n'
)
REQUEST = (
    'client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}])\n'
)


def findings(root: Path, *paths: str) -> list[tuple[str, int, str]]:
    named = [str(root / path) for path in paths] or [str(root)]
    result = make_runner().invoke(main, ["--no-cache", "--output-format", "json", *named])
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    return sorted((Path(r["filename"]).name, r["location"]["row"], r["code"]) for r in rows)


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    write_tree(tmp_path, {"lint-wb.toml": "", **files})
    return tmp_path


def test_a_model_bound_by_a_star_import_is_checked_where_it_is_written(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "settings.py": f'MODEL = "{RETIRED}"\n',
            "llm.py": "from settings import *\n" + CLIENT + REQUEST,
        },
    )
    assert findings(root) == [("settings.py", 1, "WB502")]
    assert findings(root, "settings.py") == [("settings.py", 1, "WB502")]


def test_a_name_a_star_import_re_exports_is_followed_by_a_plain_import(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "settings.py": f'MODEL = "{RETIRED}"\n',
            "llm.py": "from settings import *\n" + CLIENT,
            "app.py": "from llm import MODEL, client\n" + REQUEST,
        },
    )
    assert findings(root) == [("settings.py", 1, "WB502")]


def test_a_client_bound_by_a_star_import_has_its_requests_checked(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "llm.py": CLIENT,
            "app.py": "from llm import *\n" + REQUEST.replace("MODEL", f'"{RETIRED}"'),
        },
    )
    assert findings(root) == [("app.py", 2, "WB502")]
    assert findings(root, "app.py") == [("app.py", 2, "WB502")]


def test_all_decides_what_a_star_import_binds(tmp_path: Path) -> None:
    """`extra` binds MODEL but leaves it out of `__all__`: MODEL is the one of `base`."""
    root = project(
        tmp_path,
        {
            "base.py": f'MODEL = "{RETIRED}"\n',
            "extra.py": f'__all__ = ["OTHER"]\nOTHER = 1\nMODEL = "{SERVED}"\n',
            "llm.py": "from base import *\nfrom extra import *\n" + CLIENT + REQUEST,
        },
    )
    assert findings(root) == [("base.py", 1, "WB502")]


def test_a_name_starting_with_an_underscore_is_not_bound_by_a_star_import(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path,
        {
            "base.py": f'_MODEL = "{RETIRED}"\n',
            "llm.py": "from base import *\n" + CLIENT + REQUEST.replace("MODEL", "_MODEL"),
        },
    )
    assert findings(root) == []


def test_a_name_the_module_binds_after_the_star_import_is_its_own(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "settings.py": f'MODEL = "{SERVED}"\n',
            "config.py": f'from settings import *\nMODEL = "{RETIRED}"\n',
            "llm.py": "from config import MODEL\n" + CLIENT + REQUEST,
        },
    )
    assert findings(root) == [("config.py", 2, "WB502")]


def test_the_last_star_import_that_binds_a_name_wins(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "base.py": f'MODEL = "{SERVED}"\n',
            "local.py": f'MODEL = "{RETIRED}"\n',
            "llm.py": "from base import *\nfrom local import *\n" + CLIENT + REQUEST,
        },
    )
    assert findings(root) == [("local.py", 1, "WB502")]


def test_a_star_import_inside_a_try_makes_the_name_unknown(tmp_path: Path) -> None:
    """`local` may be missing: MODEL is `base`'s or `local`'s, which is not known here."""
    root = project(
        tmp_path,
        {
            "base.py": f'MODEL = "{SERVED}"\n',
            "local.py": f'MODEL = "{RETIRED}"\n',
            "llm.py": "from base import *\ntry:\n    from local import *\nexcept ImportError:\n"
            "    pass\n" + CLIENT + REQUEST,
        },
    )
    assert findings(root) == []


@pytest.mark.parametrize(
    "added",
    [
        '__all__ += ["MODEL"]\n',
        "__all__ += ('MODEL',)\n",
        '__all__.extend(["MODEL"])\n',
        '__all__.append("MODEL")\n',
        'OTHER = 1; __all__.append("MODEL")\n',
        '__all__ = __all__ + ["MODEL"]\n',
        '__all__ = ["MODEL"] + __all__\n',
    ],
)
def test_an_all_added_to_at_the_top_level_is_followed(tmp_path: Path, added: str) -> None:
    """`extra`'s `__all__` lists MODEL once the module has run: its MODEL wins."""
    root = project(
        tmp_path,
        {
            "base.py": f'MODEL = "{SERVED}"\n',
            "extra.py": f'__all__ = ["OTHER"]\n{added}OTHER = 1\nMODEL = "{RETIRED}"\n',
            "llm.py": "from base import *\nfrom extra import *\n" + CLIENT + REQUEST,
        },
    )
    assert findings(root) == [("extra.py", 4, "WB502")]


@pytest.mark.parametrize(
    "added",
    [
        'if OTHER:\n    __all__.append("MODEL")\n',
        'def publish():\n    __all__.append("MODEL")\n',
        "__all__ += NAMES\n",
        '__all__ += ["MODEL", *NAMES]\n',
        '__all__.extend(["MODEL"], *NAMES)\n',
        '__all__.insert(0, "MODEL")\n',
        "__all__ = __all__ + NAMES\n",
        '__all__ = __all__ + ["MODEL", *NAMES]\n',
        '__all__ = __all__ + __all__ + ["MODEL"]\n',
        "names = __all__\n",
        '__all__ -= ["MODEL"]\n',
    ],
)
def test_an_all_changed_otherwise_makes_the_names_unknown(tmp_path: Path, added: str) -> None:
    """`extra`'s `__all__` may list MODEL by the time it is imported, or not."""
    root = project(
        tmp_path,
        {
            "base.py": f'MODEL = "{RETIRED}"\n',
            "extra.py": f'NAMES = ["MODEL"]\n__all__ = ["OTHER"]\n{added}'
            f'OTHER = 1\nMODEL = "{SERVED}"\n',
            "llm.py": "from base import *\nfrom extra import *\n" + CLIENT + REQUEST,
        },
    )
    assert findings(root) == []


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (f'MODEL = "{SERVED}"\n', []),  # the star import binds MODEL again
        (f'__all__ = ["OTHER"]\nOTHER = 1\nMODEL = "{SERVED}"\n', [("llm.py", 1, "WB502")]),
    ],
)
def test_a_value_bound_before_a_star_import_is_the_star_import_s_when_it_binds_it(
    tmp_path: Path, settings: str, expected: list[tuple[str, int, str]]
) -> None:
    """The module's own analysis no longer takes MODEL for its first value (a false WB502 on
    a model the star import replaces); the project's knows which names the import binds."""
    root = project(
        tmp_path,
        {
            "settings.py": settings,
            "llm.py": f'MODEL = "{RETIRED}"\nfrom settings import *\n' + CLIENT + REQUEST,
        },
    )
    assert findings(root) == expected
    assert findings(root, "llm.py") == expected


def test_star_imports_in_a_cycle_end(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "a.py": "from b import *\n" + CLIENT + REQUEST,
            "b.py": f'from a import *\nMODEL = "{RETIRED}"\n',
        },
    )
    assert findings(root) == [("b.py", 2, "WB502")]
    assert findings(root, "a.py") == []


def test_a_package_that_imports_its_own_submodule_binds_it(tmp_path: Path) -> None:
    """`from . import llm` (or `from pkg import llm`) in `pkg/__init__.py` binds the submodule:
    reached by a star import of the package, by name, or as the package's attribute."""
    send = 'client.chat.completions.create(model="no-such-model", messages=[])\n'
    uses = {
        "from pkg import *\n": "llm.",
        "from pkg import llm\n": "llm.",
        "import pkg\n": "pkg.llm.",
    }
    for number, init in enumerate(("from . import llm\n", "from pkg import llm\n")):
        for use, (imports, prefix) in enumerate(uses.items()):
            root = project(
                tmp_path / f"{number}-{use}",
                {"pkg/__init__.py": init, "pkg/llm.py": CLIENT, "app.py": imports + prefix + send},
            )
            assert findings(root) == [("app.py", 2, "WB408"), ("app.py", 2, "WB501")], imports
