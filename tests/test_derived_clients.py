"""Clients made from a client by `with_options(...)` / `copy(...)` (SPEC §2: a client, and
the requests made through `with_options(...)`): openai-python's `copy` makes a new client
with the keywords given and the rest of the client it is called on. The fixtures
(fixtures/client/derived_clients.py, fixtures/projects/derived_clients) hold the cases; these
tests hold the SDK facts they rest on."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import openai
import pytest

from lint_wb.analysis.sdk_names import COPY_KEYWORDS, RETARGETING_KEYWORDS
from lint_wb.cli.main import main
from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec
from tests.cli_runner import make_runner
from tests.test_star_imports import findings, project

REQUEST = (
    "{client}.chat.completions.create(model='openai/gpt-oss-120b', top_p=2,\n"
    "    messages=[{{'role': 'user', 'content': 'hi'}}])\n"
)


@pytest.mark.parametrize("cls", [openai.OpenAI, openai.AsyncOpenAI])
def test_copy_keywords_are_the_installed_sdk_s(cls: type) -> None:
    assert cls.with_options is cls.copy
    parameters = inspect.signature(cls.copy).parameters.values()
    assert all(p.kind is p.KEYWORD_ONLY for p in parameters if p.name != "self")
    assert {p.name for p in parameters} - {"self"} == COPY_KEYWORDS, openai.__version__
    assert RETARGETING_KEYWORDS <= COPY_KEYWORDS


@pytest.mark.parametrize(
    ("made", "reported"),
    [
        ("base.with_options(base_url=URL)", True),
        ("base.copy(base_url=URL, timeout=3)", True),
        ("base.with_options(base_url=URL).with_options(timeout=3)", True),
        ("base.with_options(timeout=3)", False),
        ("base.with_options(base_url=URL, model='m')", False),  # TypeError
        ("base.with_options(URL, base_url=URL)", False),  # TypeError: keyword-only
        ("base.with_options(base_url=URL, provider=P)", False),  # where it goes is not known
        ("base.with_options(base_url=URL, **OPTIONS)", False),
        ("OpenAI.with_options(base, base_url=URL)", True),
        ("base.copy(**{'base_url': URL, 'timeout': 3})", True),
        ("base.copy(**{'base_url': URL}, **OPTIONS)", False),
    ],
)
def test_a_client_made_with_a_wandb_base_url_is_a_wandb_client(
    tmp_path: Path, made: str, reported: bool
) -> None:
    root = project(
        tmp_path,
        {
            "settings.py": "URL = 'https://api.inference.wandb.ai/v1'\n",
            "clients.py": "from openai import OpenAI\nfrom settings import URL\n"
            f"base = OpenAI()\nmade = {made}\n",
            "app.py": "from clients import made\n" + REQUEST.format(client="made"),
            "inline.py": "from openai import OpenAI\nfrom settings import URL\nbase = OpenAI()\n"
            + REQUEST.format(client=made),
        },
    )
    expected = [("app.py", 2, "WB301"), ("inline.py", 4, "WB301")] if reported else []
    assert findings(root) == expected


def test_a_made_client_keeps_the_key_of_the_client_it_is_made_from(tmp_path: Path) -> None:
    """Under assume-wandb, a client with no `api_key=` is a WB107; one made by
    `with_options` has the key of the client it is made from."""
    root = project(
        tmp_path,
        {
            "app.py": "import os\nfrom openai import OpenAI\n"
            "base = OpenAI(base_url='https://api.inference.wandb.ai/v1',\n"
            "    api_key=os.environ['WANDB_API_KEY'])\n"
            "made = base.with_options(base_url='https://api.inference.wandb.ai/v1/')\n"
            "bare = OpenAI(base_url='https://api.inference.wandb.ai/v1')\n",
        },
    )
    result = make_runner().invoke(main, ["--no-cache", "--assume-wandb", "-q", str(root)])
    assert "app.py:6:" in result.output and "WB107" in result.output
    assert "app.py:5:" not in result.output


@pytest.mark.parametrize(
    ("made", "reported"),
    [
        ("base.with_options(base_url=URL)", True),
        ("base.copy(base_url=URL).copy(base_url=None)", True),  # None: the URL is kept
        ("base.with_options(base_url=URL).with_options(timeout=3)", True),
        ("base.with_options(timeout=3)", False),
        ("base.with_options(base_url=URL, model='m')", False),  # TypeError
        ("base.with_options(URL, base_url=URL)", False),  # TypeError: keyword-only
        ("base.with_options(base_url=URL, data_residency=D)", False),
        ("base.with_options(base_url=URL, **OPTIONS)", False),
        ("OpenAI(base_url=URL).copy(base_url='https://api.openai.com/v1')", False),
        ("OpenAI.with_options(base, base_url=URL)", True),
        ("OpenAI.copy(base, base_url=URL, timeout=3)", True),
        ("OpenAI.with_options(base_url=URL)", False),  # TypeError: no client to copy
        ("base.with_options(**{'base_url': URL})", True),
        ("base.copy(**{'base_url': URL, 'timeout': 3}, max_retries=2)", True),
        ("base.copy(**{'base_url': URL}, **OPTIONS)", False),
        ("base.copy(**{'base_url': URL, 'model': 'm'})", False),  # TypeError
        ("OpenAI(base_url=URL).with_options(**{'base_url': 'https://api.openai.com/v1'})", False),
    ],
)
def test_a_module_alone_follows_the_clients_it_makes(made: str, reported: bool) -> None:
    """The module's own analysis, no project around it: bound to a name, and inline."""
    head = "from openai import OpenAI\nURL = 'https://api.inference.wandb.ai/v1'\nbase = OpenAI()\n"
    for text in (
        head + f"made = {made}\n" + REQUEST.format(client="made"),
        head + REQUEST.format(client=made),
    ):
        result = lint_source(text, "m.py", LintOptions(enabled=ALL_CODES), load_spec())
        assert [f.code for f in result.findings] == (["WB301"] if reported else []), text


def test_copy_keeps_the_target_and_takes_the_key_and_the_setter_retargets() -> None:
    """The SDK facts the analysis rests on, read off the installed openai: a copy given only
    a key sends where the client it is made from does, with that key; the unbound method
    copies the client given first; `client.base_url = URL` changes where it sends."""
    base = openai.OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="first")
    keyed = base.with_options(api_key="second")
    assert (str(keyed.base_url), keyed.api_key) == (str(base.base_url), "second")
    unbound = openai.OpenAI.with_options(keyed, base_url="https://api.openai.com/v1")
    assert (str(unbound.base_url), unbound.api_key) == ("https://api.openai.com/v1/", "second")
    spread = base.copy(**{"base_url": "https://api.openai.com/v1"})
    assert str(spread.base_url) == "https://api.openai.com/v1/"
    base.base_url = "https://api.openai.com/v1"
    assert str(base.base_url) == "https://api.openai.com/v1/"


KEYED_HEAD = (
    "import os\nfrom openai import OpenAI\n"
    "wandb = OpenAI(base_url='https://api.inference.wandb.ai/v1', api_key='k')\n"
    "plain = OpenAI(api_key=os.environ['OPENAI_API_KEY'])\n"
)


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        ("wandb.with_options(api_key='0123456789abcdef0123456789abcdef01234567')", ["WB104"]),
        ("wandb.copy(api_key=os.environ['GROQ_API_KEY'], timeout=3)", ["WB107"]),
        ("wandb.with_options(**{'api_key': os.environ['GROQ_API_KEY']})", ["WB107"]),
        ("wandb.copy(project='no-team')", ["WB105"]),
        ("wandb.with_options(default_headers={'X-Project': 'a/b'})", ["WB106"]),
        ("plain.with_options(api_key=os.environ['WANDB_API_KEY'])", ["WB102"]),
        ("plain.copy(api_key=os.environ['GROQ_API_KEY'])", []),  # not a W&B client
        ("OpenAI.copy(wandb, api_key=os.environ['GROQ_API_KEY'])", ["WB107"]),
        ("wandb.with_options(api_key=os.environ['WANDB_API_KEY'])", []),
    ],
)
def test_a_copy_given_a_key_or_a_project_is_checked_as_a_construction(
    made: str, expected: list[str]
) -> None:
    """Same target, its own key (WB104, WB107), project (WB105) and headers (WB106); a W&B
    key on a copy of a plain client makes it a W&B client with no base URL (WB102)."""
    text = KEYED_HEAD + f"made = {made}\n"
    result = lint_source(text, "m.py", LintOptions(enabled=ALL_CODES), load_spec())
    assert [(f.location.row, f.code) for f in result.findings] == [(5, c) for c in expected]


def test_a_copy_of_a_client_wb102_reports_is_not_reported_again() -> None:
    """Under assume-wandb the client a copy is made from gets WB102 (its fix gives the copy
    W&B's URL too); the copy, which passes a key of its own, gets none of its own."""
    text = "import os\nfrom openai import OpenAI\nbase = OpenAI()\n"
    text += "made = base.with_options(api_key=os.environ['WANDB_API_KEY'])\n"
    options = LintOptions(enabled=ALL_CODES, assume_wandb=True)
    result = lint_source(text, "m.py", options, load_spec())
    assert [(f.location.row, f.code) for f in result.findings] == [(3, "WB102"), (3, "WB107")]


SET_HEAD = "import os\nfrom openai import OpenAI\nURL = 'https://api.inference.wandb.ai/v1'\n"


@pytest.mark.parametrize(
    ("code", "sends_to_wandb"),
    [
        ("client = OpenAI()\nclient.base_url = URL\n", True),
        ("client = OpenAI()\nTIMEOUT = 3\nclient.base_url = URL\n", True),
        (
            "def make():\n    client = OpenAI()\n    client.base_url = URL\n    return client\n"
            "client = make()\n",
            True,
        ),
        ("client = OpenAI(base_url=URL)\nclient.base_url = 'https://api.openai.com/v1'\n", False),
        (
            "client = OpenAI(base_url=URL)\nif os.environ.get('X'):\n"
            "    client.base_url = 'https://api.openai.com/v1'\n",
            None,
        ),
        (
            "client = OpenAI(base_url=URL)\nclient.base_url = URL\n"
            "client.base_url = 'https://api.openai.com/v1'\n",
            None,
        ),
        ("client = OpenAI()\nwarm_up()\nclient.base_url = URL\n", True),
        (
            "def warm_up():\n    client.models.list()\nclient = OpenAI()\nwarm_up()\n"
            "client.base_url = URL\n",
            None,
        ),
        ("client = OpenAI()\nother = client\nclient.base_url = URL\n", None),
        ("client = None\nclient.base_url = URL\nclient = OpenAI()\n", None),
        (
            "client = OpenAI(base_url=URL)\ndef move():\n"
            "    client.base_url = 'https://api.openai.com/v1'\n",
            None,
        ),
        # a call between that reaches the client through the module's own names
        (
            "def list_models():\n    return client.models.list()\n"
            "def warm_up():\n    list_models()\n"
            "client = OpenAI()\nwarm_up()\nclient.base_url = URL\n",
            None,
        ),
        (
            "class Warmer:\n    def go(self):\n        return client.models.list()\n"
            "client = OpenAI()\nWarmer().go()\nclient.base_url = URL\n",
            None,
        ),
        (
            "def list_models():\n    return client.models.list()\nwarm_up = list_models\n"
            "client = OpenAI()\nwarm_up()\nclient.base_url = URL\n",
            None,
        ),
        (
            "def list_models():\n    return client.models.list()\n"
            "client = OpenAI(); list_models()\nclient.base_url = URL\n",
            None,
        ),
        (
            "def make():\n    def ping():\n        return client.models.list()\n"
            "    def warm():\n        ping()\n"
            "    client = OpenAI()\n    warm()\n    client.base_url = URL\n    return client\n"
            "client = make()\n",
            None,
        ),
        (
            "def list_models():\n    return client.models.list()\n"
            "client = OpenAI()\nprint(os.getcwd())\nclient.base_url = URL\n",
            True,
        ),
        # stores whose value is not read here
        (
            "client = OpenAI(base_url=URL)\n"
            "client.base_url, TIMEOUT = 'https://api.openai.com/v1', 3\n",
            None,
        ),
        ("client = OpenAI()\nclient.base_url = URL\nclient.base_url += '/'\n", None),
        ("client = OpenAI()\nclient.base_url: str = URL\n", None),
        ("client = OpenAI(base_url=URL)\nfor client.base_url in [URL]:\n    pass\n", None),
    ],
)
def test_a_client_s_base_url_set_after_it_is_built(code: str, sends_to_wandb: bool | None) -> None:
    """`client.base_url = URL` (the SDK's setter): URL where the code's order makes it
    certain; where it is not (in an `if`, twice, after a use of the client or a call of a
    function that uses it, in another function), unknown: nothing sent through it is
    reported (the model `gpt-4o` would be a WB501 on a W&B client)."""
    text = SET_HEAD + code + "client.chat.completions.create(model='gpt-4o', messages=[])\n"
    result = lint_source(text, "m.py", LintOptions(enabled=ALL_CODES), load_spec())
    codes = [f.code for f in result.findings]
    assert ("WB501" in codes) is bool(sends_to_wandb), codes
    assumed = lint_source(
        text, "m.py", LintOptions(enabled=ALL_CODES, assume_wandb=True), load_spec()
    )
    foreign = [f.location.row for f in assumed.findings if f.code == "WB103"]
    assert foreign == ([] if sends_to_wandb is not False else [5])  # where the setter writes it


@pytest.mark.parametrize("assume_wandb", [False, True])
@pytest.mark.parametrize(
    ("clients", "reported"),
    [
        ("client = OpenAI()\nclient.base_url = 'https://api.inference.wandb.ai/v1'\n", True),
        (
            "client = OpenAI(base_url='https://api.inference.wandb.ai/v1')\n"
            "client.base_url = 'https://api.openai.com/v1'\n",
            None,  # OpenAI's URL: ported under --assume-wandb, as if built with it
        ),
        (
            "def make():\n    made = OpenAI()\n"
            "    made.base_url = 'https://api.inference.wandb.ai/v1'\n    return made\n"
            "client = make()\n",
            True,
        ),
        (
            "from settings import URL\nclient = OpenAI()\nclient.base_url = URL\n",
            True,
        ),
        # not certain: the URL the requests go to is not known (nor a client, elsewhere)
        (
            "def ping():\n    return client.models.list()\n"
            "client = OpenAI()\nping()\nclient.base_url = 'https://api.inference.wandb.ai/v1'\n",
            False,
        ),
        (
            "client = OpenAI()\nclient.base_url = 'https://api.inference.wandb.ai/v1'\n"
            "spare = OpenAI()\nspare.base_url = 'https://api.inference.wandb.ai/v1'\n",
            False,
        ),
        (
            "client = OpenAI()\nclient.base_url, spare = 'https://api.inference.wandb.ai/v1', 1\n",
            False,
        ),
    ],
)
def test_a_client_whose_base_url_is_set_is_followed_into_other_modules(
    clients: str, reported: bool | None, assume_wandb: bool, tmp_path: Path
) -> None:
    """The project follows the setter where the module's own analysis does, when it is the
    module's one store of a `base_url` (in either mode): a client another module imports
    sends there. Otherwise where it sends is not known there (no finding)."""
    root = project(
        tmp_path,
        {
            "settings.py": "URL = 'https://api.inference.wandb.ai/v1'\n",
            "clients.py": "from openai import OpenAI\n" + clients,
            "app.py": "from clients import client\n"
            "client.chat.completions.create(model='gpt-4o', messages=[])\n",
        },
    )
    extra = ["--assume-wandb"] if assume_wandb else []
    result = make_runner().invoke(
        main, ["--no-cache", "--output-format", "json", *extra, str(root)]
    )
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    found = sorted(
        (r["location"]["row"], r["code"]) for r in rows if r["filename"].endswith("app.py")
    )
    judged = reported or (reported is None and assume_wandb)
    assert found == ([(2, "WB408"), (2, "WB501")] if judged else [])


def test_a_client_moved_in_a_way_not_followed_keeps_its_url_as_built_checked() -> None:
    """Set in an `if`, the URL a client is built with is still one it sends to (WB101 where
    it is written); its requests, which may go to either, are not judged (no WB501)."""
    text = SET_HEAD + (
        "client = OpenAI(base_url='https://api.wandb.ai/v1')\n"
        "if os.environ.get('LOCAL'):\n"
        "    client.base_url = 'http://localhost:8000/v1'\n"
        "client.chat.completions.create(model='gpt-4o', messages=[])\n"
    )
    result = lint_source(text, "m.py", LintOptions(enabled=ALL_CODES), load_spec())
    assert [(f.location.row, f.code) for f in result.findings] == [(4, "WB101")]


def test_a_base_url_stored_in_a_class_body_leaves_the_index_whole(tmp_path: Path) -> None:
    """A store in a class body is never the certain case; the index is still made (the
    store once stopped the index), and a client built for W&B elsewhere is still followed.
    (The store makes another module's setter unknown: the test above.)"""
    root = project(
        tmp_path,
        {
            "holder.py": "from openai import OpenAI\nclass Holder:\n    held = OpenAI()\n"
            "    held.base_url = 'https://api.inference.wandb.ai/v1'\n",
            "clients.py": "from openai import OpenAI\n"
            "client = OpenAI(base_url='https://api.inference.wandb.ai/v1')\n",
            "app.py": "from clients import client\nfrom holder import Holder\n"
            "client.chat.completions.create(model='gpt-4o', messages=[])\n"
            "Holder.held.chat.completions.create(model='gpt-4o', messages=[])\n",
        },
    )
    result = make_runner().invoke(main, ["--no-cache", "--output-format", "json", str(root)])
    assert result.exit_code == 1, result.output
    assert "could not build the project index" not in result.output
    rows = json.loads(result.stdout)
    assert sorted((Path(r["filename"]).name, r["code"]) for r in rows) == [
        ("app.py", "WB408"),
        ("app.py", "WB501"),
    ]


_SETTER = "from openai import OpenAI\nclient = OpenAI()\nclient.base_url = '{url}'\n"
_WANDB = "https://api.inference.wandb.ai/v1"


@pytest.mark.parametrize(
    ("others", "reported"),
    [
        ({}, True),
        # another module's own certain store, on the client it has just built
        ({"spare.py": _SETTER.format(url="https://api.openai.com/v1")}, True),
        # stores that may reach the client: its URL is unknown in other modules
        ({"moves.py": "from clients import client\nclient.base_url = 'https://x.io/v1'\n"}, False),
        (
            {
                "moves.py": "from clients import client\n"
                "def configure(url):\n    client.base_url = url\n"
            },
            False,
        ),
        ({"moves.py": "import clients\nclients.client.base_url = 'https://x.io/v1'\n"}, False),
        (
            {
                "moves.py": "from clients import client\nalias = client\n"
                "alias.base_url = 'https://x.io/v1'\n"
            },
            False,
        ),
        ({"moves.py": "def point(c, url):\n    c._base_url = url\n"}, False),
        (
            {
                "moves.py": "from clients import client\n"
                "setattr(client, 'base_url', 'https://x.io/v1')\n"
            },
            False,
        ),
        # a store of the SDK's private attribute beside the setter, in the module itself
        (
            {"clients.py": _SETTER.format(url=_WANDB) + "client._base_url = 'https://x.io/v1'\n"},
            False,
        ),
        # a module that holds its own client and a store the order does not make certain
        (
            {
                "spare.py": "from openai import OpenAI\nspare = OpenAI()\nspare.models.list()\n"
                "spare.base_url = 'https://x.io/v1'\n"
            },
            False,
        ),
    ],
)
def test_a_base_url_store_elsewhere_makes_the_set_url_unknown_in_other_modules(
    others: dict[str, str], reported: bool, tmp_path: Path
) -> None:
    """The setter's certain case reaches other modules only when no other store of a
    `base_url` in the project (any module, imported or not) can reach the client: a
    module's own certain store on the client it has just built is the one kind allowed."""
    root = project(
        tmp_path,
        {
            "clients.py": _SETTER.format(url=_WANDB),
            "app.py": "from clients import client\n"
            "client.chat.completions.create(model='gpt-4o', messages=[])\n",
            **others,
        },
    )
    result = make_runner().invoke(main, ["--no-cache", "--output-format", "json", str(root)])
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    found = sorted(
        (r["location"]["row"], r["code"]) for r in rows if r["filename"].endswith("app.py")
    )
    assert found == ([(2, "WB408"), (2, "WB501")] if reported else [])
