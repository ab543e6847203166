"""One index per project (SPEC §2, "Subset invariance": the project is found from the
configuration file or the version-control root, whichever is nearer).

A run given a checkout that holds several projects (each with its own configuration file, or
its own repository) builds each project's index as a run given that project alone does: a
`from models import MODEL` in one project names that project's `models.py`, not one of
several in the checkout. So linting the checkout whole gives, for each project's files,
exactly what linting that project alone gives.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from lint_wb.project.root import ProjectRoots, project_root
from tests.cli_runner import make_runner
from tests.test_projects import PROJECT_NAMES, copy_project

Row = tuple[str, int, int, str, str, str]


def findings(root: Path, *args: str) -> dict[str, set[Row]]:
    """Each project's findings (by its folder under `root`), with their messages and fixes."""
    result = make_runner().invoke(main, ["--no-cache", "--output-format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    found: dict[str, set[Row]] = {}
    for row in json.loads(result.stdout):
        project, _, name = str(Path(row["filename"]).resolve().relative_to(root)).partition("/")
        where = row["location"]
        fix = json.dumps(row["fix"], sort_keys=True)
        found.setdefault(project, set()).add(
            (name, where["row"], where["column"], row["code"], row["message"], fix)
        )
    return found


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, set[Row]]]:
    """Every project of fixtures/projects in one checkout with a configuration of its own,
    and the findings of a run given the checkout whole."""
    root = tmp_path_factory.mktemp("checkout").resolve()
    (root / "lint-wb.toml").write_text("")
    for name in PROJECT_NAMES:
        copy_project(name, root)
    return root, findings(root, str(root))


@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_a_project_in_a_checkout_is_linted_as_alone(
    name: str, checkout: tuple[Path, dict[str, set[Row]]]
) -> None:
    root, whole = checkout
    alone = findings(root, str(root / name)).get(name, set())
    assert whole.get(name, set()) == alone


SETTINGS = 'MODEL = "{model}"\n'
SCRIPT = """\
from openai import OpenAI

from models import MODEL

client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="k")
client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}])
"""


def test_repositories_side_by_side_each_have_their_index(tmp_path: Path) -> None:
    """Outside any project, each repository under the named folder is its own project: each
    `from models import MODEL` is followed to its own repository's models.py."""
    root = tmp_path.resolve()
    for name, model in (("one", "deepseek-ai/DeepSeek-R1-0528"), ("two", "zai-org/GLM-4.5")):
        (root / name / ".git").mkdir(parents=True)
        (root / name / "models.py").write_text(SETTINGS.format(model=model))
        (root / name / "main.py").write_text(SCRIPT)
    whole = findings(root, str(root))
    assert {(name, row[0], row[3]) for name, rows in whole.items() for row in rows} == {
        ("one", "models.py", "WB502"),
        ("two", "models.py", "WB502"),
    }
    for name in ("one", "two"):
        assert findings(root, str(root / name)) == {name: whole[name]}


def test_an_import_is_not_followed_across_a_nested_projects_edge(tmp_path: Path) -> None:
    """`app/` has its own configuration: its `from models import MODEL` names no module of
    its project (the enclosing project's models.py is outside it), so the value is unknown,
    as the README says; without that file, the import is followed."""
    root = tmp_path.resolve()
    (root / "lint-wb.toml").write_text("")
    (root / "models.py").write_text(SETTINGS.format(model="deepseek-ai/DeepSeek-R1-0528"))
    (root / "app").mkdir()
    (root / "app" / "main.py").write_text(SCRIPT)
    (root / "app" / "lint-wb.toml").write_text("")
    assert findings(root, str(root)) == {}
    (root / "app" / "lint-wb.toml").unlink()
    assert {row[3] for row in findings(root, str(root))["models.py"]} == {"WB502"}


@pytest.mark.parametrize("option", ["--isolated", "--config"])
def test_configuration_files_a_run_does_not_read_mark_no_project(
    tmp_path: Path, option: str
) -> None:
    """`--isolated` reads no configuration file and `--config FILE` reads that one only: a
    nested folder's own file does not make it a project, so the import is followed."""
    root = tmp_path.resolve()
    (root / ".git").mkdir()
    (root / "lint-wb.toml").write_text("")
    (root / "models.py").write_text(SETTINGS.format(model="deepseek-ai/DeepSeek-R1-0528"))
    (root / "app").mkdir()
    (root / "app" / "main.py").write_text(SCRIPT)
    (root / "app" / "lint-wb.toml").write_text("")
    assert findings(root, str(root / "models.py")) == {}  # app/ is a project of its own
    args = [option] if option == "--isolated" else [option, str(root / "lint-wb.toml")]
    for named in (root, root / "models.py"):
        found = findings(root, *args, str(named))
        assert {row[3] for row in found["models.py"]} == {"WB502"}, named


def test_the_folder_of_the_configuration_file_given_marks_the_project(tmp_path: Path) -> None:
    """`--config FILE` with no version control above: FILE's folder is the project, so a run
    given one file of it builds the index over the whole folder, as a run given the folder."""
    root = tmp_path.resolve()
    project = root / "proj"
    project.mkdir()
    (project / "lint-wb.toml").write_text("")
    (project / "models.py").write_text(SETTINGS.format(model="deepseek-ai/DeepSeek-R1-0528"))
    (project / "main.py").write_text(SCRIPT)
    config = str(project / "lint-wb.toml")
    for named in (project, project / "models.py"):
        found = findings(root, "--config", config, str(named))
        assert {row[3] for row in found["proj"]} == {"WB502"}, named


def test_project_roots_are_the_nearer_of_configuration_and_repository(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    (root / ".git").mkdir()
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "lint-wb.toml").write_text("")
    (root / "c").mkdir()
    roots = ProjectRoots()
    assert roots.of(str(root / "a" / "b" / "x.py")) == str(root / "a")
    assert roots.of(str(root / "a" / "x.py")) == str(root / "a")
    assert roots.of(str(root / "c" / "x.py")) == str(root)
    assert project_root(root / "a" / "b") == root / "a"
    assert project_root(root / "c" / "x.py") == root


def test_a_kept_index_is_not_used_once_a_folder_becomes_a_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A configuration file added in a folder (even one that changes no setting) makes it a
    project of its own: the index kept for the checkout as one project is not that one."""
    from lint_wb.files import known

    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(known, "RACY_NS", 0)  # the walk is kept too
    root = (tmp_path / "checkout").resolve()
    (root / "lint-wb.toml").parent.mkdir()
    (root / "lint-wb.toml").write_text("")
    for name, model in (("one", "deepseek-ai/DeepSeek-R1-0528"), ("two", "zai-org/GLM-4.5")):
        (root / name).mkdir()
        (root / name / "models.py").write_text(SETTINGS.format(model=model))
    (root / "one" / "jobs").mkdir()
    (root / "one" / "jobs" / "main.py").write_text(SCRIPT)  # no `models.py` beside it

    def retired() -> set[tuple[str, str]]:
        args = ["--output-format", "json", str(root)]
        result = make_runner().invoke(main, args)
        assert result.exit_code in (0, 1), result.output
        rows = json.loads(result.stdout)
        return {(Path(row["filename"]).parent.name, row["code"]) for row in rows}

    assert retired() == set()  # `models` names two modules of one project: neither is followed
    # (`one/jobs/main.py` is the script: one beside it would be its `models`)
    (root / "one" / "lint-wb.toml").write_text("")
    assert retired() == {("one", "WB502")}
    assert retired() == {("one", "WB502")}  # from the index kept


def test_a_file_of_a_project_without_index_is_linted_as_that_project_alone(
    tmp_path: Path,
) -> None:
    """The index of several projects tells a file of one whose own index is empty what a
    run given that project alone tells it: nothing, as a file of no project (no package
    context), whatever the other projects' indexes hold; a project nested in another is
    told by its own."""
    from lint_wb.project.index import ProjectIndex, index_key, merged
    from lint_wb.project.told import ModuleIndex

    told = ModuleIndex(node_count=1)
    outer, nested, apart = tmp_path / "outer", tmp_path / "outer" / "nested", tmp_path / "x.py"
    indexes = {
        str(outer): ProjectIndex({index_key(outer / "a.py"): told}),
        str(nested): ProjectIndex(),
        None: ProjectIndex(),
    }
    index = merged(indexes)
    assert index
    assert index.holds(outer / "a.py") and index.part(outer / "a.py").part_of_one
    assert index.holds(outer / "b.py")  # told nothing, in a project with an index
    for path in (nested / "a.py", apart):
        assert not index.holds(path) and not index.part(path)
    indexes[str(nested)], indexes[str(outer)] = indexes[str(outer)], ProjectIndex()
    assert not merged(indexes).holds(outer / "b.py")
    assert merged(indexes).holds(nested / "b.py")


def test_a_warm_run_on_a_few_files_looks_for_no_marker_in_the_walked_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pre-commit hook's warm run takes which folders of the project hold a configuration
    file or a repository from the walk it kept: it looks again only in the named files'
    folders and those above them (where their project's root is found), not in the rest
    of the project."""
    from lint_wb.files import known

    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(known, "RACY_NS", 0)  # what the test writes is old enough to keep
    root = (tmp_path / "checkout").resolve()
    for name in ("one", "two", "three"):
        (root / name / "deep").mkdir(parents=True)
        settings = SETTINGS.format(model="zai-org/GLM-4.5")
        (root / name / "deep" / f"{name}_models.py").write_text(settings)
        (root / name / "main.py").write_text(SCRIPT.replace("models", f"{name}_models"))
    (root / "lint-wb.toml").write_text("")
    (root / "two" / ".git").mkdir()
    named = [root / name / "deep" / f"{name}_models.py" for name in ("one", "two")]
    hook = ["--output-format", "json", *map(str, named)]
    first = make_runner().invoke(main, hook)
    assert first.exit_code == 1, first.output
    looked: list[str] = []
    looked_at = ProjectRoots._looked_at

    def recording(self: ProjectRoots, folder: str) -> bool:
        looked.append(folder)
        return looked_at(self, folder)

    monkeypatch.setattr(ProjectRoots, "_looked_at", recording)
    again = make_runner().invoke(main, hook)
    assert again.stdout == first.stdout
    assert looked  # the named files' folders, and those above them
    assert not [folder for folder in looked if folder.startswith(str(root / "three"))]
