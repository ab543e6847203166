"""A dataclass's or a pydantic model's fields are what its constructor is given (SPEC §2,
"Values are followed through the whole project"): `Scorer(model_provider="wandb")` sends its
model to W&B, the default one included, and an instance left on another provider sends
nothing there. Where the instance a method runs on is not known (it comes from a caller out
of sight), a field is its default, as before."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from tests.cli_runner import make_runner

ROUTER = """\
import os

from openai import OpenAI

wandb = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])
other = OpenAI(api_key=os.environ["OPENAI_API_KEY"])


def complete(provider, model):
    if provider == "wandb":
        return on_wandb(model)
    return elsewhere(model)


def on_wandb(model):
    return wandb.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])


def elsewhere(model):
    return other.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])
"""
PYDANTIC = """\
from pydantic import BaseModel

from router import complete


class Scorer(BaseModel):
    provider: str = "openai"
    model: str = "gpt-4.1-mini"

    def score(self):
        return complete(self.provider, self.model)
"""
DATACLASS = """\
from dataclasses import dataclass

from router import complete


@dataclass
class Scorer:
    provider: str = "openai"
    model: str = "gpt-4.1-mini"

    def score(self):
        return complete(self.provider, self.model)
"""


def reported(tmp_path: Path, scorers: str, app: str) -> list[str]:
    """The model IDs lint-wb reports (WB501/WB502), in the order of the files and rows."""
    (tmp_path / "router.py").write_text(ROUTER)
    (tmp_path / "scorers.py").write_text(textwrap.dedent(scorers))
    (tmp_path / "app.py").write_text("from scorers import Scorer\n\n" + textwrap.dedent(app))
    args = ["--isolated", "--no-cache", "--output-format", "json", str(tmp_path)]
    result = make_runner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    rows = sorted(json.loads(result.stdout), key=lambda r: (r["filename"], r["location"]["row"]))
    found = []
    for row in rows:
        match = re.match(r"Model '([^']*)'", row["message"])
        if row["code"] in ("WB501", "WB502") and match:
            found.append(match.group(1))
    return found


@pytest.mark.parametrize("scorers", [PYDANTIC, DATACLASS], ids=["pydantic", "dataclass"])
def test_a_constructor_keyword_is_the_fields_value(tmp_path: Path, scorers: str) -> None:
    app = """\
    Scorer().score()
    Scorer(provider="wandb").score()
    Scorer(provider="wandb", model="o3").score()
    Scorer(model="gpt-4o").score()
    """
    assert reported(tmp_path, scorers, app) == ["o3", "gpt-4.1-mini"]


def test_a_dataclass_takes_its_fields_by_position_too(tmp_path: Path) -> None:
    app = """\
    Scorer("wandb").score()
    Scorer("wandb", "o3").score()
    Scorer("openai", "gpt-4o").score()
    """
    assert reported(tmp_path, DATACLASS, app) == ["o3", "gpt-4.1-mini"]


def test_the_field_order_skips_what_the_constructor_does_not_take_by_position(
    tmp_path: Path,
) -> None:
    scorers = DATACLASS.replace(
        '    provider: str = "openai"\n',
        "    limit: ClassVar[int] = 3\n"
        "    cache: dict = field(init=False, default_factory=dict)\n"
        '    provider: str = "openai"\n'
        '    team: str = field(default="", kw_only=True)\n',
    ).replace("import dataclass", "import dataclass, field\nfrom typing import ClassVar")
    app = """\
    Scorer("wandb", "o3").score()
    Scorer("openai", "gpt-4o").score()
    """
    assert reported(tmp_path, scorers, app) == ["o3"]


def test_a_field_read_off_an_instance_is_what_it_was_built_with(tmp_path: Path) -> None:
    app = """\
    from router import on_wandb

    settings = Scorer(model="moonshotai/kimi-k2.6")
    on_wandb(settings.model)
    """
    assert reported(tmp_path, PYDANTIC, app) == ["moonshotai/kimi-k2.6"]


@pytest.mark.parametrize(
    ("scorers", "app"),
    [
        # the instance comes from a caller out of sight
        (PYDANTIC + "\n\ndef run(scorer):\n    return scorer.score()\n", ""),
        # a class with its own `__init__` sets its fields its own way
        (
            PYDANTIC.replace(
                "    def score(self):",
                "    def __init__(self, **data):\n        super().__init__(**data)\n\n"
                "    def score(self):",
            ),
            'Scorer(provider="wandb", model="o3").score()\n',
        ),
    ],
    ids=["caller out of sight", "own __init__"],
)
def test_an_instance_not_known_keeps_the_defaults(tmp_path: Path, scorers: str, app: str) -> None:
    assert reported(tmp_path, scorers, app) == []


def test_a_spread_may_set_any_field(tmp_path: Path) -> None:
    app = """\
    import json

    Scorer(**json.load(open("scorer.json"))).score()
    """
    assert reported(tmp_path, PYDANTIC, app) == ["gpt-4.1-mini"]


def test_a_field_a_method_sets_is_also_what_the_method_sets_it_to(tmp_path: Path) -> None:
    scorers = PYDANTIC + '\n    def upgrade(self):\n        self.model = "o4-mini"\n'
    app = 'Scorer(provider="wandb", model="o3").score()\n'
    assert reported(tmp_path, scorers, app) == ["o3", "o4-mini"]


def test_an_instance_that_may_be_one_built_out_of_sight_keeps_the_defaults(
    tmp_path: Path,
) -> None:
    scorers = PYDANTIC.replace('provider: str = "openai"', 'provider: str = "wandb"')
    app = """\
    import pickle

    scorer = Scorer(provider="openai", model="gpt-4o") if __debug__ else pickle.load(open("s"))
    scorer.score()
    """
    assert reported(tmp_path, scorers, app) == ["gpt-4.1-mini"]


def test_a_field_read_off_instances_built_from_it_ends(tmp_path: Path) -> None:
    """`ask(Name(name.text + "-next"))` inside `ask`: the field is read off an instance built
    from that same field, without end. The resolution cuts the cycle (as for a name): the
    index is built and the model sent is judged, where it used to fail with RecursionError
    and lose the index."""
    (tmp_path / "app.py").write_text(
        textwrap.dedent(
            """\
            from dataclasses import dataclass

            from openai import OpenAI

            client = OpenAI(base_url="https://api.inference.wandb.ai/v1")


            @dataclass(frozen=True)
            class Name:
                text: str


            def ask(name):
                content = [{"role": "user", "content": "hi"}]
                client.chat.completions.create(model=name.text, messages=content)
                return ask(Name(name.text + "-next"))


            ask(Name("gpt-4o"))
            """
        )
    )
    args = ["--isolated", "--no-cache", "--output-format", "json", str(tmp_path)]
    result = make_runner().invoke(main, args)
    assert "could not build the project index" not in result.stderr
    rows = json.loads(result.stdout)
    assert sorted((row["code"], row["location"]["row"]) for row in rows) == [
        ("WB501", 16),
        ("WB501", 19),
    ]
