"""The fix guarantees: bytes outside the edits, encodings, modes, fixed point, the guards."""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner

from lint_wb import engine, fix_source, lint_source, module_parse, positions
from lint_wb.analysis import ModuleFacts
from lint_wb.cli.main import main
from lint_wb.config.settings import LintOptions
from lint_wb.findings import Edit, Location
from lint_wb.fix_loop import apply_edits
from lint_wb.rules import ALL_CODES
from lint_wb.rules.base import Replacement, Report, safe_fix
from lint_wb.spec import Spec, load_spec

WRONG = "https://api.wandb.ai/v1"
RIGHT = "https://api.inference.wandb.ai/v1"
OPTIONS = LintOptions(enabled=ALL_CODES)


def client_source(url: str, newline: str = "\n", comment: str = "# a client") -> str:
    lines = [
        "import os",
        "from openai import OpenAI",
        "",
        comment,
        "client = OpenAI(",
        f'    base_url="{url}",  # keep this comment',
        '    api_key=os.environ["WANDB_API_KEY"],',
        ")",
        "",
    ]
    return newline.join(lines)


def run_fix(path: Path, *extra: str) -> int:
    result = CliRunner().invoke(main, ["--fix", "--isolated", *extra, str(path)])
    return result.exit_code


def test_crlf_file_keeps_its_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "crlf.py"
    path.write_bytes(client_source(WRONG, "\r\n").encode())
    run_fix(path)
    assert path.read_bytes() == client_source(RIGHT, "\r\n").encode()


def test_bom_file_keeps_its_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.py"
    path.write_bytes(codecs.BOM_UTF8 + client_source(WRONG, comment="# café ☕").encode())
    run_fix(path)
    assert path.read_bytes() == codecs.BOM_UTF8 + client_source(RIGHT, comment="# café ☕").encode()


def test_latin1_file_keeps_its_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    cookie = "# -*- coding: latin-1 -*-\n"
    path.write_bytes((cookie + client_source(WRONG, comment="# señor")).encode("latin-1"))
    run_fix(path)
    expected = (cookie + client_source(RIGHT, comment="# señor")).encode("latin-1")
    assert path.read_bytes() == expected


def test_file_mode_is_kept_and_second_fix_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "script.py"
    path.write_text(client_source(WRONG))
    path.chmod(0o755)
    assert run_fix(path) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    first = path.read_bytes()
    before = path.stat().st_mtime_ns
    os.utime(path, ns=(before - 10**9, before - 10**9))
    assert run_fix(path) == 0
    assert path.read_bytes() == first
    assert path.stat().st_mtime_ns == before - 10**9  # not rewritten


def test_exit_non_zero_on_fix(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text(client_source(WRONG))
    assert run_fix(path, "--exit-non-zero-on-fix") == 1
    assert run_fix(path, "--exit-non-zero-on-fix") == 0


def test_diff_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text(client_source(WRONG))
    result = CliRunner().invoke(main, ["--diff", "--isolated", str(path)])
    assert result.exit_code == 1
    assert f'-    base_url="{WRONG}",' in result.output
    assert f'+    base_url="{RIGHT}",' in result.output
    assert path.read_text() == client_source(WRONG)


def test_apply_edits_in_any_order() -> None:
    text = "ab\r\ncd\nef"
    edits = [
        Edit(Location(3, 1), Location(3, 2), "E"),
        Edit(Location(1, 2), Location(2, 2), "X"),
    ]
    assert apply_edits(text, edits) == "aXd\nEf"


def _breaking_rule(facts: ModuleFacts, spec: Spec, options: LintOptions) -> list[Report]:
    """A rule whose fix would turn `x = 1` into broken code."""
    reports = []
    for statement in facts.module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            node = statement.body[0]
            if isinstance(node, cst.Assign) and isinstance(node.value, cst.Integer):
                broken = cst.Name("import")  # a keyword: the result cannot parse
                fix = safe_fix("break it", Replacement(node.value, broken))
                reports.append(Report("WB101", node.value, "an int", fix))
    return reports


@pytest.fixture
def breaking_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(engine, "run_rules", _breaking_rule)
    # the made-up rule reads `x = 1`, which no real rule looks at: parse it whole
    monkeypatch.setattr(module_parse, "PARTIAL_PARSES", False)
    yield


@pytest.mark.usefixtures("breaking_rule")
def test_a_fix_that_breaks_the_code_is_dropped_and_reported() -> None:
    outcome = fix_source("x = 1\n", "a.py", OPTIONS, load_spec())
    assert outcome.text == "x = 1\n"
    assert outcome.fixed == ()
    assert len(outcome.dropped) == 1
    assert outcome.dropped[0].code == "WB101"
    assert [finding.code for finding in outcome.result.findings] == ["WB101"]


def test_fix_source_reaches_a_fixed_point_and_reports_what_it_fixed() -> None:
    source = client_source(WRONG)
    outcome = fix_source(source, "a.py", OPTIONS, load_spec())
    assert outcome.converged
    assert [finding.code for finding in outcome.fixed] == ["WB101"]
    assert outcome.text == client_source(RIGHT)
    assert lint_source(outcome.text, "a.py", OPTIONS, load_spec()).findings == ()


def test_syntax_error_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('import openai\nclient = openai.OpenAI(base_url="https://api.wandb.ai/v1",\n')
    good = tmp_path / "good.py"
    good.write_text(client_source(WRONG))
    result = CliRunner().invoke(main, ["--isolated", "--output-format", "concise", str(tmp_path)])
    assert result.exit_code == 1
    assert "bad.py:" in result.output and "WB901" in result.output
    assert "good.py:6:14: WB101" in result.output


def test_unreadable_and_binary_files_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "blob.py").write_bytes(b"openai\x00\x01\x02")
    (tmp_path / "latin.py").write_bytes(b"import wandb\nx = '\xff'\n")
    (tmp_path / "good.py").write_text(client_source(WRONG))
    result = CliRunner().invoke(main, ["--isolated", "--output-format", "concise", str(tmp_path)])
    assert result.exit_code == 2  # paths left unchecked
    assert "blob.py: binary file, skipped" in result.output
    assert "latin.py: not valid UTF-8" in result.output
    assert "good.py:6:14: WB101" in result.output
    assert "Traceback" not in result.output


def test_two_renames_to_one_keyword_are_not_both_applied() -> None:
    source = (
        "import os\nfrom openai import OpenAI\n"
        f'client = OpenAI(base_url="{RIGHT}", api_key=os.environ["K"])\n'
        'client.chat.completions.create(model="openai/gpt-oss-120b", max_completion_tokens=10,\n'
        '    max_output_tokens=50, messages=[{"role": "user", "content": "hi"}])\n'
    )
    outcome = fix_source(source, "a.py", OPTIONS, load_spec())
    compile(outcome.text, "a.py", "exec")  # no `max_tokens=10, max_tokens=50`
    assert outcome.text.count("max_tokens=") == 1
    assert [finding.code for finding in outcome.result.findings] == ["WB202"]


def test_a_fix_that_would_delete_a_comment_is_unsafe() -> None:
    call = (
        "import os\nfrom openai import OpenAI\n"
        f'client = OpenAI(base_url="{RIGHT}", api_key=os.environ["K"])\n'
        "client.chat.completions.create(\n"
        '    model="openai/gpt-oss-120b",\n'
        '    system="Be terse.",{comment}\n'
        '    messages=[{{"role": "user", "content": "hi"}}],\n'
        ")\n"
    )
    with_comment = call.format(comment="  # from the Anthropic version")
    (finding,) = lint_source(with_comment, "a.py", OPTIONS, load_spec()).findings
    assert finding.code == "WB409" and finding.fix is not None
    assert finding.fix.applicability.value == "unsafe"
    assert finding.fix.message.endswith("(deletes a comment)")
    assert fix_source(with_comment, "a.py", OPTIONS, load_spec()).text == with_comment
    (plain,) = lint_source(call.format(comment=""), "a.py", OPTIONS, load_spec()).findings
    assert plain.fix is not None and plain.fix.applicability.value == "safe"


def test_comments_are_looked_for_only_in_replaced_code_that_holds_a_hash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A node whose code has no `#` holds no comment: its fix is not walked for comments."""
    source = (
        "import os\nfrom openai import OpenAI\n"
        f'client = OpenAI(base_url="{RIGHT}", api_key=os.environ["K"])\n'
        'client.chat.completions.create(model="openai/gpt-oss-120b", system="Be terse.",\n'
        '    messages=[{"role": "user", "content": "hi"}])  # a comment outside the fix\n'
    )
    walked: list[cst.CSTNode] = []
    comments = engine._comments

    def counting(node: cst.CSTNode, *rest: object) -> object:
        walked.append(node)
        return comments(node, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_comments", counting)
    (finding,) = lint_source(source, "a.py", OPTIONS, load_spec()).findings
    assert finding.code == "WB409" and finding.fix is not None
    assert finding.fix.applicability.value == "safe"
    assert walked == []


# ------------------------------------------------------------- guarantees, each seen failing


def _rule_whose_fix_adds_a_finding(
    facts: ModuleFacts, spec: Spec, options: LintOptions
) -> list[Report]:
    """`x = 1` is WB301 with a fix to `x = 2`; but `x = 2` is WB302 (no fix)."""
    reports = []
    for statement in facts.module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            node = statement.body[0]
            if isinstance(node, cst.Assign) and isinstance(node.value, cst.Integer):
                if node.value.value == "1":
                    fix = safe_fix("make it 2", Replacement(node.value, cst.Integer("2")))
                    reports.append(Report("WB301", node.value, "one", fix))
                elif node.value.value == "2":
                    reports.append(Report("WB302", node.value, "two"))
    return reports


def test_a_fix_that_adds_a_finding_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "run_rules", _rule_whose_fix_adds_a_finding)
    # the made-up rule reads statements no real rule looks at: parse them all
    monkeypatch.setattr(module_parse, "PARTIAL_PARSES", False)
    outcome = fix_source("x = 1\ny = 1\n", "a.py", OPTIONS, load_spec())
    assert outcome.text == "x = 1\ny = 1\n"
    assert outcome.fixed == ()
    assert [finding.code for finding in outcome.dropped] == ["WB301", "WB301"]
    assert [finding.code for finding in outcome.result.findings] == ["WB301", "WB301"]


def test_one_fix_shared_by_several_findings_counts_for_each() -> None:
    """top_k and min_p move into one extra_body={...}: one fix, two findings fixed."""
    source = (
        "import os\nfrom openai import OpenAI\n"
        f'client = OpenAI(base_url="{RIGHT}", api_key=os.environ["K"])\n'
        'client.chat.completions.create(model="openai/gpt-oss-120b", top_k=40, min_p=0.1, '
        'messages=[{"role": "user", "content": "hi"}])\n'
    )
    (first, second) = lint_source(source, "a.py", OPTIONS, load_spec()).findings
    assert first.fix is not None and first.fix == second.fix
    outcome = fix_source(source, "a.py", OPTIONS, load_spec())
    assert [finding.code for finding in outcome.fixed] == ["WB202", "WB202"]
    assert 'extra_body={"top_k": 40, "min_p": 0.1}' in outcome.text


def test_the_cli_counts_a_shared_fix_for_each_finding(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text(
        "import os\nfrom openai import OpenAI\n"
        f'client = OpenAI(base_url="{RIGHT}", api_key=os.environ["K"])\n'
        'client.chat.completions.create(model="openai/gpt-oss-120b", top_k=40, min_p=0.1, '
        'messages=[{"role": "user", "content": "hi"}])\n'
    )
    result = CliRunner().invoke(main, ["--fix", "--isolated", "--show-fixes", str(path)])
    assert "2 x WB202 (unknown-parameter)" in result.output


@pytest.mark.parametrize(
    ("url", "replaced", "content"),
    [
        # Without widening the edits would be the fragments between the texts' common
        # prefix and suffix: `i/ap` inside `openrouter.ai/api`, `s` inside `inferense`.
        ("https://openrouter.ai/api/v1", "openrouter.ai/api", "api.inference.wandb.ai"),
        ("https://api.inferense.wandb.ai/v1", "inferense", "inference"),
    ],
)
def test_a_fix_edit_covers_whole_words(url: str, replaced: str, content: str) -> None:
    source = (
        "import os\nfrom openai import OpenAI\n"
        f'client = OpenAI(base_url="{url}", api_key=os.environ["WANDB_API_KEY"])\n'
    )
    options = LintOptions(enabled=ALL_CODES, assume_wandb=True)
    (finding,) = lint_source(source, "a.py", options, load_spec()).findings
    assert finding.fix is not None
    (edit,) = finding.fix.edits
    line = source.splitlines()[edit.start.row - 1]
    assert line[edit.start.column - 1 : edit.end.column - 1] == replaced
    assert edit.content == content


def test_warnings_about_the_users_code_stay_out_of_the_output(tmp_path: Path) -> None:
    """Compiling the user's code (the fix loop's check) warns about `"\\d"` or `1()`: silent."""
    import subprocess
    import sys

    path = tmp_path / "a.py"
    path.write_text(client_source(WRONG) + 'PATTERN = "\\d+"\nx = 1()\n')
    command = [sys.executable, "-m", "lint_wb", "--fix", "--isolated", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert "Warning" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert client_source(RIGHT) in path.read_text()


AGENT_WITH_SETTINGS = """\
from agents import Agent, ModelSettings

agent = Agent(
    name="Assistant",
    model="openai/openai/gpt-oss-120b",
    model_settings=ModelSettings(
        temperature=0.2,  # a comment that stays
        verbosity="low",
    ),
)
"""


def test_a_settings_field_is_removed_from_the_settings_call_and_the_fixes_settle() -> None:
    """WB201 on a field of the Agents SDK's `ModelSettings(...)`: the argument is removed
    from that call, not from `Agent(...)` (which does not hold it: the fix changed nothing
    and was proposed again every round, until the loop gave up after ten)."""
    options = LintOptions(enabled=ALL_CODES, assume_wandb=True)
    outcome = fix_source(AGENT_WITH_SETTINGS, "a.py", options, load_spec(), unsafe_fixes=True)
    assert outcome.converged
    assert [finding.code for finding in outcome.fixed] == ["WB201"]
    assert outcome.text == AGENT_WITH_SETTINGS.replace('        verbosity="low",\n', "")


def _rule_whose_fix_changes_nothing(
    facts: ModuleFacts, spec: Spec, options: LintOptions
) -> list[Report]:
    reports = []
    for statement in facts.module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            node = statement.body[0]
            if isinstance(node, cst.Assign):
                fix = safe_fix("change nothing", Replacement(node.value, node.value))
                reports.append(Report("WB301", node.value, "one", fix))
    return reports


def test_a_fix_that_changes_nothing_is_no_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "run_rules", _rule_whose_fix_changes_nothing)
    monkeypatch.setattr(module_parse, "PARTIAL_PARSES", False)  # as above: a made-up rule
    (finding,) = lint_source("x = 1\n", "a.py", OPTIONS, load_spec()).findings
    assert finding.fix is None
    outcome = fix_source("x = 1\n", "a.py", OPTIONS, load_spec())
    assert outcome.converged and outcome.fixed == ()


# ------------------------------------------------------ the fix path's cost, counted


def _request(messages: int, removed_comment: str = "") -> str:
    """A request of `messages` commented messages, with `store=True` (WB201) last."""
    message = '        {{"role": "user", "content": "m{n}"}},  # message {n}'
    lines = [message.format(n=n) for n in range(messages)]
    return (
        "import os\nfrom openai import OpenAI\n"
        f'client = OpenAI(base_url="{RIGHT}", api_key=os.environ["K"])\n'
        "client.chat.completions.create(\n"
        '    model="openai/gpt-oss-120b",\n'
        "    messages=[\n" + "".join(line + "\n" for line in lines) + "    ],\n"
        f"    store=True,{removed_comment}\n"
        ")\n"
    )


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[object, ...]]:
    return _counting_method(monkeypatch, engine, name)


def _generated(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Every node the engine generates code for (`positions.code_for_node`, which the engine
    imports where it makes a fix)."""
    return _counting_method(monkeypatch, positions, "code_for_node")


def test_a_fix_is_generated_once_and_the_old_code_is_read_from_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the new call is generated: the old one's code is the text where its statement
    was generated and checked, and the proposal two findings share is made into edits once."""
    generated = _generated(monkeypatch)
    source = _request(3).replace("    store=True,\n", "    top_k=40,\n    min_p=0.1,\n")
    first, second = lint_source(source, "a.py", OPTIONS, load_spec()).findings
    assert first.fix is not None and first.fix is second.fix
    ((_module, node, _indents),) = generated
    assert isinstance(node, cst.Call) and "extra_body" in cst.Module([]).code_for_node(node)


def test_comments_are_compared_only_in_what_the_fix_rebuilds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Removing one keyword from a call with 3 or 30 commented messages walks as many nodes:
    the keywords kept unchanged are not walked for comments."""
    walked = _counting(monkeypatch, "all_child_nodes")
    counts = []
    for messages in (3, 30):
        walked.clear()
        (finding,) = lint_source(_request(messages), "a.py", OPTIONS, load_spec()).findings
        assert finding.fix is not None and "(deletes a comment)" not in finding.fix.message
        counts.append(len(walked))
    assert counts[0] == counts[1] > 0


@pytest.mark.parametrize(("comment", "deleted"), [("", False), ("  # why we store", True)])
def test_a_comment_on_the_removed_keyword_of_a_long_call_is_seen(
    comment: str, deleted: bool
) -> None:
    source = _request(30, comment)
    (finding,) = lint_source(source, "a.py", OPTIONS, load_spec()).findings
    assert finding.code == "WB201" and finding.fix is not None
    assert finding.fix.message.endswith("(deletes a comment)") is deleted


NO_KEY = """\
\"\"\"Clients with no api_key.\"\"\"

# the SDK
from openai import OpenAI

first = OpenAI(base_url=URL)
second = OpenAI(base_url=URL)
""".replace("URL", repr(RIGHT))


def test_an_added_import_is_inserted_without_generating_the_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`import os` goes above the first import, below its comment, as an insertion: only the
    import line and the new calls are generated, never the module."""
    generated = _generated(monkeypatch)
    options = LintOptions(enabled=ALL_CODES, assume_wandb=True)
    findings = lint_source(NO_KEY, "a.py", options, load_spec()).findings
    assert [finding.code for finding in findings] == ["WB107", "WB107"]
    assert not any(isinstance(node, cst.Module) for _module, node, _indents in generated)
    fix = findings[0].fix
    assert fix is not None
    insertion = fix.edits[0]
    assert (insertion.start, insertion.end) == (Location(4, 1), Location(4, 1))
    assert insertion.content == "import os\n"
    outcome = fix_source(NO_KEY, "a.py", options, load_spec(), unsafe_fixes=True)
    key = 'api_key=os.environ["WANDB_API_KEY"]'
    expected = NO_KEY.replace("# the SDK\n", "# the SDK\nimport os\n")
    assert outcome.text == expected.replace("')\n", f"', {key})\n")


def test_the_modules_environment_reads_are_looked_for_once_in_source_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The key is read the way the module first reads a variable (`environ[...]` in a
    decorator comes before `os.environ[...]` in the function's body), and the module is
    searched for those reads once, not once per client."""
    from lint_wb.rules import client_keys

    searches = _counting_method(monkeypatch, client_keys.KeyReader, "_find_reads")
    source = (
        "import os\nfrom os import environ\nfrom openai import OpenAI\n\n"
        '@register(environ["A"])\ndef make():\n    return os.environ["B"]\n\n'
        "first = OpenAI(base_url=URL)\nsecond = OpenAI(base_url=URL)\n"
    ).replace("URL", repr(RIGHT))
    options = LintOptions(enabled=ALL_CODES, assume_wandb=True)
    findings = lint_source(source, "a.py", options, load_spec()).findings
    assert [finding.code for finding in findings] == ["WB107", "WB107"]
    assert len(searches) == 1
    assert findings[0].fix is not None
    assert findings[0].fix.edits[0].content == ', api_key=environ["WANDB_API_KEY"]'


def _counting_method(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str
) -> list[tuple[object, ...]]:
    """Every call of `owner.name` (a module's function or a class's method) from now on."""
    calls: list[tuple[object, ...]] = []
    original = getattr(owner, name)

    def counted(*args: object) -> object:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_module_with_nothing_to_check_builds_no_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file with no client, request or use of one (most files a run parses) runs no rule;
    one with a client runs them all."""
    from lint_wb import rules

    built: list[object] = []
    original = rules.rules_for

    def counting(*args: object) -> object:
        built.append(args)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(rules, "rules_for", counting)  # the engine imports it when it runs
    options = LintOptions(enabled=ALL_CODES, assume_wandb=True)
    parsed_but_no_client = "from openai import OpenAI\n\nx = OpenAI.__name__.upper()\n"
    assert lint_source(parsed_but_no_client, "a.py", options, load_spec()) == engine.LintResult(())
    assert built == []
    assert lint_source(client_source(WRONG), "a.py", options, load_spec()).findings
    assert len(built) == 1
