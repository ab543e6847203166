"""A kept module whose only facts are OpenAI SDK clients that cannot be W&B clients is read
with `ast` alone (`fact_sources.FirstLook`): outside assume-wandb, when the project index
tells it nothing, libcst never parses it and no rule runs on it; and the index does not
summarise it as a seed when no other module imports it and it imports none of the project.

Each guarantee is checked on both sides: what the first look lets pass finds nothing when
linted in full, and each thing it must not let pass (a W&B signal on a client, a key WB104
reads, the legacy API, a library call, a module others import or that imports others)
reaches the engine and keeps its findings.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import libcst
import pytest

from lint_wb import engine
from lint_wb.analysis import ModuleContext, analyze
from lint_wb.analysis.fact_sources import FirstLook, client_roots, may_hold_facts
from lint_wb.analysis.sdk_names import CLIENT_CLASSES
from lint_wb.cli.main import main
from lint_wb.config.per_file import SettingsCache
from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.module_parse import read_partial
from lint_wb.project import build
from lint_wb.project.build import plan_index
from lint_wb.project.store import Inert
from lint_wb.project.told import ModuleIndex
from lint_wb.results import Overrides
from lint_wb.rules import ALL_CODES
from lint_wb.spec import bundled_libraries, load_spec
from tests.cli_runner import make_runner
from tests.test_parse_once import count_parses, parses

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OPTIONS = LintOptions(enabled=ALL_CODES)
WANDB_URL = "https://api.inference.wandb.ai/v1"
HEAD = f'import os\nfrom openai import OpenAI\n\nWANDB_BASE_URL = "{WANDB_URL}"\n'
REQUEST = (
    "\n\ndef ask(text):\n"
    "    return client.chat.completions.create(\n"
    "        model='gpt-4o', temperature=3, messages=[{'role': 'human', 'text': text}]\n"
    "    )\n"
)
"""A request whose every keyword a rule would report, sent to a W&B client."""
PLAIN = [
    'client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])\n',
    "client = OpenAI()\n",
    'client = OpenAI(api_key=os.getenv("OPENAI_API_KEY"), timeout=5, max_retries=2)\n',
    'client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY", "unset"))\n',
    "import openai as oa\nclient = oa.AsyncOpenAI(organization='org-1')\n",
    "from openai import Client as Maker\nclient = Maker()\n",
    "class Svc:\n    def __init__(self):\n        self.client = OpenAI()\n\n"
    "client = Svc().client\n",
    "def make():\n    return OpenAI(http_client=None)\n\nclient = make()\n",
    "client = OpenAI().with_options(timeout=5, max_retries=1)\n",
    "client = OpenAI().copy(timeout=5)\n",
]
"""Clients built for OpenAI itself, in a module that also names W&B's URL."""
SIGNALLED = [
    "client = OpenAI(base_url=WANDB_BASE_URL)\n",
    "client = OpenAI(base_url='https://api.wandb.ai/v1')\n",
    'client = OpenAI(api_key=os.environ["WANDB_API_KEY"])\n',
    'client = OpenAI(api_key=os.getenv("WANDB_API_KEY"))\n',
    'KEY = os.environ["WANDB_API_KEY"]\nclient = OpenAI(api_key=KEY)\n',
    'VAR = "WANDB_API_KEY"\nclient = OpenAI(api_key=os.environ[VAR])\n',
    "client = OpenAI(project='acme/bot')\n",
    "client = OpenAI(**{'base_url': WANDB_BASE_URL})\n",
    "ARGS = {'base_url': WANDB_BASE_URL}\nclient = OpenAI(**ARGS)\n",
    "import openai\nopenai.base_url = WANDB_BASE_URL\nclient = openai\n",
    "client = OpenAI().with_options(base_url=WANDB_BASE_URL)\n",
    "base = OpenAI()\nclient = base.copy(base_url='https://api.inference.wandb.ai/v1')\n",
    "base = OpenAI()\nclient = base.with_options(api_key=os.environ['WANDB_API_KEY'])\n",
    "base = OpenAI()\nclient = base.copy(project='acme/bot', timeout=5)\n",
    "base = OpenAI()\nclient = OpenAI.with_options(base, base_url=WANDB_BASE_URL)\n",
    "base = OpenAI()\nclient = base.with_options(**{'base_url': WANDB_BASE_URL})\n",
    "client = OpenAI()\nclient.base_url = WANDB_BASE_URL\n",
    'client = OpenAI(api_key=os.environ["WANDB_API_KEY"].strip(" "))\n',
    'client = OpenAI(api_key=os.getenv("WANDB_API_KEY", "").rstrip("\\n"))\n',
    'def key(_):\n    return os.getenv("WANDB_API_KEY")\n\nclient = OpenAI(api_key=key("k"))\n',
]
"""Clients a W&B signal makes W&B clients: their requests are reported."""
KEYED = [
    "client = OpenAI(api_key='sk-0123456789abcdef0123456789abcdef')\n",
    "client = OpenAI(default_headers={'Authorization': 'Bearer 0123456789abcdef0123456789'})\n",
    "client = OpenAI().copy(api_key='sk-0123456789abcdef0123456789abcdef')\n",
]
"""Keys written into a client: WB104 on any client."""
CLASS_AS_VALUE = [
    "make = OpenAI\nw = make(base_url=URL, api_key='k')\n",
    "cls = AsyncOpenAI if a else OpenAI\nw = cls(base_url=URL)\n",
    "w = {'wb': OpenAI}['wb'](base_url=URL)\n",
    "import functools\nw = functools.partial(OpenAI, base_url=URL)()\n",
    "class C(OpenAI):\n    pass\n\nw = C(base_url=URL)\n",
    "def make(cls=OpenAI):\n    return cls(base_url=URL)\n\nw = make()\n",
    "def ask(c: OpenAI):\n    pass\n\nw = None\n",
]
"""A client class used as a value (the last, an annotation only: read by the engine all the
same)."""

OTHER_FACTS = [
    "import openai\nopenai.ChatCompletion.create(api_base=WANDB_BASE_URL, model='m', messages=[])\n"
    "client = OpenAI()\n",
    "import openai\nopenai.api_base = WANDB_BASE_URL\nclient = OpenAI()\n",
    "from litellm import completion\ncompletion(model='wandb/gpt-oss', temperature=3)\n"
    "client = OpenAI()\n",
]
"""Facts besides a client: the legacy API meant for W&B (WB602), a library call."""


def module(code: str) -> str:
    return HEAD + code + REQUEST


def look() -> FirstLook:
    api = load_spec().api
    return FirstLook(client_roots(api), api.porting.wandb_key_variable)


def finds_nothing(text: str, package: str | None = None) -> bool:
    """The first look's verdict, given the text (as the run gives it) and not: the same."""
    verdict = look().finds_nothing(ast.parse(text), package, text)
    assert look().finds_nothing(ast.parse(text), package) == verdict
    return verdict


def lint_looking_and_not(
    monkeypatch: pytest.MonkeyPatch, text: str, options: LintOptions = OPTIONS
) -> tuple[engine.LintResult, engine.LintResult]:
    """The engine's result with the first look, and with the module parsed and analysed."""
    looking = lint_source(text, "m.py", options, load_spec())
    with monkeypatch.context() as patched:
        patched.setattr(FirstLook, "finds_nothing", lambda *args: False)
        parsing = lint_source(text, "m.py", options, load_spec())
    return looking, parsing


@pytest.mark.parametrize("code", PLAIN)
def test_plain_openai_clients_find_nothing(monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    text = module(code)
    assert may_hold_facts(ast.parse(text), None, client_roots(load_spec().api))
    assert finds_nothing(text)
    looking, parsing = lint_looking_and_not(monkeypatch, text)
    assert looking.findings == parsing.findings == ()
    assert not looking.parsed or looking == parsing


@pytest.mark.parametrize("code", [*SIGNALLED, *KEYED, *OTHER_FACTS])
def test_a_signal_a_key_or_another_fact_reaches_the_engine(
    monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    text = module(code)
    assert not finds_nothing(text)
    looking, parsing = lint_looking_and_not(monkeypatch, text)
    assert looking.findings == parsing.findings
    assert looking.findings


@pytest.mark.parametrize(
    "text",
    [
        # a name no single import of the SDK's client classes binds
        "from openai import OpenAI\nfrom app import OpenAI\nOpenAI()\n",
        "import openai.types as t\nt.OpenAI()\n",
        "from openai import AzureOpenAI\nAzureOpenAI()\n",
        "from openai import OpenAI\nmake(OpenAI)()\n",
        "import openai\nopenai.OpenAI.with_options()\n",
        "from openai import OpenAI\nOpenAI('positional')\n",
        "from openai import OpenAI\nOpenAI(*args)\n",
        "from openai import OpenAI\nOpenAI(api_key=None)\n",
        "from openai import OpenAI\nOpenAI(api_key=os.getenv(name='OPENAI_API_KEY'))\n",
        "from openai import OpenAI\nOpenAI(api_key=os.getenv(PREFIX + '_KEY'))\n",
        "import openai\nopenai.x.y = 1\n",
        "from groq import Groq\nGroq()\n",
        "from agents import AsyncOpenAI\nAsyncOpenAI()\n",
        # a client class as a value: the project index follows it where the analysis does not
        *(f"from openai import AsyncOpenAI, OpenAI\n{code}" for code in CLASS_AS_VALUE),
        "import openai\ngetattr(openai, 'OpenAI')(base_url=URL)\n",
        "import openai as oa\nclient = (oa.OpenAI)(base_url=URL)\n",
        "from openai import *\nOpenAI(base_url=URL)\n",
        "from openai import OpenAI\nOpenAI = make_client\n",
    ],
)
def test_any_other_use_of_a_client_library_s_name_may_find_something(text: str) -> None:
    assert not finds_nothing(text)


@pytest.mark.parametrize("code", CLASS_AS_VALUE)
def test_a_client_class_used_as_a_value_keeps_its_findings_in_a_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    """Beside a plain client: `make = OpenAI; make(base_url=W&B)` and the like are W&B
    clients for the project index (the module's own analysis qualifies a callee through
    imports and names bound once to a dotted name only: the first of them); the requests on
    them keep their findings."""
    plain = PLAIN[0].replace("client = ", "embedder = ")
    text = HEAD + "URL = WANDB_BASE_URL\n" + plain + code.replace("w = ", "client = ")
    write_project(tmp_path, {"main.py": text + REQUEST})
    found = lint_tree(tmp_path, "--jobs", "1")
    assert found or code not in CLASS_AS_VALUE[:3]  # those the index follows
    with monkeypatch.context() as patched:
        patched.setattr(FirstLook, "finds_nothing", lambda *args: False)
        assert lint_tree(tmp_path, "--jobs", "1") == found


NESTED_IMPORTS = [
    "import os\ndef make():\n    import openai\n    return openai.OpenAI(base_url=URL)\n",
    "if True:\n    from openai import OpenAI\nclient = OpenAI(base_url=URL)\n",
    "try:\n    import openai as oa\nexcept ImportError:\n    pass\noa.OpenAI(base_url=URL)\n",
    "class C:\n    from openai import *\n",
]
"""Imports that are not top-level statements: the first look finds them all."""


@pytest.mark.parametrize("text", NESTED_IMPORTS)
def test_an_import_inside_another_statement_is_found(text: str) -> None:
    """Given the text, the first look reads the top-level imports alone only when the text
    spells `import` no more often than they do; an import nested in a function, an `if`, a
    `try` or a class still makes its names count."""
    tree = ast.parse(text)
    assert not look().finds_nothing(tree, None, text)
    assert not look().finds_nothing(tree, None)


def test_a_relative_import_is_qualified_in_its_package() -> None:
    """Inside the SDK's own package, `from ._client import OpenAI` names no class of
    `CLIENT_CLASSES`: the engine reads it (as the analysis may find a re-export)."""
    text = "from ._client import OpenAI\nclient = OpenAI()\n"
    assert not finds_nothing(text, "openai")
    assert finds_nothing(text, "app")


def test_no_library_row_names_an_sdk_client_class() -> None:
    """What the first look relies on: a call of the SDK's client classes is a client, never
    a call site of the library table (read otherwise by the analysis)."""
    table = bundled_libraries()
    names = {name for row in table.callables for name in (*row.names, *row.legacy_names)}
    assert names.isdisjoint(CLIENT_CLASSES)


@pytest.mark.parametrize("code", PLAIN)
def test_under_assume_wandb_or_when_the_index_tells_something_the_engine_reads_it(
    monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    text = module(code)
    given: list[str] = []
    parse = engine.parse_partial

    def recording(text: str, partial: object) -> object:
        given.append(text)
        return parse(text, partial)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "parse_partial", recording)
    assume = lint_source(
        text, "m.py", LintOptions(enabled=ALL_CODES, assume_wandb=True), load_spec()
    )
    assert assume.findings and len(given) == 1
    told = ModuleContext(index=ModuleIndex(chat_api_default=True))
    lint_source(text, "m.py", OPTIONS, load_spec(), where=told)
    assert len(given) == 2
    lint_source(text, "m.py", OPTIONS, load_spec())
    assert len(given) == 2


def fixture_modules() -> list[Path]:
    return sorted(path for path in FIXTURES.rglob("*.py") if not path.name.endswith(".fixed.py"))


def test_every_fixture_module_the_first_look_passes_has_nothing_to_report() -> None:
    """The claim itself, on every fixture and project module: where the first look at what
    a partial read keeps finds nothing, the analysis of the whole module, outside
    assume-wandb, finds no W&B client, no legacy API, and no rule reports on it."""
    spec = load_spec()
    first = look()
    passed = 0
    for path in fixture_modules():
        text = path.read_text(encoding="utf-8")
        partial = read_partial(text)
        if isinstance(partial, SyntaxError) or partial.tree is None:
            continue
        if not may_hold_facts(partial.tree, None, client_roots(spec.api)):
            continue
        if not first.finds_nothing(partial.tree, None):
            continue
        passed += 1
        facts = analyze(libcst.parse_module(text), spec.api, OPTIONS)
        assert not any(client.is_wandb for client in facts.clients), path
        assert not facts.legacy_uses and not facts.endpoint_traps, path
        assert engine.run_rules(facts, spec, OPTIONS) == [], path
    assert passed >= 2


BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize("seed", range(4))
def test_the_benchmark_s_openai_modules_pass_and_its_wandb_modules_do_not(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """The benchmark's generated modules: those written for OpenAI itself (a W&B URL constant
    beside a client for OpenAI, requests with values W&B would refuse) pass the first look and
    find nothing when analysed in full; none written for W&B passes it."""
    from random import Random

    monkeypatch.syspath_prepend(str(BENCH))
    from corpus_blocks import header
    from corpus_wandb import openai_section

    rng = Random(seed)
    for wandb in [False, True] * 10:
        imports, section = openai_section(rng, set(), wandb=wandb)
        text = header(rng, imports) + "\n\n" + section
        assert finds_nothing(text) is not wandb, text
        if not wandb:
            looking, parsing = lint_looking_and_not(monkeypatch, text)
            assert looking.findings == parsing.findings == ()


# ------------------------------------------------------------------ the project index


def lint_tree(root: Path, *args: str) -> list[tuple[str, int, str]]:
    command = [str(root), "--isolated", "--no-cache", "--output-format", "json", *args]
    result = make_runner().invoke(main, command)
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    return sorted((Path(row["filename"]).name, row["location"]["row"], row["code"]) for row in rows)


def write_project(root: Path, texts: dict[str, str]) -> None:
    (root / ".git").mkdir(parents=True)
    for name, text in texts.items():
        (root / name).write_text(text)


def plan_of(root: Path, *, assume_wandb: bool = False) -> build.IndexPlan:
    files = sorted(root.glob("*.py"))
    overrides = Overrides(isolated=True, assume_wandb=assume_wandb or None)
    plan = plan_index(files, SettingsCache(overrides), use_cache=False)
    assert plan is not None
    return plan


def test_a_module_nothing_can_reach_is_no_seed_and_is_parsed_by_no_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`plain.py` names W&B's URL but builds a client for OpenAI; `wandb_app.py` is W&B code.
    Only the latter is summarised and parsed; the findings are those of a full reading."""
    write_project(tmp_path, {"plain.py": module(PLAIN[0]), "wandb_app.py": module(SIGNALLED[0])})
    plan = plan_of(tmp_path)
    assert set(plan.store.looks) == {"plain", "wandb_app"}
    plan.index()
    assert plan.store.inert == {"plain"}
    log = tmp_path / "parses.log"
    count_parses(monkeypatch, log)
    looked = lint_tree(tmp_path, "--jobs", "1")
    assert len(parses(log)) == 1  # wandb_app.py alone
    assert {name for name, _, _ in looked} == {"wandb_app.py"}
    with monkeypatch.context() as patched:
        patched.setattr(FirstLook, "finds_nothing", lambda *args: False)
        assert lint_tree(tmp_path, "--jobs", "1") == looked


ASSIGNED_CALLABLES = {
    "library class": "from langchain_openai import ChatOpenAI\n\nChat = ChatOpenAI\n\n\n"
    "def chat():\n"
    f"    return Chat(base_url={WANDB_URL!r}, model='gpt-4o')\n",
    "library function": "import litellm\n\n\ndef ask_later(question):\n"
    f"    return ask(model='openai/gpt-4o', api_base={WANDB_URL!r}, messages=question)\n\n\n"
    "ask = litellm.completion\n",
    "client class": HEAD + "Maker = OpenAI\nclient = Maker(base_url=WANDB_BASE_URL)\n"
    "client.chat.completions.create(model='gpt-4o', messages=[])\n",
}
"""A library callable or a client class assigned to another name, called by that name: the
module's own analysis qualifies it (`Resolver.qualify`), in default mode too."""


@pytest.mark.parametrize("text", ASSIGNED_CALLABLES.values(), ids=list(ASSIGNED_CALLABLES))
def test_a_callable_assigned_to_another_name_is_found_alone_and_in_a_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    row = next(row for row, line in enumerate(text.splitlines(), 1) if "gpt-4o" in line)
    assert may_hold_facts(ast.parse(text), None, client_roots(load_spec().api))
    assert not finds_nothing(text)
    looking, parsing = lint_looking_and_not(monkeypatch, text)
    assert looking.findings == parsing.findings
    assert (row, "WB501") in {(f.location.row, f.code) for f in looking.findings}
    write_project(tmp_path, {"app.py": text})
    found = lint_tree(tmp_path, "--jobs", "1")
    assert ("app.py", row, "WB501") in found
    with monkeypatch.context() as patched:
        patched.setattr(FirstLook, "finds_nothing", lambda *args: False)
        assert lint_tree(tmp_path, "--jobs", "1") == found


BOUND_METHODS = [
    "base = OpenAI()\nderive = base.with_options\nclient = derive(base_url=WANDB_BASE_URL)\n",
    "base = OpenAI()\nderive = base.copy\nclient = derive(base_url=WANDB_BASE_URL)\n",
]
"""A client derived through a bound method stored under a name: the project's resolver
follows it (`DerivedClientValue`), so the first look must not pass the module."""


@pytest.mark.parametrize("code", BOUND_METHODS)
def test_a_client_derived_through_a_stored_bound_method_keeps_its_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    assert not finds_nothing(module(code))
    write_project(tmp_path, {"app.py": module(code)})
    found = lint_tree(tmp_path, "--jobs", "1")
    assert {rule for _, _, rule in found} >= {"WB301", "WB501"}
    with monkeypatch.context() as patched:
        patched.setattr(FirstLook, "finds_nothing", lambda *args: False)
        assert lint_tree(tmp_path, "--jobs", "1") == found


CLASS_BODY_IMPORTS = [
    "class Holder:\n    from openai import OpenAI\n\n\n"
    "client = Holder.OpenAI(base_url=WANDB_BASE_URL)\n",
    "class Holder:\n    from openai import OpenAI\n\n    @classmethod\n"
    "    def make(cls):\n        return cls.OpenAI(base_url=WANDB_BASE_URL)\n\n\n"
    "client = Holder.make()\n",
    "class Holder:\n    from openai import OpenAI as Maker\n\n"
    "    def make(self):\n        return self.Maker(base_url=WANDB_BASE_URL)\n\n\n"
    "client = Holder().make()\n",
]
"""A client class imported in a class body is read on the class (`Holder.OpenAI`,
`cls.OpenAI`, `self.Maker`), never as a bare name: the engine follows it, so the first look
must not pass the module."""


@pytest.mark.parametrize("code", CLASS_BODY_IMPORTS)
def test_a_client_class_imported_in_a_class_body_keeps_its_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    assert not finds_nothing(module(code))
    write_project(tmp_path, {"app.py": module(code)})
    found = lint_tree(tmp_path, "--jobs", "1")
    assert "WB501" in {rule for _, _, rule in found}
    with monkeypatch.context() as patched:
        patched.setattr(FirstLook, "finds_nothing", lambda *args: False)
        assert lint_tree(tmp_path, "--jobs", "1") == found


def test_a_module_another_imports_is_summarised_and_keeps_its_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The near-miss URL `settings.py` writes is sent by a client built in `app.py`: WB101 is
    reported in `settings.py`, whose own client is plain. `settings.py` is imported, so it
    is read whole and summarised, never looked at first."""
    settings = 'import os\nfrom openai import OpenAI\n\nURL = "https://api.wandb.ai/v1"\n'
    settings += PLAIN[0]
    app = "from openai import OpenAI\nfrom settings import URL\n\nclient = OpenAI(base_url=URL)\n"
    write_project(tmp_path, {"settings.py": settings, "app.py": app + REQUEST})
    plan = plan_of(tmp_path)
    assert "settings" in plan.store.whole and "settings" not in plan.store.looks
    found = lint_tree(tmp_path, "--jobs", "1")
    assert ("settings.py", 4, "WB101") in found
    with monkeypatch.context() as patched:
        patched.setattr(FirstLook, "finds_nothing", lambda *args: False)
        assert lint_tree(tmp_path, "--jobs", "1") == found


def test_a_module_whose_function_another_calls_is_summarised_and_keeps_its_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`helpers.ask` requests on the client it is given: a plain one of its own module is
    never given, the W&B client `app.py` builds is. Only the project tells `helpers.py` so:
    it is imported, so it is a seed read whole, never looked at first."""
    helpers = module("fallback = OpenAI()\n").replace("def ask(text)", "def ask(client, text)")
    app = "from openai import OpenAI\nfrom helpers import WANDB_BASE_URL, ask\n\n"
    app += "ask(OpenAI(base_url=WANDB_BASE_URL), 'hi')\n"
    write_project(tmp_path, {"helpers.py": helpers, "app.py": app})
    plan = plan_of(tmp_path)
    assert "helpers" in plan.seeds and "helpers" not in plan.store.looks
    found = lint_tree(tmp_path, "--jobs", "1")
    assert {code for name, _, code in found if name == "helpers.py"} >= {"WB301", "WB501"}
    with monkeypatch.context() as patched:
        patched.setattr(FirstLook, "finds_nothing", lambda *args: False)
        assert lint_tree(tmp_path, "--jobs", "1") == found


def test_a_module_that_imports_the_project_is_summarised_and_keeps_its_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`svc.py` builds a plain client for a fallback, and requests on the W&B client its base
    class from `base.py` builds: only the project tells it that client, so it is a seed."""
    base = "from openai import OpenAI\n\nclass Base:\n    def __init__(self):\n"
    base += f"        self._client = OpenAI(base_url='{WANDB_URL}')\n"
    svc = HEAD + "from base import Base\n\nfallback = OpenAI()\n\nclass Svc(Base):\n"
    svc += "    def ask(self):\n        return self._client.chat.completions.create(\n"
    svc += "            model='gpt-4o', messages=[{'role': 'user', 'content': 'hi'}]\n        )\n"
    write_project(tmp_path, {"base.py": base, "svc.py": svc})
    plan = plan_of(tmp_path)
    assert "svc" not in plan.store.looks
    found = lint_tree(tmp_path, "--jobs", "1")
    assert [code for name, _, code in found if name == "svc.py"] == ["WB501"]
    with monkeypatch.context() as patched:
        patched.setattr(FirstLook, "finds_nothing", lambda *args: False)
        assert lint_tree(tmp_path, "--jobs", "1") == found


def test_under_assume_wandb_no_module_is_looked_at_first(tmp_path: Path) -> None:
    write_project(tmp_path, {"plain.py": module(PLAIN[0])})
    assert set(plan_of(tmp_path).store.looks) == {"plain"}
    assert plan_of(tmp_path, assume_wandb=True).store.looks == {}
    assert lint_tree(tmp_path) == []
    assert ("plain.py", 10, "WB501") in lint_tree(tmp_path, "--assume-wandb")


def test_a_first_look_is_taken_only_where_the_plan_allows_it(tmp_path: Path) -> None:
    """What a job found nothing in is no seed only if the plan lets the module be looked at
    so; elsewhere its summary is made when the index asks for it."""
    settings = "URL = 'https://api.wandb.ai/v1'\n"
    app = HEAD + "from settings import URL\n\n" + PLAIN[0] + REQUEST
    write_project(tmp_path, {"settings.py": settings, "app.py": app, "plain.py": module(PLAIN[0])})
    plan = plan_of(tmp_path)
    assert "app" in plan.seeds and "app" not in plan.store.looks
    for job in plan.summary_jobs(sorted(tmp_path.glob("*.py"))):
        plan.provide(job, Inert())
    assert plan.store.inert == {"plain"}
    plan.index()
    assert plan.store.cached("app") is not None


def test_a_first_look_s_verdict_is_kept_in_the_summary_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run with the summary cache looks at a module once: the next plan has its verdict."""
    write_project(tmp_path / "tree", {"plain.py": module(PLAIN[0])})
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    files = sorted((tmp_path / "tree").glob("*.py"))
    cache = SettingsCache(Overrides(isolated=True))
    first = plan_index(files, cache)
    assert first is not None and first.summary_jobs(files)
    first.index()
    assert first.store.inert == {"plain"}
    again = plan_index(files, cache)
    assert again is not None and again.summary_jobs(files) == []
    assert again.store.inert == {"plain"}
    edited = files[0].read_text().replace("OPENAI_API_KEY", "OPENAI_KEY")
    files[0].write_text(edited)
    third = plan_index(files, cache)
    assert third is not None and third.summary_jobs(files)
