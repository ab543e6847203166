"""Which modules in reach of a W&B signal the project index reads (SPEC §9: "parse only what
can hold W&B code"): on fixtures/projects/imported_everywhere, marimo's shape, where every
page imports the settings module that names W&B, directly or through the package, and the
package re-exports a renamed client class; and `carried.CarriedReach` on small projects."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from lint_wb.project import build
from lint_wb.project.carried import CarriedReach, edges, statements
from tests.engine_reads import record_parses, record_summaries
from tests.test_projects import copy_project, expected, lint

CALLERS = {"studio.ai_assistant", "studio.ai_mirror", "studio.ai_server", "studio.ai_spoken"}
"""The modules that build or ask the W&B client: by the renamed class's name, re-exported,
renamed again, passed on by a star import."""


def test_importers_for_other_names_are_never_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project("imported_everywhere", tmp_path)
    made = record_summaries(monkeypatch)
    parsed = record_parses(monkeypatch)
    found, messages = lint(root, root, extra=("--jobs", "1"))
    assert found == expected(root), "\n".join(messages)
    assert set(made) >= CALLERS
    assert [module for module in made if module.startswith("studio.pages")] == []
    assert [text for text in parsed if "def render(" in text or "def check_" in text] == []


def test_a_module_that_calls_the_renamed_class_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that starts calling the class by the package's name for it (`studio.Inference`)
    is summarised, and its client's URL is reported."""
    root = copy_project("imported_everywhere", tmp_path)
    page = root / "studio" / "pages" / "page_03.py"
    built = 'late = studio.Inference(base_url="https://api.wandb.ai/v1")  # WB101\n'
    page.write_text(page.read_text() + "\n\n" + built)
    made = record_summaries(monkeypatch)
    found, messages = lint(root, root, extra=("--jobs", "1"))
    assert "studio.pages.page_03" in made
    assert found == expected(root), "\n".join(messages)
    assert ("studio/pages/page_03.py", 11, "WB101") in found


URL = '"https://api.inference.wandb.ai/v1"'


def reach(texts: dict[str, str], roots: list[str]) -> set[str]:
    """`CarriedReach` over modules named by their dotted names (no packages), each root's
    statements signalled by the W&B host."""
    data = {module: text.encode() for module, text in texts.items()}
    importers: dict[str, set[str]] = {}
    for module, text in data.items():
        for line in build.import_statements(text):
            for edge in edges([line], "", lambda name: name if name in data else None):
                importers.setdefault(edge.target, set()).add(module)
    carried = CarriedReach(
        data,
        dict.fromkeys(data, ""),
        importers,
        lambda module: {m for m, found in importers.items() if module in found},
        lambda name: name if name in data else None,
        build.import_statements,
        lambda module, text: b"wandb.ai" in text,
    )
    return carried.reach(roots)


SETTINGS = f"""
from typing import TypedDict

class AiConfig(TypedDict):
    wandb: dict[str, str]

URL = {URL}
"""


def test_only_importers_of_what_carries_are_in_reach() -> None:
    texts = {
        "settings": SETTINGS,
        "llm": "from settings import URL\n\ndef client():\n    return OpenAI(base_url=URL)\n",
        "app": "from llm import client\n\nreply = client().chat.completions.create()\n",
        "whole": "import settings\n\nprint(settings.AiConfig)\n",
        "typed": "from settings import AiConfig\n\ndef show(c: AiConfig): ...\n",
        "typed_user": "from typed import show\n\nshow({})\n",
        "starred": "from llm import *\n",
        "via_star": "from starred import client\n",
        "other_name": "from llm import OpenAI\n",
    }
    assert reach(texts, ["settings"]) == {"settings", "llm", "app", "whole", "starred", "via_star"}


@pytest.mark.parametrize(
    "change",
    [
        f"openai.base_url = {URL}",
        f'os.environ["OPENAI_BASE_URL"] = {URL}',
        f'os.environ.setdefault("OPENAI_BASE_URL", {URL})',
        f'BASE = os.environ.setdefault("OPENAI_BASE_URL", {URL})',
        f"configure({URL})",
        f"if ready:\n    set_default_openai_client(OpenAI(base_url={URL}))",
        f"with use_url({URL}):\n    pass",
    ],
)
def test_a_change_of_state_reaches_every_importer(change: str) -> None:
    """What the settings change when they run reaches a module that imports them for any
    name, and that module's importers, as every importer did before."""
    texts = {
        "settings": SETTINGS + change + "\n",
        "typed": "from settings import AiConfig\n",
        "typed_user": "from typed import show\n",
    }
    assert reach(texts, ["settings"]) == {"settings", "typed", "typed_user"}


@pytest.mark.parametrize(
    "quiet",
    [
        f'if __name__ == "__main__":\n    configure({URL})',
        f"@register({URL})\ndef ask(): ...",
        f"CLIENT = OpenAI(base_url={URL})",
        f'KEY = os.environ.get("WANDB_API_KEY", {URL})',
        f"try:\n    import openai\nexcept ImportError:\n    URL2 = {URL}",
        f'class Keys:\n    def set(self):\n        os.environ["OPENAI_BASE_URL"] = {URL}',
    ],
)
def test_a_binding_changes_nothing_other_modules_see(quiet: str) -> None:
    texts = {"settings": SETTINGS + quiet + "\n", "typed": "from settings import AiConfig\n"}
    assert reach(texts, ["settings"]) == {"settings"}


@pytest.mark.parametrize(
    "binding",
    [
        "CLIENT = make(\nURL)",  # a call's argument at column 0
        "try:\n    from settings import URL as CLIENT\nexcept ImportError:\n    CLIENT = None",
        "if URL:\n    CLIENT = make(URL)",
        "for CLIENT in [URL]:\n    pass",
        "with open(URL) as CLIENT:\n    pass",
        "def make():\n    global CLIENT\n    CLIENT = URL",
        "class Settings:\n    base = URL\nCLIENT = Settings",
        "from settings import URL\nCLIENT = URL",
    ],
)
def test_what_a_carrying_statement_binds_carries(binding: str) -> None:
    texts = {
        "settings": SETTINGS,
        "llm": "from settings import URL\n" + binding + "\n",
        "app": "from llm import CLIENT\n",
    }
    assert reach(texts, ["settings"]) == {"settings", "llm", "app"}


def test_a_module_getattr_passes_on_every_name() -> None:
    texts = {
        "settings": SETTINGS,
        "lazy": "import settings\n\ndef __getattr__(name):\n    return getattr(settings, name)\n",
        "app": "from lazy import anything\n",
    }
    assert reach(texts, ["settings"]) == {"settings", "lazy", "app"}


def test_statements_are_cut_outside_brackets_and_strings() -> None:
    text = b'x = f(\nURL)\ns = """\nhello\n"""\ny = 1 + \\\n2\n@dec\n\ndef g(): ...\nelse_ = 1\n'
    assert [piece.text for piece in statements(text)] == [
        b"x = f(\nURL)\n",
        b's = """\nhello\n"""\n',
        b"y = 1 + \\\n2\n",
        b"@dec\n\ndef g(): ...\n",
        b"else_ = 1\n",
    ]
    # a bracket in a string only joins more statements into one piece (what it binds)
    joined = statements(b's = "("\nCLIENT = make(URL)\n')
    assert [piece.text for piece in joined] == [b's = "("\nCLIENT = make(URL)\n']
    assert joined[0].binds == {b"s", b"CLIENT"}


def test_an_import_the_reader_cannot_place_carries_every_name() -> None:
    """A script's import of its neighbour (two folders hold a `client.py`: the byte scan
    names it, `find` does not) may bind anything: every name of the script carries."""
    data = {
        "client[a]": f"URL = {URL}\n".encode(),
        "script[a]": b"import client\n\nask = client.make\n",
        "user": b"from script import ask\n",
    }
    carried = CarriedReach(
        data,
        dict.fromkeys(data, ""),
        {"client[a]": {"script[a]"}, "script[a]": {"user"}},
        lambda module: {"client[a]"} if module == "script[a]" else {"script[a]"},
        lambda name: "script[a]" if name == "script" else None,
        build.import_statements,
        lambda module, text: b"wandb.ai" in text,
    )
    assert carried.reach(["client[a]"]) == set(data)


@pytest.mark.parametrize(
    ("change", "changes"),
    [
        ("openai.base_url = URL", True),
        ("openai.base_url = OTHER", False),
        ("configure(URL)", True),
        ("configure(OTHER)", False),
        ("if ready(URL):\n    pass", True),
        ("if URL:\n    pass", False),
        ("for part in split(URL):\n    pass", True),
        ("match pick(URL):\n    case _:\n        pass", True),
        ("CLIENT = OpenAI(base_url=URL)", False),
    ],
)
def test_a_carried_name_put_into_state_reaches_every_importer(change: str, changes: bool) -> None:
    """A module that imports what carries and, when it runs, may change state with it (not
    a root: no statement of its own holds a signal) reaches every module that imports it,
    for any name; a change made with other words, or a header that calls nothing, does not."""
    texts = {
        "settings": SETTINGS,
        "llm": "from settings import URL\n\n" + change + "\n",
        "typed": "from llm import unrelated\n",
    }
    assert reach(texts, ["settings"]) == (
        {"settings", "llm", "typed"} if changes else {"settings", "llm"}
    )


class _Named:
    """What `build._name_importers` reads of a project: its modules' bytes and importers."""

    def __init__(self, data: dict[str, bytes], importers: dict[str, set[str]]) -> None:
        self.data = data
        self.importers = importers


NAMED = _Named(
    {
        "llm": b"from openai import OpenAI as Chat\n",
        "app": b"from llm import Chat\nTalk = Chat\nSpeak = Chat\nSay = Chat\n",
        "page": b"from app import Talk\n",
        "other": b"import llm\n\nprint(llm)\n",
        "quiet": b"import app\n",
    },
    {"llm": {"app", "other"}, "app": {"page", "quiet"}},
)


def test_names_given_beyond_the_limit_take_every_importer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past `MAX_GIVEN_NAMES` names, every importer of the starts (as before names were
    followed); below it, only the modules that write a name."""
    project = cast("build._Project", NAMED)
    assert build._name_importers(project, ["llm"], {b"Chat"}) == {"llm", "app", "page"}
    monkeypatch.setattr(build, "MAX_GIVEN_NAMES", 3)
    assert build._name_importers(project, ["llm"], {b"Chat"}) == set(NAMED.data)


def test_names_given_at_the_start_beyond_the_limit_are_followed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The limit is on the names a round adds: the names the starts give are followed even
    when they are more than the limit, as long as no module gives another."""
    monkeypatch.setattr(build, "MAX_GIVEN_NAMES", 1)
    project = cast("build._Project", NAMED)
    assert build._name_importers(project, ["app"], {b"Talk", b"Speak", b"Say"}) == {"app", "page"}
