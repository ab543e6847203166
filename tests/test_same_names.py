"""A call resolves to the definition its module imports (SPEC §2, "Values are followed through
the whole project"): when every call of a function is in sight, its parameters are followed
from those calls; a function of the same name in a module that cannot import it (another
definition, a local name) is neither a caller nor a place it is passed on. A method is called
on objects that come from anywhere: every module naming it still counts."""

from __future__ import annotations

from pathlib import Path

from lint_wb.project import build
from tests.test_star_imports import findings, project

LLM = (
    "from openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="key")\n'
    'def ask(question, model="openai/gpt-oss-120b"):\n'
    "    return client.chat.completions.create(\n"
    '        model=model, messages=[{"role": "user", "content": question}]\n'
    "    )\n"
)
CALL = 'llm.ask("hi", model="no-such-model")\n'
OWN_ASK = "def ask(prompt):\n    return prompt\nHANDLERS = [ask]\n"


def test_a_same_named_function_elsewhere_is_not_a_caller(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "llm.py": LLM,
            "app.py": "import llm\n" + CALL,
            "other.py": OWN_ASK + "def run(ask):\n    return ask('x')\n",
            "local.py": "def main(rows):\n    ask = rows[0]\n    return [ask]\n",
        },
    )
    assert findings(root) == [("app.py", 2, "WB501")]


def test_passed_on_where_its_module_is_imported_it_stays_unknown(tmp_path: Path) -> None:
    """The module that passes `ask` on reaches `llm` only by an import spanning lines, or
    as an attribute of its package."""
    passing = {
        "from pkg import (\n    llm,\n)\n": "llm.ask",
        "from pkg import \\\n    llm\n": "llm.ask",
        "import pkg\n": "pkg.llm.ask",
    }
    for number, (imports, passed) in enumerate(passing.items()):
        root = project(
            tmp_path / str(number),
            {
                "pkg/__init__.py": "",
                "pkg/llm.py": LLM,
                "app.py": "from pkg import llm\n" + CALL,
                "jobs.py": f"{imports}HANDLERS = [{passed}]\n",
            },
        )
        assert findings(root) == [], imports


def test_a_method_is_called_from_modules_that_do_not_import_it(tmp_path: Path) -> None:
    """`bot.ask(...)` on an object a module is given: it may be the method."""
    method = LLM.replace("def ask(question", "class Bot:\n    def ask(self, question")
    method = method.replace("\n    return", "\n        return").replace("\n    )", "\n        )")
    root = project(
        tmp_path,
        {
            "llm.py": method + 'Bot().ask("hi", model="no-such-model")\n',
            "other.py": "def run(bot):\n    return bot.ask('x', model='openai/gpt-oss-120b')\n",
        },
    )
    assert findings(root) == []
    (root / "other.py").unlink()
    assert findings(root) == [("llm.py", 8, "WB501")]


def test_the_names_of_an_import_spanning_lines_are_imports(tmp_path: Path) -> None:
    texts = {
        "pkg/__init__.py": "",
        "pkg/llm.py": "",
        "pkg/db.py": "",
        "a.py": "from pkg import (\n    llm,  # the client\n)\n",
        "b.py": "def f():\n    from pkg import \\\n        db\n",
        "c.py": "from pkg import  (db,\n    llm)\n",
        "pkg/d.py": "from . import (\n    db,\n)\n",
    }
    for name, text in texts.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    files = sorted(tmp_path / name for name in texts)
    found = build._Project(files, {path: path.read_bytes() for path in files})
    assert found.imports("a") == {"pkg", "pkg.llm"}
    assert found.imports("b") == {"pkg", "pkg.db"}
    assert found.imports("c") == {"pkg", "pkg.db", "pkg.llm"}
    assert found.imports("pkg.d") == {"pkg", "pkg.db"}


def test_a_call_by_another_name_is_a_caller(tmp_path: Path) -> None:
    """`from llm import ask as a; a(...)`: the call is followed, and it is the only one."""
    root = project(
        tmp_path,
        {"llm.py": LLM, "app.py": 'from llm import ask as a\na("hi", model="no-such-model")\n'},
    )
    assert findings(root) == [("app.py", 2, "WB501")]


def test_a_name_given_by_another_name_and_passed_on_stays_unknown(tmp_path: Path) -> None:
    calls = 'from llm import ask as a\na("hi", model="no-such-model")\n'
    passing = (
        "HANDLERS = [a]\n",
        "def run():\n    return [a]\n",
        # `K = ask` alone is another name whose calls are followed (test_projects.py's
        # renamed_calls); passed on, the new name takes the function out of sight too
        "from llm import ask\nK = ask\nHANDLERS = [K]\n",
    )
    for number, passed in enumerate(passing):
        root = project(tmp_path / str(number), {"llm.py": LLM, "app.py": calls + passed})
        assert findings(root) == [], passed


def test_a_name_given_by_another_name_that_others_import_stays_unknown(tmp_path: Path) -> None:
    """`pkg/__init__.py` binds `a` for other modules: calls of `a` there are out of sight of a
    search for `ask`."""
    root = project(
        tmp_path,
        {
            "pkg/__init__.py": "from .llm import ask as a\n",
            "pkg/llm.py": LLM,
            "app.py": 'from pkg import a\na("hi", model="gpt-4o")\n',
            "jobs.py": 'from pkg.llm import ask\nask("hi", model="no-such-model")\n',
        },
    )
    assert findings(root) == []


def test_a_local_of_the_same_name_where_the_module_is_imported_is_not_a_use(
    tmp_path: Path,
) -> None:
    """A local named like the function, in a module that imports the function's module, is
    told apart by what it is bound to; one bound to something unknown may be the function."""
    own = (
        "def main():\n    ask = 'question'\n    print(ask)\n"
        "    return llm.ask(ask, model='no-such-model')\n"
    )
    root = project(tmp_path / "known", {"llm.py": LLM, "app.py": "import llm\n" + own})
    assert findings(root) == [("app.py", 5, "WB501")]
    unknown = own.replace("'question'", "input()")
    root = project(tmp_path / "unknown", {"llm.py": LLM, "app.py": "import llm\n" + unknown})
    assert findings(root) == []
