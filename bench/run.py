"""SPEC §9's speed targets, measured side by side in one run and printed as ratios.

    python bench/run.py                                  # generated corpora only
    python bench/run.py --openai-sdk ~/src/openai-python --from ~/src/openai-agents-python
    python bench/run.py --per-file ~/src/openai-python   # and the worst files by lint/parse

Each row times two commands (A and B) `--repeat` times, alternating A, B, B, A, ... so neither
is always first. A round's A and B run one after the other, so each round gives a ratio of two
runs taken at the same speed of the machine; the row's ratio is the median of those per-round
ratios, set beside its target, with their spread (lowest to highest). The generated
corpora (make_corpus.py, fixed seed) are written once under `--work`. Trees given with
`--openai-sdk` / `--from` are linted where they are. Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import make_corpus  # bench/ is on sys.path when run as a script
from per_file import worst_files

BENCH = Path(__file__).resolve().parent
DEFAULT_WORK = BENCH / "corpus"
PRE_COMMIT_FILES = 5
COPY_SETTLES = 2.5
"""Seconds a copied tree is left before its first run: longer than lint-wb's racy window."""


@dataclass(frozen=True)
class Command:
    """One timed command: its argument list and extra environment."""

    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    ok_codes: tuple[int, ...] = (0,)
    stdin: Path | None = None
    """A file given to the command as its standard input (an editor's buffer)."""


class Edits:
    """Files a row changes before each run of A, as a commit or an editor does: each run
    gets the original text of each file with a comment line of its own appended (a content
    lint-wb has not seen), written to the file itself or, for an editor, to the buffer
    file given on stdin (`into`); with `change` False, the files stay as they are. The
    files lie in a copy of a tree (`LazyCopy`), made at the first run. `restore` writes the
    originals back."""

    def __init__(
        self, tree: LazyCopy, names: Sequence[str], into: Path | None = None, change: bool = True
    ) -> None:
        self.tree = tree
        self.names = list(names)
        self.into = into
        self.change = change
        self.originals: dict[Path, bytes] = {}
        self.count = 0

    def apply(self) -> None:
        root = self.tree.path()
        if not self.originals:
            self.originals = {root / name: (root / name).read_bytes() for name in self.names}
        if not self.change:
            return
        self.count += 1
        line = f"# edited for run {self.count}\n".encode()
        for path, original in self.originals.items():
            text = original if original.endswith(b"\n") else original + b"\n"
            (self.into or path).write_bytes(text + line)

    def restore(self) -> None:
        if self.into is None:
            for path, original in self.originals.items():
                path.write_bytes(original)


class LazyCopy:
    """A copy of a tree, made when a row first runs (`--only` may run none of its rows)."""

    def __init__(self, tree: Path, into: Path) -> None:
        self.tree, self.into = tree, into

    def path(self) -> Path:
        if not self.into.exists():
            shutil.copytree(self.tree, self.into, symlinks=True)
            # a file changed this recently is not trusted by its stat (lint-wb's
            # files/known.py, RACY_NS): the copy's files would be read again by the next
            # runs, which a project's old files are not
            time.sleep(COPY_SETTLES)
        return self.into


@dataclass(frozen=True)
class Row:
    """A line of the table: `a` measured against `b` (or alone when `b` is None)."""

    name: str
    target: str
    a: Command
    b: Command | None
    ratio_kind: str = "a/b"
    """`a/b`: A's time over B's; `b/a`: how many times faster B is; `seconds`: A's time."""
    prime: bool = False
    """Run A once, untimed, first (to fill lint-wb's result cache)."""
    edits: Edits | None = None
    """Files changed before each run of A (the prime run's too)."""


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    peak_rss_mib: float = 0.0
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds and not self.error else None


# Runs one command and writes "seconds peak-RSS" of it to argv[1]. A fresh, small process forks
# it: a child spawned straight from run.py would inherit run.py's own memory high-water mark
# into its ru_maxrss (Linux counts the memory it had at exec).
TIMER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    except OSError as error:
        os.write(2, f"{sys.argv[2]}: {error}".encode())
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as result:
    result.write(f"{time.perf_counter() - start} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_once(command: Command, timing: Timing) -> None:
    """Time `command` once into `timing` (peak RSS of its largest process, in MiB)."""
    env = {**os.environ, **command.env}
    with tempfile.TemporaryDirectory() as folder:
        result, err = Path(folder, "result"), Path(folder, "err")
        timer = [sys.executable, "-I", "-S", "-c", TIMER, str(result), *command.argv]
        stdin = None if command.stdin is None else command.stdin.open("rb")
        with err.open("wb") as stderr:
            code = subprocess.run(
                timer, stdin=stdin, stdout=subprocess.DEVNULL, stderr=stderr, env=env
            )
        if stdin is not None:
            stdin.close()
        if code.returncode not in command.ok_codes or not result.exists():
            tail = err.read_text(errors="replace")[-300:].strip()
            timing.error = f"exit {code.returncode}: {tail}"
            return
        seconds, rss = result.read_text().split()
    timing.seconds.append(float(seconds))
    kib = int(rss) // 1024 if sys.platform == "darwin" else int(rss)
    timing.peak_rss_mib = max(timing.peak_rss_mib, kib / 1024)


def measure(row: Row, repeat: int) -> tuple[Timing, Timing | None]:
    """Time A and B `repeat` times each, alternating which goes first."""
    a, b = Timing(), (Timing() if row.b is not None else None)
    try:
        if row.prime:
            run_a(row, Timing())
        for round_index in range(repeat):
            pair = [(row.a, a), (row.b, b)]
            for command, timing in pair if round_index % 2 == 0 else pair[::-1]:
                if command is not None and timing is not None and timing.error is None:
                    (run_a(row, timing) if command is row.a else run_once(command, timing))
            print(f"  {row.name}: round {round_index + 1}/{repeat}", file=sys.stderr)
    finally:
        if row.edits is not None:
            row.edits.restore()
    return a, b


def run_a(row: Row, timing: Timing) -> None:
    """Time the row's A once, after its edits (untimed)."""
    if row.edits is not None:
        row.edits.apply()
    run_once(row.a, timing)


def round_ratios(row: Row, a: Timing, b: Timing | None) -> list[float]:
    """One ratio per round, from that round's A and B (run one after the other).

    A ratio of the two medians can take A from a round where the machine was fast and B from
    one where it was slow (other work started, the CPU's clock moved): it then measures the
    drift as much as the commands. A pair from one round shares the machine's speed.
    """
    if row.ratio_kind == "seconds" or b is None or a.error or b.error:
        return []
    pairs = zip(a.seconds, b.seconds, strict=False)
    return [x / y if row.ratio_kind == "a/b" else y / x for x, y in pairs if x > 0 and y > 0]


def ratio(row: Row, a: Timing, b: Timing | None) -> float | None:
    if a.median is None:
        return None
    if row.ratio_kind == "seconds":
        return a.median
    ratios = round_ratios(row, a, b)
    return statistics.median(ratios) if ratios else None


# --------------------------------------------------------------------------- the commands


def executable(name: str) -> str | None:
    """`name` from this interpreter's environment (the project venv), else from PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


@dataclass(frozen=True)
class Tools:
    lint_wb: str
    ruff: str | None
    cache_dir: str
    """lint-wb's own, empty at the start: no catalog downloaded earlier changes the checks."""

    def lint(
        self, label: str, *args: str, cache: bool = False, stdin: Path | None = None
    ) -> Command:
        argv = [self.lint_wb, *args, "--isolated", "--output-format", "json", "--exit-zero"]
        if not cache:
            argv.append("--no-cache")
        return Command(label, argv, env={"LINT_WB_CACHE_DIR": self.cache_dir}, stdin=stdin)

    def ruff_e9(self, tree: Path) -> Command | None:
        if self.ruff is None:
            return None
        argv = [self.ruff, "check", "--no-cache", "--isolated", "--select", "E9", "--exit-zero"]
        return Command("ruff E9", [*argv, str(tree)])

    def parse(self, tree: Path) -> Command:
        """A bare libcst parse of every .py file under `tree`, one process."""
        script = str(BENCH / "per_file.py")
        return Command("libcst parse", [sys.executable, script, "--parse", str(tree)])


def corpus_rows(tools: Tools, work: Path, scratch: Path) -> list[Row]:
    """The rows on the generated corpora; the rows that change files do it in `scratch`,
    a copy of the typical tree made when first needed (the corpora stay as written)."""
    typical, dense, big = work / "typical", work / "dense", work / "big"
    big_file = str(big / "big_module.py")
    return [
        Row("typical: 3,000 files, 2% W&B, cold", "<= 1x ruff",
            tools.lint("lint-wb", str(typical)), tools.ruff_e9(typical)),
        Row("typical, warm cache", "<= 0.5x ruff",
            tools.lint("lint-wb warm", str(typical), cache=True), tools.ruff_e9(typical),
            prime=True),
        Row("dense W&B tree (600 files), 1 core", "<= 1.3x parse",
            tools.lint("lint-wb -j1", str(dense), "--jobs", "1"), tools.parse(dense)),
        Row("dense, 2 cores against 1", ">= 1.8x",
            tools.lint("lint-wb -j2", str(dense), "--jobs", "2"),
            tools.lint("lint-wb -j1", str(dense), "--jobs", "1"), ratio_kind="b/a"),
        *changed_rows(tools, typical, scratch),
        Row("one 5 MB file, one W&B call", "<= 3x parse",
            tools.lint("lint-wb big", big_file, "--jobs", "1"), tools.parse(big)),
    ]  # fmt: skip


def changed_rows(tools: Tools, typical: Path, scratch: Path) -> list[Row]:
    """The runs after a few files changed, on a copy of the typical tree whose project the
    cache has seen (the prime run): a pre-commit hook given five files whose content changed
    before each run (the headline), the same hook on the same five unchanged files, and an
    editor linting one W&B file's changed buffer through `--stdin-filename`."""
    copy = LazyCopy(typical, scratch / "typical")
    names = pre_commit_names(typical)
    hook = tools.lint(
        "lint-wb hook", "--force-exclude", *(str(copy.into / name) for name in names), cache=True
    )
    buffer = scratch / "editor-buffer.py"
    editor = tools.lint(
        "lint-wb editor", "--stdin-filename", str(copy.into / names[0]), "-",
        cache=True, stdin=buffer,
    )  # fmt: skip
    return [
        Row(f"pre-commit run on {len(names)} changed files (s)", "<= 0.2 s", hook, None,
            ratio_kind="seconds", prime=True, edits=Edits(copy, names)),
        Row(f"pre-commit re-run, {len(names)} files unchanged (s)", "<= 0.2 s", hook, None,
            ratio_kind="seconds", prime=True, edits=Edits(copy, names, change=False)),
        Row("editor: a W&B file's changed buffer on stdin (s)", "< 1 s", editor, None,
            ratio_kind="seconds", prime=True, edits=Edits(copy, names[:1], into=buffer)),
    ]  # fmt: skip


def tree_rows(tools: Tools, trees: Sequence[tuple[str, Path]]) -> list[Row]:
    return [
        Row(f"tree: {name} ({count_py(tree)} files)", "<= 1.5x ruff",
            tools.lint("lint-wb", str(tree)), tools.ruff_e9(tree))
        for name, tree in trees
    ]  # fmt: skip


def pre_commit_names(typical: Path) -> list[str]:
    """Five files as a commit might touch them, two with W&B code (the first of them), three
    without, by their path from the tree's root."""
    files = sorted(typical.rglob("*.py"))
    wandb = [path for path in files if b"wandb" in path.read_bytes()][:2]
    plain = [path for path in files if path not in wandb][: PRE_COMMIT_FILES - len(wandb)]
    return [str(path.relative_to(typical)) for path in [*wandb, *plain]]


def count_py(tree: Path) -> int:
    return sum(1 for _ in tree.rglob("*.py"))


# --------------------------------------------------------------------------- corpora


def compile_lint_wb(program: str) -> None:
    """Write lint-wb's bytecode, as `pip install` does: a run in an environment that never
    writes it (PYTHONDONTWRITEBYTECODE, an editable install) would compile every module
    from source at each start and time the compiler."""
    python = Path(program).parent / Path(sys.executable).name
    python = python if python.exists() else Path(sys.executable)
    script = (
        "import compileall, pathlib, lint_wb\n"
        "compileall.compile_dir(pathlib.Path(lint_wb.__file__).parent, quiet=1)"
    )
    subprocess.run([str(python), "-c", script], check=False)


def ensure_corpora(work: Path) -> None:
    """Write the generated corpora under `work` unless a previous run left them there."""
    kinds = {"typical": [], "dense": ["--kind", "dense"], "big": ["--kind", "big"]}
    for name, args in kinds.items():
        out = work / name
        checkout = shutil.which("git") is None or (out / ".git").exists()
        if not (out / make_corpus.MARKER).exists() or not checkout:
            make_corpus.main(["--out", str(out), *args])


@contextmanager
def warm_page_cache(trees: Sequence[Path]) -> Iterator[None]:
    """Read every file once, so the first timed run does not pay for the disk."""
    for tree in trees:
        for path in tree.rglob("*.py"):
            path.read_bytes()
    yield


# --------------------------------------------------------------------------- output


def table(results: list[dict[str, Any]]) -> str:
    columns = (
        f"{'A median s':>11}{'B median s':>11}{'lint-wb':>10}{'spread':>13}"
        f"  target     {'RSS MiB':>8}"
    )
    lines = [f"{'row':<44}{columns}"]
    for result in results:
        if result["error"]:
            lines.append(f"{result['row']:<44} {result['error'][:70]}")
            continue
        a, b, value = result["a_median"], result["b_median"], result["ratio"]
        shown = (
            "-"
            if value is None
            else (f"{value:.2f} s" if result["kind"] == "seconds" else f"{value:.2f}x")
        )
        lines.append(
            f"{result['row']:<44}{a:>11.2f}{'' if b is None else f'{b:.2f}':>11}{shown:>10}"
            f"{spread(result['round_ratios']):>13}  {result['target']:<11}"
            f"{result['a_rss_mib']:>8.0f}"
        )
    return "\n".join(lines)


def spread(ratios: list[float]) -> str:
    """The lowest and highest of a row's per-round ratios ("" for a row without them)."""
    return f"{min(ratios):.2f}-{max(ratios):.2f}x" if ratios else ""


def summary(row: Row, a: Timing, b: Timing | None) -> dict[str, Any]:
    return {
        "row": row.name, "target": row.target, "kind": row.ratio_kind,
        "a": " ".join(row.a.argv), "b": None if row.b is None else " ".join(row.b.argv),
        "a_times": [round(s, 3) for s in a.seconds],
        "b_times": None if b is None else [round(s, 3) for s in b.seconds],
        "a_median": a.median, "b_median": None if b is None else b.median,
        "ratio": ratio(row, a, b),
        "round_ratios": [round(r, 3) for r in round_ratios(row, a, b)],
        "a_rss_mib": a.peak_rss_mib,
        "error": a.error or (b.error if b is not None else None),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="generated corpora")
    parser.add_argument("--openai-sdk", type=Path, help="a checkout of openai/openai-python")
    parser.add_argument("--from", dest="trees", type=Path, action="append", default=[],
                        help="another tree to lint against ruff (repeatable)")  # fmt: skip
    parser.add_argument(
        "--per-file",
        type=Path,
        action="append",
        default=[],
        help="list the worst files of this tree by lint time / parse time",
    )
    parser.add_argument("--only", help="rows whose name contains this text")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    program = executable("lint-wb")
    if program is None:
        sys.exit("lint-wb is not installed in this environment: pip install -e '.[bench]'")
    ensure_corpora(args.work)
    compile_lint_wb(program)
    trees = [("openai SDK source", args.openai_sdk)] if args.openai_sdk else []
    trees += [(tree.resolve().name, tree) for tree in args.trees]
    with tempfile.TemporaryDirectory(prefix="lint-wb-bench-") as folder:
        cache_dir = str(Path(folder) / "cache")
        tools = Tools(program, executable("ruff"), cache_dir)
        scratch = Path(folder) / "scratch"
        rows = corpus_rows(tools, args.work, scratch) + tree_rows(tools, trees)
        rows = [row for row in rows if args.only is None or args.only in row.name]
        load_before = os.getloadavg()
        with warm_page_cache([args.work, *(tree for _, tree in trees)]):
            results = [summary(row, *measure(row, args.repeat)) for row in rows]
        load_after = os.getloadavg()
    worst = {str(tree): worst_files(tree) for tree in args.per_file}
    report(args, results, worst, load_before, load_after)


AUTOGROUP = Path("/proc/sys/kernel/sched_autogroup_enabled")


def shares_cpu_by_session(setting: Path = AUTOGROUP) -> bool:
    """Whether Linux gives each session, rather than each process, its share of the CPU
    (autogroup scheduling). Then, while other sessions keep the cores busy, `--jobs 2` gets
    the CPU time `--jobs 1` gets, whatever lint-wb does: the 2-against-1 row measures the
    machine's other work, not lint-wb."""
    try:
        return setting.read_text().strip() == "1"
    except OSError:
        return False


def report(
    args: argparse.Namespace,
    results: list[dict[str, Any]],
    worst: dict[str, Any],
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> None:
    header = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"), "cores": os.cpu_count(),
        "repeat": args.repeat, "load_before": load_before, "load_after": load_after,
        "cpu_shared_by_session": shares_cpu_by_session(),
    }  # fmt: skip
    if args.json:
        print(json.dumps({**header, "rows": results, "worst_files": worst}, indent=2))
        return
    print(
        f"{header['date']}: {args.repeat} runs per command, alternating; {header['cores']} "
        f"cores; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )
    print("A = lint-wb; B = ruff E9, a bare libcst parse, or lint-wb on 1 core (see below)")
    print("lint-wb: median of the per-round ratios of A and B; spread: their lowest-highest")
    if header["cpu_shared_by_session"]:
        print(
            "CPU is shared by session (Linux autogroup): with other sessions busy, --jobs 2"
            " gets no more CPU than --jobs 1"
        )
    print()
    print(table(results))
    for tree, files in worst.items():
        print(f"\nworst five files of {tree} by lint time / own parse time (assume-wandb):")
        print(files)
    print()
    for result in results:
        print(f"{result['row']}:\n  A: {result['a']}")
        if result["b"]:
            print(f"  B: {result['b']}")


if __name__ == "__main__":
    main()
