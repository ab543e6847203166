"""WB107's fix renames the variable where a W&B client's key is read; when that read is kept
in a name or `self.<attr>` that something not W&B's also reads, the fix is dropped (the
finding stays): the rewritten read would send the W&B key there too (`rules/key_readers.py`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lint_wb.cli.main import main
from lint_wb.findings import Finding
from tests.cli_runner import make_runner
from tests.test_porting import findings

HEAD = (
    "import os\n"
    "import litellm\n"
    "from openai import OpenAI\n"
    'W = "https://api.inference.wandb.ai/v1"\n'
    'G = "https://api.groq.com/openai/v1"\n'
    'KEY = os.getenv("GROQ_API_KEY")\n'
    "w = OpenAI(base_url=W, api_key=KEY)\n"
)

SHARED = {
    "another base URL": "g = OpenAI(base_url=G, api_key=KEY)\n",
    "a LiteLLM call": 'litellm.completion(model="groq/llama-3.3-70b", messages=[], api_key=KEY)\n',
    "a header": 'headers = {"Authorization": f"Bearer {KEY}"}\n',
    "a helper": "def make(key):\n    return key\nmake(KEY)\n",
    "a rebinding": "OTHER = KEY\n",
    "a return": "def key():\n    return KEY\n",
    "a test that calls": "if len(KEY) > 3:\n    pass\n",
    "a store on an object": "class Box:\n    pass\nBox.key = KEY\n",
}

NOT_SHARED = {
    "alone": "",
    "a second W&B client": "w2 = OpenAI(base_url=W, api_key=KEY)\n",
    "a test": "if not KEY:\n    raise SystemExit(1)\n",
    "a comparison": "assert KEY is not None\n",
    "a global statement": "def reset():\n    global KEY\n    KEY = None\n",
    "another function's own KEY": (
        'def other():\n    KEY = os.getenv("OPENAI_API_KEY")\n    OpenAI(base_url=G, api_key=KEY)\n'
    ),
}


def _wb107(source: str) -> Finding:
    found = [f for f in findings(source, assume=False, codes=frozenset({"WB107"}))]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("reader", list(SHARED), ids=list(SHARED))
def test_a_read_shared_with_something_not_wandb_gets_no_fix(reader: str) -> None:
    found = _wb107(HEAD + SHARED[reader])
    assert found.fix is None
    assert "No fix: 'KEY' is also read by" in found.message


@pytest.mark.parametrize("reader", list(NOT_SHARED), ids=list(NOT_SHARED))
def test_a_read_only_wandb_clients_send_keeps_its_fix(reader: str) -> None:
    source = HEAD + NOT_SHARED[reader]
    if reader == "a global statement":
        return  # `KEY` bound twice: not followed, so not reported (no fix to keep)
    found = findings(source, assume=False, codes=frozenset({"WB107"}))
    assert found, reader
    assert all(finding.fix is not None for finding in found), [f.message for f in found]


def test_a_key_kept_on_self_read_by_another_client_gets_no_fix() -> None:
    source = (
        "import os\n"
        "from openai import OpenAI\n"
        "class Both:\n"
        "    def __init__(self):\n"
        '        self.key = os.getenv("GROQ_API_KEY")\n'
        "    def wandb(self):\n"
        '        return OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=self.key)\n'
        "    def groq(self):\n"
        '        return OpenAI(base_url="https://api.groq.com/openai/v1", api_key=self.key)\n'
    )
    found = _wb107(source)
    assert found.fix is None
    assert "'self.key' is also read by OpenAI given 'https://api.groq.com/openai/v1'" in (
        found.message
    )


HOLDER = (
    "import os\n"
    "from openai import OpenAI\n"
    "class Holder:\n"
    "    def __init__(self):\n"
    '        self.key = os.getenv("GROQ_API_KEY")\n'
    "    def wandb(self):\n"
    '        return OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=self.key)\n'
    "holder = Holder()\n"
    'name = "key"\n'
)


def test_an_instance_attribute_read_elsewhere_counts_as_a_reader() -> None:
    """`holder.key` may be the attribute of an instance of the class: which object it is,
    is not known, so it is taken for a read of the binding."""
    groq = 'groq = OpenAI(base_url="https://api.groq.com/openai/v1", api_key=holder.key)\n'
    assert _wb107(HOLDER + groq).fix is None


STORES = {
    "assignment": "holder.key = 'x'\n",
    "augmented": "holder.key += 'x'\n",
    "tuple target": "holder.key, other = 'x', 1\n",
    "for target": "for holder.key in []:\n    pass\n",
    "setattr": "setattr(holder, 'key', 'x')\n",
    "setattr by a name": "setattr(holder, name, 'x')\n",
    "__setattr__": "holder.__setattr__('key', 'x')\n",
    "vars": "vars(holder)['key'] = 'x'\n",
    "__dict__": "holder.__dict__['key'] = 'x'\n",
    "__dict__ update": "holder.__dict__.update(key='x')\n",
    "vars update": "vars(holder).update(key='x')\n",
    "in a function": "def swap_the_holders_key(h):\n    h.key = 'x'\n",
}


@pytest.mark.parametrize("store", list(STORES), ids=list(STORES))
def test_self_key_stored_from_outside_the_class_is_not_known(store: str) -> None:
    """The store may be on an instance of the class: `self.key` is then not the read of
    `__init__`, and WB107 (with its fix renaming that read) would be false."""
    assert findings(HOLDER + STORES[store], assume=False, codes=frozenset({"WB107"})) == []


def test_another_attribute_stored_from_outside_leaves_self_key_known() -> None:
    found = findings(HOLDER + "holder.other = 'x'\n", assume=False, codes=frozenset({"WB107"}))
    assert [f.code for f in found] == ["WB107"]


@pytest.mark.parametrize("read", ["print(vars(holder))", "print(holder.__dict__)"])
def test_reading_an_objects_attribute_dict_leaves_self_key_known(read: str) -> None:
    """Only a change of the dict (`vars(o)[k] = v`, `o.__dict__.update(...)`) may store."""
    found = findings(HOLDER + read + "\n", assume=False, codes=frozenset({"WB107"}))
    assert [f.code for f in found] == ["WB107"]


OTHER_OBJECTS = (
    "import argparse\n"
    "from types import SimpleNamespace\n"
    "parser = argparse.ArgumentParser()\n"
    "class Settings:\n"
    "    pass\n"
    "def build_parser():\n"
    "    return argparse.ArgumentParser()\n"
)

NO_INSTANCE_STORES = {
    "parse_args": "args = parser.parse_args()\nargs.key = args.key or 'x'\n",
    "parse_args(argv)": "args = parser.parse_args(['--x'])\nargs.key = 'x'\n",
    "parser made in the call": "args = argparse.ArgumentParser().parse_args()\nargs.key = 'x'\n",
    "parser from a function": "args = build_parser().parse_args()\nargs.key = 'x'\n",
    "in a function": "def cli():\n    args = parser.parse_args()\n    args.key = 'x'\n",
    "Namespace": "ns = argparse.Namespace()\nns.key = 'x'\n",
    "SimpleNamespace": "ns = SimpleNamespace()\nns.key = 'x'\n",
    "another class": "cfg = Settings()\ncfg.key = 'x'\n",
    "setattr": "args = parser.parse_args()\nsetattr(args, 'key', 'x')\n",
    "setattr by a name": "args = parser.parse_args()\nsetattr(args, name, 'x')\n",
    "vars": "args = parser.parse_args()\nvars(args)['key'] = 'x'\n",
    "__dict__ update": "args = parser.parse_args()\nargs.__dict__.update(key='x')\n",
}
"""Stores on an object that cannot be an instance of `Holder`: `self.key` stays known."""

MAYBE_INSTANCE_STORES = {
    "namespace= given": "args = parser.parse_args(namespace=holder)\nargs.key = 'x'\n",
    "namespace given second": "args = parser.parse_args(None, holder)\nargs.key = 'x'\n",
    "a subclass": "class Sub(Holder):\n    pass\ncfg = Sub()\ncfg.key = 'x'\n",
    "the class": "cfg = Holder()\ncfg.key = 'x'\n",
    "bound twice": "args = parser.parse_args()\nargs = holder\nargs.key = 'x'\n",
    "a parameter": "def fill(args):\n    args.key = 'x'\n",
    "a call of something else": "args = make()\nargs.key = 'x'\n",
    "another parser class": (
        "class MyParser:\n    def parse_args(self):\n        return holder\n"
        "args = MyParser().parse_args()\nargs.key = 'x'\n"
    ),
    "a base not named": "class Odd(make()):\n    pass\ncfg = Odd()\ncfg.key = 'x'\n",
    "an attribute": "parser.ns.key = 'x'\n",
    "object.__setattr__": "object.__setattr__(holder, 'key', 'x')\n",
}
"""Stores on what may be an instance of `Holder` (or is not known): `self.key` is not known."""


@pytest.mark.parametrize("store", list(NO_INSTANCE_STORES), ids=list(NO_INSTANCE_STORES))
def test_a_store_on_an_object_that_is_no_instance_leaves_self_key_known(store: str) -> None:
    """`args.key = ...` on `args = parser.parse_args()` cannot change `Holder`'s `self.key`:
    WB107 is reported, and its fix kept (a read of `args.key` is no read of the key)."""
    found = _wb107(HOLDER + OTHER_OBJECTS + NO_INSTANCE_STORES[store])
    assert found.fix is not None, found.message


@pytest.mark.parametrize("store", list(MAYBE_INSTANCE_STORES), ids=list(MAYBE_INSTANCE_STORES))
def test_a_store_on_what_may_be_an_instance_leaves_self_key_unknown(store: str) -> None:
    source = HOLDER + OTHER_OBJECTS + MAYBE_INSTANCE_STORES[store]
    assert findings(source, assume=False, codes=frozenset({"WB107"})) == []


@pytest.mark.parametrize(
    "settings",
    ['{"api_key": KEY}', '{"api_key": os.getenv("GROQ_API_KEY")}'],
    ids=["a name", "written in the dict"],
)
def test_a_settings_dict_spread_into_another_providers_client_gets_no_fix(settings: str) -> None:
    """`**CFG` gives both clients the same `api_key` expression: the Groq client reads it."""
    source = (
        HEAD
        + f"CFG = {settings}\n"
        + "w3 = OpenAI(base_url=W, **CFG)\n"
        + "g3 = OpenAI(base_url=G, **CFG)\n"
    )
    found = [f for f in findings(source, assume=False, codes=frozenset({"WB107"}))]
    spread = [f for f in found if f.location.row >= 8]
    assert spread and all(f.fix is None for f in spread), [f.message for f in found]
    assert all("(not a W&B client)" in f.message for f in spread)


@pytest.mark.parametrize(
    ("bound", "wandb", "groq"),
    [
        ('os.getenv("GROQ_API_KEY")', "KEY2.strip()", "KEY2"),
        ('os.getenv("GROQ_API_KEY").strip()', "KEY2", "KEY2.strip()"),
    ],
    ids=["stripped in the call", "stripped where bound"],
)
def test_a_read_shared_through_a_strip_gets_no_fix(bound: str, wandb: str, groq: str) -> None:
    """WB107 follows `.strip()` to the read it renames: so does the search for its readers."""
    source = (
        HEAD
        + f"KEY2 = {bound}\n"
        + f"w2 = OpenAI(base_url=W, api_key={wandb})\n"
        + f"g2 = OpenAI(base_url=G, api_key={groq})\n"
    )
    found = findings(source, assume=False, codes=frozenset({"WB107"}))
    (shared,) = [f for f in found if f.location.row == 9]
    assert shared.fix is None and "'KEY2' is also read by OpenAI given" in shared.message


SETTINGS = (
    "import os\n"
    "from openai import OpenAI\n"
    'KEY = os.getenv("GROQ_API_KEY")\n'
    'wb = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=KEY)\n'
)

IMPORTED_SHARED = {
    "Groq's own SDK": (
        "from groq import Groq\nfrom settings import KEY\ng = Groq(api_key=KEY)\n"
        'g.chat.completions.create(model="llama-3.3-70b-versatile", messages=[])\n'
    ),
    "a client with no request": (
        "from openai import OpenAI\nfrom settings import KEY\n"
        'g = OpenAI(base_url="https://api.groq.com/openai/v1", api_key=KEY)\n'
    ),
    "a LiteLLM call": (
        "import litellm\nfrom settings import KEY\n"
        'litellm.completion(model="groq/llama-3.3-70b", messages=[], api_key=KEY)\n'
    ),
    "a module import": "import settings\nfrom groq import Groq\ng = Groq(api_key=settings.KEY)\n",
    "an environment store": (
        'import os\nfrom settings import KEY\nos.environ["OPENAI_API_KEY"] = KEY\n'
    ),
    "an alias": "from groq import Groq\nfrom settings import KEY as K\ng = Groq(api_key=K)\n",
    "an import with a fallback": (
        "import os\nfrom groq import Groq\ntry:\n    from settings import KEY\n"
        'except ImportError:\n    KEY = os.getenv("GROQ_API_KEY")\ng = Groq(api_key=KEY)\n'
    ),
    "a fallback import": (
        'import os\nfrom groq import Groq\nKEY = os.getenv("X")\nif not KEY:\n'
        "    from settings import KEY\ng = Groq(api_key=KEY)\n"
    ),
    "getattr": (
        'import settings\nfrom groq import Groq\nKEY = getattr(settings, "KEY")\n'
        "g = Groq(api_key=KEY)\n"
    ),
    "a lambda": (
        "from groq import Groq\nfrom settings import KEY\nmake = lambda: Groq(api_key=KEY)\n"
    ),
    "an import the index cannot resolve": (
        "from groq import Groq\nfrom vendored.settings import KEY\ng = Groq(api_key=KEY)\n"
    ),
}

IMPORTED_NOT_SHARED = {
    "a W&B client": (
        "from openai import OpenAI\nfrom settings import KEY\n"
        'w = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=KEY)\n'
        'w.chat.completions.create(model="openai/gpt-oss-120b", messages=[])\n'
    ),
    "no import of it": (
        "from groq import Groq\nfrom settings import wb\ng = Groq(api_key=None)\n"
        'wb.chat.completions.create(model="openai/gpt-oss-120b", messages=[])\n'
    ),
}


def _settings_wb107(tmp_path: Path, importer: str) -> dict[str, Any]:
    """WB107 on the W&B client of `settings.py` beside `b.py` (`importer`), the two given."""
    (tmp_path / "settings.py").write_text(SETTINGS)
    (tmp_path / "b.py").write_text(importer)
    paths = [str(tmp_path / "settings.py"), str(tmp_path / "b.py")]
    args = ["--no-cache", "--unsafe-fixes", "--output-format", "json", *paths]
    result = make_runner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    rows = [r for r in json.loads(result.stdout) if r["code"] == "WB107"]
    (row,) = [r for r in rows if r["filename"].endswith("settings.py")]
    return dict(row)


@pytest.mark.parametrize("importer", list(IMPORTED_SHARED), ids=list(IMPORTED_SHARED))
def test_a_read_another_module_imports_for_something_not_wandb_gets_no_fix(
    importer: str, tmp_path: Path
) -> None:
    """Whatever reads the imported name there: another SDK's client, a library call, a
    client that makes no request in that module, a use the index cannot tell apart."""
    row = _settings_wb107(tmp_path, IMPORTED_SHARED[importer])
    assert row["fix"] is None, row["message"]
    assert "No fix: 'KEY' is also" in row["message"]


@pytest.mark.parametrize("importer", list(IMPORTED_NOT_SHARED), ids=list(IMPORTED_NOT_SHARED))
def test_a_read_imported_by_wandb_clients_alone_keeps_its_fix(
    importer: str, tmp_path: Path
) -> None:
    row = _settings_wb107(tmp_path, IMPORTED_NOT_SHARED[importer])
    assert row["fix"] is not None, row["message"]
