"""The project index's byte scans (`project/build.py`): which import lines are read, and what
each names, give what the plain regex over every byte gave."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_wb.api import check_paths
from lint_wb.config.per_file import SettingsCache
from lint_wb.project import build
from lint_wb.results import Mode, Overrides

OPENAI_CLIENT = (
    "from openai import OpenAI\nclient = OpenAI()\n"
    "client.chat.completions.create(model='m', messages=[])\n"
)

TRICKY_TEXTS = [
    b"",
    b"import",
    b"import os",
    b"import os\n",
    b"  import os\nfrom . import (a,\n b)\n",
    b"x = 'import'\nimport a.b as c, d\r\nfrom .x import y  # import z\n",
    b"#import os\nimportx\n\tfrom  ..a.b  import  c\nimport",
    b"from a import\nimport b\n\nimport c",
    b"def f():\n    from .llm import client\n    import app.settings as s\n",
    b"s = '''\nimport hidden\n'''\nfrom\timport x\nfrom . import *\n",
    b"import a;import b\nif x: import c\nimportlib.import_module('d')\n",
    b"\n\n\nimport a\n\n\n",
]


def matched(data: bytes) -> list[tuple[bytes | None, ...]]:
    """What IMPORT_STATEMENT finds in the lines `import_lines` gives, each read alone."""
    lines = build.import_lines(data)
    return [match.groups() for line in lines for match in build.IMPORT_STATEMENT.finditer(line)]


@pytest.mark.parametrize("data", TRICKY_TEXTS)
def test_import_lines_are_the_lines_the_regex_finds_anywhere(data: bytes) -> None:
    assert matched(data) == [m.groups() for m in build.IMPORT_STATEMENT.finditer(data)]


def test_import_lines_of_this_projects_own_modules_are_the_regexs() -> None:
    for path in sorted(Path(build.__file__).parents[1].rglob("*.py")):
        data = path.read_bytes()
        expected = [m.groups() for m in build.IMPORT_STATEMENT.finditer(data)]
        assert matched(data) == expected, path


OPEN_IMPORTS = [
    b"from a import (b,\n c)\n",
    b"x = 1\nfrom a import\t (b)",
    b"import(",
    b"# import (\n",
    b"from a import \\\n(b, c)\n",  # the join makes `import (`: not in the bytes
    b"from a import \\\n  b, \\\n  c  # (\n",
]


@pytest.mark.parametrize("data", TRICKY_TEXTS + OPEN_IMPORTS)
def test_an_import_may_continue_where_the_regex_finds_a_parenthesis_in_the_bytes(
    data: bytes,
) -> None:
    expected = build.OPEN_IMPORT.search(data) is not None
    assert build._may_continue(data, build.import_lines(data)) == expected


def test_an_import_may_continue_in_this_projects_own_modules_where_the_regex_says() -> None:
    for path in sorted(Path(build.__file__).parents[1].rglob("*.py")):
        data = path.read_bytes()
        expected = build.OPEN_IMPORT.search(data) is not None
        assert build._may_continue(data, build.import_lines(data)) == expected, path


def write(root: Path, files: dict[str, str]) -> list[Path]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return sorted(root / name for name in files)


def test_one_relative_line_names_each_packages_own_module(tmp_path: Path) -> None:
    """The same line read in two packages: each names its own sibling (the lines read are
    looked up once, but a relative one once per package)."""
    files = write(
        tmp_path,
        {
            "a/__init__.py": "",
            "a/llm.py": "client = 1\n",
            "a/use.py": "from .llm import client\n",
            "b/__init__.py": "",
            "b/llm.py": "client = 2\n",
            "b/use.py": "from .llm import client\n",
        },
    )
    project = build._Project(files, build.read_sources(files, None))
    assert project.imports("a.use") == {"a.llm"}
    assert project.imports("b.use") == {"b.llm"}


def test_a_module_under_a_folder_without_init_is_named_from_the_projects_root(
    tmp_path: Path,
) -> None:
    """A namespace package's module keeps its name (`llm`, a script's neighbour) and is
    imported by its dotted name from the root the index is built from as well; a package
    inside such a folder by the folder's name before its own."""
    files = write(
        tmp_path,
        {
            "tools/llm.py": "client = 1\n",
            "tools/use.py": "from tools.llm import client\n",
            "tools/script.py": "from llm import client\n",
            "src/pkg/__init__.py": "",
            "src/pkg/helper.py": "from tools.llm import client\n",
            "main.py": "from src.pkg import helper\nimport tools.use\n",
            "my-tools/odd.py": "",
        },
    )
    project = build._Project(files, build.read_sources(files, None), scopes=[tmp_path])
    assert project.imports("use") == project.imports("script") == {"llm"}
    assert project.imports("pkg.helper") == {"llm"}
    assert project.imports("main") == {"pkg", "pkg.helper", "use"}
    assert "my-tools.odd" not in project.names.rooted


def test_an_absolute_line_names_the_same_module_everywhere(tmp_path: Path) -> None:
    files = write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/llm.py": "client = 1\n",
            "app/one.py": "from app.llm import client\nimport os, app.llm\n",
            "two.py": "from app.llm import client\nfrom typing import Any\n",
        },
    )
    project = build._Project(files, build.read_sources(files, None))
    assert project.imports("app.one") == {"app.llm"}
    assert project.imports("two") == {"app.llm"}
    assert project.importers == {"app.llm": {"app.one", "two"}}


IMPORT_FORMS = [
    "from pkg.llm import client\n",
    "import os; from pkg.llm import client\n",
    "\ufefffrom pkg.llm import client\n",
    "\x0cfrom pkg.llm import client\n",
    "from\\\n    pkg.llm import client\n",
    "from pkg\\\n    .llm import client\n",
    "from \\\r\n pkg.llm import client\r\n",
    "from pkg . llm import client\n",
    "try: from pkg.llm import client\nexcept ImportError: client = None\n",
    "if True: from pkg.llm import client\n",
    "from pkg import \\\n    llm\nclient = llm.client\n",
    "import os, \\\n    pkg.llm\nclient = pkg.llm.client\n",
    "import os\nif True: import pkg.llm as llm\n",
]
"""Ways to write one import that Python reads: each names `pkg.llm` to the import graph."""


@pytest.mark.parametrize("code", IMPORT_FORMS)
def test_every_way_to_write_an_import_names_its_module(tmp_path: Path, code: str) -> None:
    files = write(tmp_path, {"pkg/__init__.py": "", "pkg/llm.py": "client = 1\n"})
    (tmp_path / "app.py").write_bytes(code.encode())
    compile(code.lstrip("\ufeff"), "app.py", "exec")  # Python reads it
    files.append(tmp_path / "app.py")
    project = build._Project(files, build.read_sources(files, None))
    assert "pkg.llm" in project.imports("app")


def test_a_long_continued_statement_is_read_once() -> None:
    """Lines a backslash joins are one statement, read once however many of them hold
    `import` (found by review: each such line re-joined the whole block above it, so a
    6,000-line continued string took minutes and hundreds of megabytes)."""
    block = b"x = 'import a' \\\n" * 500 + b"'import b'\nimport pkg.llm\n"
    lines = build.import_lines(block)
    assert len(lines) == 2
    assert lines[1] == b"import pkg.llm"
    assert sum(map(len, lines)) < len(block)


WANDB_CLIENT = (
    "import os\n\nfrom openai import OpenAI\n\n"
    "client = OpenAI(base_url='https://api.inference.wandb.ai/v1', "
    "api_key=os.environ['WANDB_API_KEY'])\n"
)


@pytest.mark.parametrize("code", IMPORT_FORMS[1:-1])
def test_a_request_on_a_client_imported_in_any_form_is_checked(tmp_path: Path, code: str) -> None:
    """The client's module is reached from the importing one (found by review: after `;`,
    a byte-order mark, a form feed or a one-line `try:` the request went unchecked)."""
    request = "client.chat.completions.create(model='gpt-4o', messages=[])\n"

    def findings(import_code: str) -> list[tuple[int, str]]:
        write(tmp_path, {"pkg/__init__.py": "", "pkg/llm.py": WANDB_CLIENT})
        (tmp_path / "pyproject.toml").write_text("[tool.lint-wb]\n")
        (tmp_path / "app.py").write_bytes((import_code + "\n" + request).encode())
        run = check_paths([tmp_path / "app.py"], Overrides(), Mode(), jobs=1)
        return [(f.location.row, f.code) for result in run.files for f in result.findings]

    plain = findings(IMPORT_FORMS[0])
    assert "WB501" in {code for _, code in plain}
    lines_added = code.count("\n") - 1
    assert [(line - lines_added, rule) for line, rule in findings(code)] == plain


def plan(files: list[Path], overrides: Overrides | None = None) -> build.IndexPlan | None:
    return build.plan_index(files, SettingsCache(overrides or Overrides(isolated=True)))


def test_a_project_no_module_of_which_can_target_wandb_names_no_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Most projects: no W&B host, key or setting anywhere. The plan is None, found from the
    bytes before any module is named (naming each file was most of the plan's cost)."""
    files = write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/config.py": "URL = 'https://api.openai.com/v1'\n",
            "app/llm.py": "from app.config import URL\n" + OPENAI_CLIENT,
            "b.py": "x = 1\n",
        },
    )
    named: list[Path] = []
    naming = build._ModuleNaming.of
    monkeypatch.setattr(
        build._ModuleNaming, "of", lambda self, p: named.append(p) or naming(self, p)
    )
    assert plan(files) is None
    assert named == []
    write(tmp_path, {"app/config.py": "URL = 'https://api.inference.wandb.ai/v1'\n"})
    found = plan(files)
    assert found is not None and found.seeds == ["app.llm"]
    assert len(named) == len(files)


def test_the_roots_are_looked_for_in_the_files_that_can_be_roots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screening's signal-free files are no roots: only the others are scanned first,
    and the whole project only once a root is found (a tree of OpenAI code: 1,792 files, 7
    with `wandb` in a name, no root). The plan is the one made without the hint."""
    sources = {f"pkg/m{n}.py": "from openai import OpenAI\n" for n in range(40)}
    sources["pkg/types.py"] = "class WandbIntegration:\n    project: str\n"
    sources["pkg/__init__.py"] = ""
    files = write(tmp_path, sources)
    read = {path: path.read_bytes() for path in files}
    signal_free = {path for path in files if b"wandb" not in read[path].lower()}
    scanned: list[Path] = []
    scan = build.scanned_bytes
    monkeypatch.setattr(build, "scanned_bytes", lambda p, d: scanned.append(p) or scan(p, d))
    cache = SettingsCache(Overrides(isolated=True))
    assert build.plan_index(files, cache, read=read, signal_free=signal_free) is None
    assert scanned == [tmp_path / "pkg" / "types.py"]
    write(tmp_path, {"pkg/types.py": "URL = 'https://api.inference.wandb.ai/v1'\n"})
    read[tmp_path / "pkg" / "types.py"] = (tmp_path / "pkg" / "types.py").read_bytes()
    hinted = build.plan_index(files, cache, read=read, signal_free=signal_free)
    plain = build.plan_index(files, SettingsCache(Overrides(isolated=True)))
    assert hinted is not None and plain is not None
    assert (hinted.seeds, hinted.project.modules) == (plain.seeds, plain.project.modules)
    assert len(scanned) > len(files)


def test_settings_alone_can_make_a_module_target_wandb(tmp_path: Path) -> None:
    """No W&B signal in any file's bytes: assume-wandb, or a configured W&B-equivalent URL
    a module holds, still makes the index."""
    files = write(tmp_path, {"app/__init__.py": "", "app/llm.py": OPENAI_CLIENT})
    assert plan(files) is None
    found = plan(files, Overrides(isolated=True, assume_wandb=True))
    assert found is not None and found.seeds == ["app.llm"]
    proxy = "https://llm.example.com/v1"
    files += write(tmp_path, {"app/proxy.py": f"URL = {proxy!r}\n" + OPENAI_CLIENT})
    extra = Overrides(isolated=True, inline=(("extra_base_urls", (proxy,)),))
    found = plan(files, extra)
    assert found is not None and found.seeds == ["app.proxy"]


def test_the_files_the_prefilter_skipped_are_not_scanned_again_for_a_wandb_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run's screening tells the index which files carry no W&B signal: the index looks
    for W&B hosts only in the others (lowering each file's bytes again cost a pass over the
    whole tree). The findings are those of the W&B file, as always."""
    files = write(
        tmp_path,
        {
            "plain.py": "x = 1\n",
            "other.py": OPENAI_CLIENT,
            "wb.py": "from openai import OpenAI\n"
            "client = OpenAI(base_url='https://api.inference.wandb.ai/v1')\n"
            "client.chat.completions.create(model='m', messages=[], temperature=3)\n",
        },
    )
    scanned: list[bytes] = []
    carries = build._carries_wandb_signal
    monkeypatch.setattr(
        build, "_carries_wandb_signal", lambda data: scanned.append(data) or carries(data)
    )
    run = check_paths([tmp_path], Overrides(isolated=True), Mode(), jobs=1)
    assert scanned == [files[2].read_bytes()]
    assert {f.code for result in run.files for f in result.findings} >= {"WB301"}


def test_a_notebook_is_scanned_for_a_host_its_json_escapes(tmp_path: Path) -> None:
    """A notebook's code is read out of its JSON: a host written with an escape is not in
    its bytes, so the prefilter's verdict on them does not count for it."""
    cell = "URL = 'https://api.inference.\\u0077andb.ai/v1'\\n"
    notebook = tmp_path / "n.ipynb"
    notebook.write_text(
        '{"cells": [{"cell_type": "code", "metadata": {}, "source": ["' + cell + '"]}],'
        ' "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    cache = SettingsCache(Overrides(isolated=True))
    scanned = {notebook: build.scanned_bytes(notebook, notebook.read_bytes())}
    assert b"wandb" not in notebook.read_bytes().lower()
    assert build._root_paths(scanned, cache, {notebook}) == {notebook}


ROOTLESS = {
    "pkg/__init__.py": "",
    "pkg/types.py": "class WandbIntegration:\n    project: str\n",
    "pkg/client.py": OPENAI_CLIENT,
    "pkg/.py": "# wandb\n",
    "pkg/stub.pyi": "# wandb\n",
}
"""A tree of OpenAI code whose one module mentioning `wandb` names a type: no root."""
ROOTS = {
    "host": {"pkg/llm.py": "URL = 'https://api.inference.wandb.ai/v1'\n"},
    "key": {"pkg/llm.py": "import os\nKEY = os.environ['WANDB_API_KEY']\n"},
    "prefix": {"pkg/llm.py": "# wandb\nMODEL = 'wandb/meta-llama'\n"},
    "notebook": {"pkg/n.ipynb": '{"cells": [], "metadata": {}, "nbformat": 4}'},
}
"""What makes a file a root of the index (or may: a notebook's code is read out of JSON)."""


def rootless_screening(files: list[Path]) -> tuple[dict[Path, bytes], set[Path]]:
    """What a run's screening leaves: the bytes it read, and the files it found no signal in."""
    read = {path: path.read_bytes() for path in files}
    return read, {path for path in files if b"wandb" not in read[path].lower()}


def test_no_root_among_the_files_is_what_the_plan_finds(tmp_path: Path) -> None:
    """`no_root_among` says True only where `plan_index` (given the same screening) plans
    nothing: the run then skips the plan without loading the index's machinery."""
    from lint_wb.project.signals import no_root_among

    files = write(tmp_path, ROOTLESS)
    read, signal_free = rootless_screening(files)
    cache = SettingsCache(Overrides(isolated=True))
    assert no_root_among(files, cache, read, signal_free)
    assert build.plan_index(files, cache, read=read, signal_free=signal_free) is None
    for name, extra in ROOTS.items():
        more = files + write(tmp_path / name, extra)
        read, signal_free = rootless_screening(more)
        assert not no_root_among(more, cache, read, signal_free), name
    # a module whose configuration is broken is a root by its bytes alone (its folder is a
    # project of its own, the folder of its configuration file: it imports the client)
    llm = "import openai\n\nURL = 'https://api.wandb.ai/v1'\n"
    broken = files + write(
        tmp_path / "broken", {"pyproject.toml": "[tool.lint-wb\n", "llm.py": llm}
    )
    read, signal_free = rootless_screening(broken)
    configured = SettingsCache(Overrides())
    assert not no_root_among(broken, configured, read, signal_free)
    assert build.plan_index(broken, configured, read=read, signal_free=signal_free) is not None
    # a module the run did not read is left to the plan, as is any module under assume-wandb
    read, signal_free = rootless_screening(files)
    unread = {path: data for path, data in read.items() if path.name != "types.py"}
    assert not no_root_among(files, cache, unread, signal_free)
    porting = SettingsCache(Overrides(isolated=True, assume_wandb=True))
    signal_free = {path for path in signal_free if b"openai" not in read[path]}  # its prefilter
    assert not no_root_among(files, porting, read, signal_free)
    assert build.plan_index(files, porting, read=read, signal_free=signal_free) is not None


def test_a_run_with_no_root_loads_no_index_machinery(tmp_path: Path) -> None:
    import subprocess
    import sys

    write(tmp_path, ROOTLESS)
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from lint_wb.api import check_paths\n"
        "from lint_wb.results import Mode, Overrides\n"
        "run = check_paths([Path(sys.argv[1])], Overrides(isolated=True), Mode(), jobs=1)\n"
        "assert not run.findings and not run.internal_error\n"
        "print('lint_wb.project.build' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_under_assume_wandb_a_module_naming_a_client_library_is_a_root(tmp_path: Path) -> None:
    """Under assume-wandb a module is a root of the index when it names a client library the
    prefilter keeps a file for, not only the OpenAI SDK: a CrewAI call whose model stands in
    another module has it read there (WB108, with its fix), as SPEC §9's prefilter reads it."""
    write(
        tmp_path,
        {
            "crew.py": "from crewai import LLM\n\nfrom models import MODEL\n\n"
            "llm = LLM(model=MODEL)\n",
            "models.py": "MODEL = 'meta_llama/Llama-3.3-70B-Instruct'\n",
        },
    )
    run = check_paths(
        [tmp_path], Overrides(isolated=True, assume_wandb=True, unsafe_fixes=True), Mode(), jobs=1
    )
    found = [f for result in run.files for f in result.findings if f.code == "WB108"]
    assert [Path(f.filename).name for f in found] == ["models.py"]
    assert found[0].fix is not None
    assert "wandb/meta-llama/Llama-3.3-70B-Instruct" in found[0].message


def test_a_client_library_word_in_prose_or_another_import_makes_no_root(tmp_path: Path) -> None:
    """Under assume-wandb only an import of a client library makes a root (no index plan for
    a tree that says `together` in its docstrings or imports a function of that name)."""
    from lint_wb.project.signals import no_root_among

    files = write(
        tmp_path,
        {
            "algebra.py": '"""Gather terms together."""\nfrom sympy import together\n',
            "client.py": "import os, together as t\n",
        },
    )
    read = {path: path.read_bytes() for path in files}
    porting = SettingsCache(Overrides(isolated=True, assume_wandb=True))
    assert no_root_among(files[:1], porting, read, set())
    assert not no_root_among(files, porting, read, set())


@pytest.mark.parametrize(
    "code",
    [
        "import os; import together\n",
        "\ufeffimport together\n",
        "\x0cfrom together import Together\n",
        "try: import together\nexcept ImportError: together = None\n",
    ],
)
def test_an_import_of_a_client_library_in_any_form_makes_a_root(tmp_path: Path, code: str) -> None:
    from lint_wb.project.signals import no_root_among

    files = write(tmp_path, {"client.py": code})
    read = {path: path.read_bytes() for path in files}
    porting = SettingsCache(Overrides(isolated=True, assume_wandb=True))
    assert not no_root_among(files, porting, read, set())


SIGNAL_SAMPLES = [
    b"",
    b"sandbox",
    b"wandb",
    b"import wandb\nwandb.init()\n",
    b"url = 'https://api.inference.wandb.ai/v1'\n",
    b"WANDB.ai",
    b"WandB.com and more",
    b"wandb.AI",
    b"wandb.iox",
    b"wandb.io.x",
    b"xwandb.io",
    b"model = 'wandb/Qwen'",
    b'model = "wandb/Qwen"',
    b"model = `wandb/Qwen`",
    b"wandb/Qwen",
    b"'WANDB/Qwen'",
    b"''wandb/",
    b"wandbwandb.ai",
    b"wanDB.com\n" + b"x" * 5000 + b"wandb",
    b"wandb " * 50 + b"'wandb/x'",
    b"W\xc3\xa4ndb.ai wandb\xc3\xa4.ai",
]


@pytest.mark.parametrize("data", SIGNAL_SAMPLES)
def test_the_wandb_signal_is_found_where_its_regex_finds_it(data: bytes) -> None:
    """`carries_wandb_signal` tries the regex only where `wandb` stands (or a byte before it,
    for the quoted LiteLLM prefix): the same answer as a search of the whole bytes."""
    from lint_wb.project.signals import WANDB_SIGNAL, carries_wandb_signal

    assert carries_wandb_signal(data) == (WANDB_SIGNAL.search(data) is not None)


def test_a_file_is_known_by_the_path_it_was_given_as_and_by_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run asks the plan of the paths it gave it (relative to the folder it runs in):
    each file's module and job come from that path, and a file spelled otherwise (its
    absolute path) names the same module."""
    code = (
        "from openai import OpenAI\nclient = OpenAI(base_url='https://api.inference.wandb.ai/v1')\n"
        "client.chat.completions.create(model='m', messages=[])\n"
    )
    write(tmp_path, {"app/__init__.py": "", "app/llm.py": code, "tool.py": code})
    monkeypatch.chdir(tmp_path)
    files = [Path("app/__init__.py"), Path("app/llm.py"), Path("tool.py")]
    plan = build.plan_index(files, SettingsCache(Overrides(isolated=True)), use_cache=False)
    assert plan is not None
    assert [plan.module_of(path) for path in files] == ["app", "app.llm", "tool"]
    spelled = [tmp_path / path for path in files]
    assert [plan.module_of(path) for path in spelled] == ["app", "app.llm", "tool"]
    assert plan.module_of(Path("app/other.py")) is None
    given = [(job.module, job.path) for job in plan.summary_jobs(files)]
    assert given == [("app.llm", Path("app/llm.py")), ("tool", Path("tool.py"))]
    absolute = [(job.module, job.path) for job in plan.summary_jobs(spelled)]
    assert absolute == [("app.llm", tmp_path / "app/llm.py"), ("tool", tmp_path / "tool.py")]


def test_a_module_given_by_its_import_statements_is_read_only_when_its_text_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Modules given by their import statements alone (`unread`: files a forked screening
    skipped) make the import graph the bytes make, are known to be there without a read,
    and are read once, when a scan asks for their text."""
    files = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/llm.py": "client = 1\n",
            "pkg/use.py": "from .llm import client\nfrom pkg import (\n  llm,\n)\n",
            "tool.py": "import pkg.use as u\nfrom vendor.llm import x\nask = 1\n",
            "notes.ipynb": '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
        },
    )
    read = build.read_sources(files, None)
    whole = build._Project(files, read)
    given = {path.name: path for path in files}
    unread = {
        given[name]: build.import_statements(read[given[name]]) for name in ("use.py", "tool.py")
    }
    reads: list[str] = []
    read_raw = build.read_raw
    monkeypatch.setattr(build, "read_raw", lambda path: reads.append(path.name) or read_raw(path))
    sources = build.read_sources(files, {given["llm.py"]: read[given["llm.py"]]}, unread=unread)
    assert reads == ["notes.ipynb", "__init__.py"]  # the files neither read nor given
    part = build._Project(files, sources, unread=unread)
    assert part.modules == whole.modules
    assert part.importers == whole.importers
    assert all(module in part.data for module in whole.data)
    assert reads == ["notes.ipynb", "__init__.py"]
    assert part.mentions("ask") == whole.mentions("ask") == ["tool"]
    assert reads == ["notes.ipynb", "__init__.py", "use.py", "tool.py"]
    assert part.sources["tool"] == whole.sources["tool"]
    assert dict(part.data) == dict(whole.data)
    assert reads == ["notes.ipynb", "__init__.py", "use.py", "tool.py"]  # each read once
    assert part.may_be_imported("pkg.llm") == whole.may_be_imported("pkg.llm")


def test_the_callers_of_a_function_are_looked_for_in_the_modules_that_may_call_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Among many modules given by their import statements alone (a forked screening
    skipped them), only those whose imports may name the function's module are read to
    find its callers (`_Project.callers`): an importer, a relative one, one whose import
    the index cannot resolve (`vendor.llm` may be `pkg.llm`); the callers are those the
    scan of every module finds."""
    filler = {f"pad/filler_{n}.py": "ask = None\nask()\n" for n in range(40)}
    files = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/llm.py": "def ask():\n    return 1\n",
            "pkg/use.py": "from .llm import ask\nask()\n",
            "tool.py": "from vendor.llm import ask\nask()\n",
            "far.py": "import os\nask()\n",
            **filler,
        },
    )
    read = build.read_sources(files, None)
    whole = build._Project(files, read)
    kept = next(path for path in files if path.name == "llm.py")
    unread = {path: build.import_statements(read[path]) for path in files if path != kept}
    sources = build.read_sources(files, {kept: read[kept]}, unread=unread)
    reads: list[str] = []
    read_raw = build.read_raw
    monkeypatch.setattr(build, "read_raw", lambda path: reads.append(path.name) or read_raw(path))
    part = build._Project(files, sources, unread=unread)
    assert part.callers("ask", "pkg.llm") == ["pkg.llm", "pkg.use", "tool"]
    assert sorted(reads) == ["__init__.py", "tool.py", "use.py"]  # (pkg: a package above)
    assert whole.callers("ask", "pkg.llm") == ["pkg.llm", "pkg.use", "tool"]
    assert part.callers("ask", None) == whole.callers("ask", None)


def test_each_modules_imports_are_read_once_a_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan asks each module what it imports (the import graph), and again of the
    seeds (whether each may be looked at first alone): its statements are scanned, and
    read, once."""
    request = "import os\nfrom openai import OpenAI\n" + OPENAI_CLIENT.split("\n", 1)[1]
    host = "# https://api.inference.wandb.ai/v1\n"
    files = write(tmp_path, {f"lone{n}.py": host + request for n in range(4)})
    scanned: list[bytes] = []
    asked: list[str] = []
    statements, read_imports = build.import_statements, build._Project._read_imports

    def scanning(data: bytes) -> list[bytes]:
        scanned.append(data)
        return statements(data)

    def reading(project: build._Project, module: str) -> set[str]:
        asked.append(module)
        return read_imports(project, module)

    monkeypatch.setattr(build, "import_statements", scanning)
    monkeypatch.setattr(build._Project, "_read_imports", reading)
    plan = build.plan_index(files, SettingsCache(Overrides(isolated=True)), use_cache=False)
    assert plan is not None and len(plan.seeds) == 4
    assert len(scanned) == 4
    assert sorted(asked) == [f"lone{n}" for n in range(4)]
