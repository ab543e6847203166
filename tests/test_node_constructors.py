"""libcst's node classes given cheaper constructors (`node_constructors.py`) build the same
trees: every field, default and factory as the constructors dataclasses made."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from lint_wb import api, module_parse, node_constructors

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

PROBE = """
import json, sys
from pathlib import Path
import libcst
from lint_wb import node_constructors
from lint_wb.module_parse import unvalidated

texts = [Path(p).read_text(encoding="utf-8") for p in sys.argv[1:]]
def parse(text):
    try:
        return libcst.parse_module(text)
    except libcst.ParserSyntaxError:
        return None
def parse_all():
    with unvalidated(libcst.CSTNode):
        return [parse(text) for text in texts]
before = parse_all()
count = node_constructors.install(libcst.CSTNode)
after = parse_all()
print(json.dumps({
    "installed": count,
    "different": [
        sys.argv[1 + n] for n, (a, b) in enumerate(zip(before, after))
        if (a is None) != (b is None)
        or (a is not None and (not a.deep_equals(b) or a.code != b.code or repr(a) != repr(b)))
    ],
    "parsed": sum(a is not None for a in before),
}))
"""


def libcst_node_classes() -> set[type]:
    """The node classes libcst defines (the dataclasses a parse builds)."""
    found: set[type] = set()
    for name in dir(cst):
        kind = getattr(cst, name)
        is_node = isinstance(kind, type) and issubclass(kind, cst.CSTNode)
        if is_node and kind is not cst.CSTNode and "__init__" in vars(kind):
            found.add(kind)
    return found


def test_trees_built_with_the_new_constructors_equal_libcsts() -> None:
    """In a fresh process: the fixtures parsed with libcst's constructors, then with the new
    ones, give equal trees (every field, the code, the repr)."""
    paths = sorted(str(p) for p in FIXTURES.rglob("*.py") if not p.name.endswith(".fixed.py"))
    assert len(paths) > 50
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *paths], capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout)
    assert found["different"] == []
    assert found["parsed"] > 50
    assert found["installed"] >= len(libcst_node_classes())


def test_every_node_class_libcst_exports_gets_one() -> None:
    node_constructors.install(cst.CSTNode)
    assert libcst_node_classes() <= set(node_constructors.installed())


def test_nodes_built_outside_a_parse_are_still_validated() -> None:
    node_constructors.install(cst.CSTNode)
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")


def test_default_factories_give_each_node_its_own_value() -> None:
    node_constructors.install(cst.CSTNode)
    made = [
        field.name
        for field in dataclasses.fields(cst.Call)
        if field.default_factory is not dataclasses.MISSING
    ]
    assert "whitespace_after_func" in made
    first, second = cst.Call(cst.Name("f")), cst.Call(cst.Name("g"))
    assert first.whitespace_after_func.deep_equals(cst.SimpleWhitespace(""))
    assert first.whitespace_after_func is not second.whitespace_after_func


def test_a_subclass_of_a_node_class_goes_through_libcsts_constructor() -> None:
    node_constructors.install(cst.CSTNode)

    class Shouting(cst.Name):
        __slots__ = ()

    made = Shouting("loud", lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    assert (type(made), made.value, len(made.lpar)) == (Shouting, "loud", 1)
    assert cst.Module([]).code_for_node(made) == "(loud)"


def test_a_process_installs_them_only_after_enough_parses() -> None:
    probe = (
        "import libcst\n"
        "from lint_wb import module_parse, node_constructors\n"
        "counts = []\n"
        "for _ in range(module_parse.CHEAPER_CONSTRUCTORS_AFTER):\n"
        "    counts.append(len(node_constructors.installed()))\n"
        "    module_parse.parse_text('x = f(1)\\n')\n"
        "counts.append(len(node_constructors.installed()))\n"
        "print(counts[0], counts[-2], counts[-1] > 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "0", "True"]
    # about twice the parses that pay for them (module_parse): a pre-commit run never does
    assert module_parse.CHEAPER_CONSTRUCTORS_AFTER >= 50


EXPECTING = """
import sys
import libcst
from lint_wb import module_parse, node_constructors
from lint_wb.cli.main import main

module_parse.CHEAPER_CONSTRUCTORS_AFTER = 3
module_parse.expect_parses(2)
print(len(node_constructors.installed()))
made_at = []
install = node_constructors.install
def noting(base):
    made_at.append(module_parse._parses[0])
    return install(base)
node_constructors.install = noting
try:
    arguments = [sys.argv[1], "--jobs", "1", "--no-cache", "--exit-zero", "-q"]
    main.main(arguments, standalone_mode=False)
except SystemExit:
    pass
print(made_at[:1], len(node_constructors.installed()) > 0)
"""


def test_a_run_that_will_parse_enough_modules_installs_them_before_the_first(
    tmp_path: Path,
) -> None:
    """A run without the summary cache parses every module it lints: when they are at least
    CHEAPER_CONSTRUCTORS_AFTER, the constructors are made before the first parse."""
    call = "from openai import OpenAI\nOpenAI(base_url='https://api.inference.wandb.ai/v1')\n"
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.py").write_text(call, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", EXPECTING, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split("\n")[:2] == ["0", "[0] True"]


def test_a_parse_with_the_new_constructors_never_calls_the_validating_hook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Inside a parse the hook would do nothing (`module_parse.unvalidated`): the new
    constructors do not call it at all there (a Python call per node), and call it for a
    node built after the parse."""
    node_constructors.install(cst.CSTNode)
    called: list[str] = []

    def counting(node: cst.CSTNode) -> None:
        called.append(type(node).__name__)
        if module_parse.VALIDATING[0]:
            node._validate()

    setattr(counting, module_parse.SWITCHED, module_parse.VALIDATING)  # taken as switched
    monkeypatch.setattr(cst.CSTNode, module_parse.VALIDATING_HOOK, counting)
    with module_parse.unvalidated(cst.CSTNode):
        module = cst.parse_module("x = f(1, y=[2, 3])\n")
    assert called == []
    assert module.code == "x = f(1, y=[2, 3])\n"
    cst.Name("x")
    assert called == ["Name"]
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")


def test_a_class_with_its_own_hook_is_always_validated() -> None:
    """A node class between the base and a leaf that defines its own hook is not the one
    `unvalidated` switches: the leaf's constructor calls it even inside a parse."""

    @dataclasses.dataclass(frozen=True)
    class Base:
        __slots__ = ()

        def __post_init__(self) -> None:
            raise AssertionError("the base's hook is switched off inside a parse")

    @dataclasses.dataclass(frozen=True)
    class Checked(Base):
        __slots__ = ("value",)
        value: str

        def __post_init__(self) -> None:
            if not self.value:
                raise ValueError("empty")

    made = node_constructors._constructor(Checked, Base)
    assert made is not None
    Checked.__init__ = made  # type: ignore[method-assign]
    with module_parse.unvalidated(cst.CSTNode):
        assert Checked("x").value == "x"
        with pytest.raises(ValueError, match="empty"):
            Checked("")


FORKING = """
import os, sys
from pathlib import Path
from lint_wb import api, module_parse, node_constructors
from lint_wb.results import Mode, Overrides

log = Path(sys.argv[2])
made = api._summarise_in_worker
def noting(job):
    with log.open("a") as file:  # what each process had made before each summary it made
        file.write(f"{os.getpid()} {len(node_constructors.installed())}\\n")
    return made(job)
api._summarise_in_worker = noting
workers = api._Run._workers
def forking(self, *args, **named):
    with log.open("a") as file:  # whether this process had loaded libcst when it forked
        file.write(f"fork {int('libcst' in sys.modules)}\\n")
    return workers(self, *args, **named)
api._Run._workers = forking
api.check_paths([Path(sys.argv[1])], Overrides(isolated=True), Mode(), jobs=2)
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores for workers")
def test_each_process_of_a_run_with_workers_has_them_before_its_first_parse(
    tmp_path: Path,
) -> None:
    """A run that starts its workers while it screens (`ahead.py`) has kept at least
    PARALLEL_THRESHOLD files a process to parse: each process makes the constructors before
    its first summary (each made its own after CHEAPER_CONSTRUCTORS_AFTER parses of its own,
    through libcst's constructors until then)."""
    call = (
        "import os\nfrom openai import OpenAI\n"
        "client = OpenAI(base_url='https://api.inference.wandb.ai/v1',"
        " api_key=os.environ['WANDB_API_KEY'])\n"
        "client.chat.completions.create(model='openai/gpt-oss-120b', messages=[])\n"
    )
    tree = tmp_path / "tree"
    tree.mkdir()
    for number in range(3 * api.PARALLEL_THRESHOLD):
        (tree / f"m{number:02}.py").write_text(call, encoding="utf-8")
    log = tmp_path / "made.log"
    subprocess.run([sys.executable, "-c", FORKING, str(tree), str(log)], check=True)
    made = [line.split() for line in log.read_text().splitlines()]
    summaries = [(pid, count) for pid, count in made if pid != "fork"]
    assert len({pid for pid, _ in summaries}) == 2, made  # the main process and its worker
    assert all(int(count) > 0 for _, count in summaries), made
    # forked before this process loaded the engine: both load it at once (`_loaded_workers`)
    assert [loaded for pid, loaded in made if pid == "fork"][:1] == ["0"], made
