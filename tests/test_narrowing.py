"""A call that stands behind a test of its function's parameter (`if provider == "wandb":`)
sends what its callers pass only from the callers that may pass that test (SPEC §2, "Values
are followed through the whole project"). A caller whose argument certainly fails it sends
nothing there; a caller the project cannot decide for keeps its findings."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from tests.cli_runner import make_runner

CLIENTS = """\
import os
from openai import OpenAI

wandb = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])
other = OpenAI(api_key=os.environ["OPENAI_API_KEY"])


def to_wandb(model):
    return wandb.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])


def elsewhere(model):
    return other.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])
"""
PROVIDERS = """\
import enum


class Provider(str, enum.Enum):
    OPENAI = "openai"
    WANDB = "wandb"
"""


def findings(tmp_path: Path, router: str, callers: str) -> list[tuple[str, int, str]]:
    """(file, row, code) of what lint-wb reports for a router module and its callers."""
    files = {
        "clients.py": CLIENTS,
        "providers.py": PROVIDERS,
        "router.py": "from clients import elsewhere, to_wandb\nfrom providers import Provider\n\n"
        + textwrap.dedent(router),
        "callers.py": "import os\n\nfrom providers import Provider\nfrom router import ask\n\n"
        + textwrap.dedent(callers),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    args = ["--isolated", "--no-cache", "--output-format", "json", str(tmp_path)]
    result = make_runner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    return sorted((Path(r["filename"]).name, r["location"]["row"], r["code"]) for r in rows)


def rows(found: list[tuple[str, int, str]]) -> list[int]:
    """The rows of callers.py reported, counted from the first line after its imports."""
    return [row - 5 for name, row, code in found if name == "callers.py" and code == "WB501"]


EQUALS = """\
def ask(provider, model):
    if provider == "wandb":
        return to_wandb(model)
    return elsewhere(model)
"""
TWO_CALLERS = """\
ask("openai", "gpt-4o")
ask("wandb", "gpt-4o-mini")
"""


@pytest.mark.parametrize(
    "router",
    [
        EQUALS,
        EQUALS.replace('provider == "wandb"', '"wandb" == provider'),
        EQUALS.replace('provider == "wandb"', "provider is Provider.WANDB"),
        EQUALS.replace('provider == "wandb"', 'provider in ("wandb", "wb")'),
        EQUALS.replace('provider == "wandb"', 'provider in {"wandb", Provider.WANDB}'),
        EQUALS.replace('provider == "wandb"', "provider == Provider.WANDB and model"),
        """\
        def ask(provider, model):
            if provider != Provider.WANDB:
                return elsewhere(model)
            else:
                return to_wandb(model)
        """,
        """\
        def ask(provider, model):
            if provider == "anthropic":
                return None
            elif provider not in ["wandb"]:
                return elsewhere(model)
            else:
                return to_wandb(model)
        """,
    ],
    ids=["==", "reversed ==", "is", "in tuple", "in set", "and", "!= else", "not in elif else"],
)
def test_a_caller_whose_provider_fails_the_test_sends_nothing_there(
    tmp_path: Path, router: str
) -> None:
    assert rows(findings(tmp_path, router, TWO_CALLERS)) == [2]


REQUEST = 'chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])'
DIRECT = f"""\
from clients import other, wandb


def ask(provider, model):
    if provider == "wandb":
        return wandb.{REQUEST}
    return other.{REQUEST}
"""
BUILT_IN_THE_ARM = f"""\
import os
from openai import OpenAI


def ask(provider, model):
    if provider == "wandb":
        client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="k")
        answer = client.{REQUEST}
    else:
        client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
        answer = client.{REQUEST}
    return answer
"""
MATCHED = f"""\
import os
from openai import OpenAI


def ask(provider, model):
    match provider:
        case "wandb" | "wb":
            client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="k")
            return client.{REQUEST}
        case _:
            client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
            return client.{REQUEST}
"""


@pytest.mark.parametrize(
    "router",
    [
        DIRECT,
        DIRECT.replace('provider == "wandb"', 'provider in ("wandb", "wb")'),
        BUILT_IN_THE_ARM,
        MATCHED,
    ],
    ids=["request in the arm", "in tuple", "client built in the arm", "match"],
)
def test_a_request_written_in_the_arm_sends_only_what_passing_callers_pass(
    tmp_path: Path, router: str
) -> None:
    """No function stands between the test and the request: the request's own keywords are
    narrowed, and the client bound in its arm is the one it sends through."""
    assert rows(findings(tmp_path, router, TWO_CALLERS)) == [2]


def test_an_enum_member_or_a_lookup_of_its_value_decides_like_the_string(tmp_path: Path) -> None:
    callers = """\
    ask(Provider.OPENAI, "gpt-4o")
    ask(Provider("openai"), "gpt-4.1")
    ask(Provider.WANDB, "gpt-4o-mini")
    ask(Provider("wandb"), "gpt-4.1-mini")
    """
    assert rows(findings(tmp_path, EQUALS, callers)) == [3, 4]


def test_the_default_decides_for_a_caller_that_passes_no_provider(tmp_path: Path) -> None:
    router = EQUALS.replace("def ask(provider, model)", 'def ask(model, provider="openai")')
    callers = """\
    ask("gpt-4o")
    ask("gpt-4o-mini", provider="wandb")
    ask("gpt-4.1-mini", "wandb")
    """
    assert rows(findings(tmp_path, router, callers)) == [2, 3]


def test_the_test_carries_through_a_function_that_passes_the_provider_on(
    tmp_path: Path,
) -> None:
    router = EQUALS + textwrap.dedent("""\


        def ask_json(provider, model):
            return ask(provider=provider, model=model)
        """)
    callers = """\
    from router import ask_json
    ask_json("openai", "gpt-4o")
    ask_json(Provider.WANDB, "gpt-4o-mini")
    """
    assert rows(findings(tmp_path, router, callers)) == [3]


@pytest.mark.parametrize(
    ("router", "callers"),
    [
        # a provider read at run time
        (EQUALS, 'ask(os.environ["PROVIDER"], "gpt-4o")\n'),
        # a value no member has: Enum's `_missing_` may map it to any member
        (EQUALS, 'ask(Provider("wb"), "gpt-4o")\n'),
        # `in` a string is a substring test: "wb" is in "wandb, wb"
        (EQUALS.replace('provider == "wandb"', 'provider in "wandb, wb"'), 'ask("wb", "gpt-4o")\n'),
        # the name tested is not what the caller passed
        (
            EQUALS.replace("    if", "    provider = provider.lower()\n    if"),
            'ask("WANDB", "gpt-4o")\n',
        ),
        # a test of something else than a name
        (
            EQUALS.replace('provider == "wandb"', 'provider.lower() == "wandb"'),
            'ask("WandB", "gpt-4o")\n',
        ),
        # `or`: either side may hold
        (
            EQUALS.replace('provider == "wandb"', 'provider == "wandb" or model'),
            'ask("openai", "gpt-4o")\n',
        ),
    ],
    ids=["environment", "_missing_", "substring", "rebound", "method", "or"],
)
def test_a_caller_the_test_cannot_be_decided_for_keeps_its_finding(
    tmp_path: Path, router: str, callers: str
) -> None:
    assert rows(findings(tmp_path, router, callers)) == [1]


@pytest.mark.parametrize(
    "members",
    [
        '    WANDB = "wandb"\n    OPENAI = enum.auto()\n',
        '    WANDB = "wandb"\n    OPENAI = "openai"\n\n'
        "    def __eq__(self, other):\n        return True\n",
    ],
    ids=["auto", "__eq__"],
)
def test_an_enum_member_whose_value_is_not_known_or_compares_its_own_way_decides_nothing(
    tmp_path: Path, members: str
) -> None:
    router = EQUALS.replace('provider == "wandb"', "provider == Mode.WANDB") + (
        "\n\nclass Mode(str, enum.Enum):\n" + members
    )
    router = "import enum\n" + router
    callers = 'from router import Mode\nask(Mode("openai"), "gpt-4o")\n'
    assert rows(findings(tmp_path, router, callers)) == [2]


def test_an_enum_in_a_module_without_w_and_b_words_decides_alone_and_in_the_project(
    tmp_path: Path,
) -> None:
    """The Enum's module holds nothing a partial read keeps for its own sake: linting the
    callers alone must still read its members, and find what the whole project finds."""
    router = """\
    from backends import Backend


    def ask(backend, model):
        if backend == Backend.HOSTED:
            return to_wandb(model)
        return elsewhere(model)
    """
    callers = """\
    from backends import Backend
    ask(Backend("local"), "gpt-4o")
    ask(Backend.HOSTED, "gpt-4o-mini")
    """
    (tmp_path / ".git").mkdir()  # the project's root (`--isolated` reads no lint-wb.toml)
    (tmp_path / "backends.py").write_text(
        "from enum import Enum\n\n\nclass Backend(Enum):\n"
        '    LOCAL = "local"\n    HOSTED = "hosted"\n'
    )
    whole = findings(tmp_path, router, callers)
    assert rows(whole) == [3]
    args = ["--isolated", "--no-cache", "--output-format", "json", str(tmp_path / "callers.py")]
    alone = json.loads(make_runner().invoke(main, args).stdout)
    assert [row["location"]["row"] - 5 for row in alone] == [3]


@pytest.mark.parametrize(
    "case",
    [
        'case "wandb":',
        "case Provider.WANDB:",
        'case "wb" | Provider.WANDB:',
        'case "wandb" if model:',
    ],
)
def test_a_match_case_narrows_like_an_if(tmp_path: Path, case: str) -> None:
    router = f"""\
    def ask(provider, model):
        match provider:
            {case}
                return to_wandb(model)
            case _:
                return elsewhere(model)
    """
    assert rows(findings(tmp_path, router, TWO_CALLERS)) == [2]


def test_a_capture_pattern_narrows_nothing(tmp_path: Path) -> None:
    router = """\
    def ask(provider, model):
        match provider:
            case "openai":
                return elsewhere(model)
            case other:
                return to_wandb(model)
    """
    callers = 'ask("anthropic", "claude-3-5-haiku")\n'
    assert rows(findings(tmp_path, router, callers)) == [1]


WANDB_CLIENT = 'OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="k")'
SEEN_BY_THE_REQUEST = {
    "the last binding is in the arm": (
        f"def ask(flag):\n    client = OpenAI()\n    if flag:\n        client = {WANDB_CLIENT}\n"
        "        client.chat.completions.create(model='m', messages=[], temperature=3)\n",
        [5],
    ),
    "an arm the request is not in": (
        f"def ask(flag):\n    client = OpenAI()\n    if flag:\n        client = {WANDB_CLIENT}\n"
        "    client.chat.completions.create(model='m', messages=[], temperature=3)\n",
        [],
    ),
    "rebound on the loop's next turn": (
        f"def ask(flag):\n    client = {WANDB_CLIENT}\n    while flag:\n"
        "        client.chat.completions.create(model='m', messages=[], temperature=3)\n"
        "        client = OpenAI()\n",
        [],
    ),
    "rebound before the loop's end": (
        "def ask(flag):\n    client = OpenAI()\n    for _ in flag:\n"
        f"        client = {WANDB_CLIENT}\n"
        "        client.chat.completions.create(model='m', messages=[], temperature=3)\n"
        "        client = OpenAI()\n",
        [5],
    ),
    "rebound by a function through global": (
        f"client = {WANDB_CLIENT}\n"
        "client.chat.completions.create(model='m', messages=[], temperature=3)\n\n\n"
        "def reset():\n    global client\n    client = OpenAI()\n\n\nclient = OpenAI()\n",
        [],
    ),
}


@pytest.mark.parametrize(
    ("code", "expected"), SEEN_BY_THE_REQUEST.values(), ids=list(SEEN_BY_THE_REQUEST)
)
def test_a_request_sends_through_the_binding_every_way_to_it_passes_last(
    tmp_path: Path, code: str, expected: list[int]
) -> None:
    """A name bound to a W&B client and to another: the request is W&B's to judge only
    where the W&B binding is the last one made on every way to it."""
    (tmp_path / "app.py").write_text("from openai import OpenAI\n\n" + code)
    args = ["--isolated", "--no-cache", "--output-format", "json", str(tmp_path)]
    result = make_runner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    found = [
        row["location"]["row"] - 2 for row in json.loads(result.stdout) if row["code"] == "WB301"
    ]
    assert found == expected


GET_CLIENT = """\
import os
from openai import OpenAI

WANDB = "https://api.inference.wandb.ai/v1"


def get_client(provider):
    if provider == "wandb":
        return OpenAI(base_url=WANDB, api_key=os.environ["WANDB_API_KEY"])
    return OpenAI(api_key=os.environ["OPENAI_API_KEY"])
"""
GET_CLIENT_UNLESS = """\
import os
from openai import OpenAI


def get_client(provider):
    if provider != "wandb":
        return OpenAI(api_key=os.environ["OPENAI_API_KEY"])
    return OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="k")
"""
ASK = 'chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])'


@pytest.mark.parametrize(
    "factory",
    [
        GET_CLIENT,
        GET_CLIENT.replace("    return OpenAI(api_key", "    else:\n        return OpenAI(api_key"),
        GET_CLIENT.replace('provider == "wandb"', 'provider in ("wandb", "wb")'),
        GET_CLIENT_UNLESS,
    ],
    ids=["early return", "else", "in tuple", "!= early return"],
)
def test_a_factory_returns_the_client_of_the_arm_its_caller_passes(
    tmp_path: Path, factory: str
) -> None:
    """`get_client("wandb")` gets only what the W&B arm returns, so its request is W&B's
    to judge; `get_client("openai")` gets the other client, and a provider read at run time
    may get either (neither is judged)."""
    (tmp_path / "clients.py").write_text(factory)
    (tmp_path / "app.py").write_text(
        "import os\n\nfrom clients import get_client\n\n"
        f"get_client('wandb').{ASK}\n"
        f"get_client('openai').{ASK}\n"
        f"get_client(os.environ['PROVIDER']).{ASK}\n"
    )
    args = ["--isolated", "--no-cache", "--output-format", "json", str(tmp_path)]
    result = make_runner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    found = [(Path(r["filename"]).name, r["location"]["row"]) for r in json.loads(result.stdout)]
    assert found == [("app.py", 5)]


def test_what_follows_an_arm_that_returns_stands_behind_the_failed_test(tmp_path: Path) -> None:
    """The calls after `if provider == "openai": return ...` run only where the provider is
    not "openai": a caller that passes it sends nothing to them."""
    router = """\
    def ask(provider, model):
        if provider == "openai":
            return elsewhere(model)
        return to_wandb(model)
    """
    assert rows(findings(tmp_path, router, TWO_CALLERS)) == [2]
