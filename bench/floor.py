"""The floor of a cold lint-wb run on a tree: what the design cannot avoid, whatever its
analysis costs, against ruff's E9 run on the same tree.

    python bench/floor.py TREE [--repeat 5]

A cold run starts Python and the command line, walks the tree, reads and screens every file,
and loads the engine (libcst). A file the prefilter keeps may hold a finding, so it is
compiled whole (a syntax error anywhere is WB901) and libcst parses what can matter of it
(`module_parse.py`), unless the first look at that part on `ast` finds nothing a rule reports
(`fact_sources.FirstLook`, with the default settings and no project index). The floor is
those parts alone: no summary, binding, rule or position.
It is given twice: for every kept file (what this design must parse) and for the files that
hold findings (what any design must parse with libcst to report them).

Each part is in CPU seconds, the median of `--repeat` fresh processes: start-up, discovery
and screening from a one-core run's account (`LINT_WB_ACCOUNT`), the engine's import, the
compiles and the parses in a process of their own. On 2 cores the floor's wall time is the
start-up and the discovery (nothing to share before the files are known) and half of the
rest (a perfect split). ruff is run as the benchmark runs it, alternating with the others.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ACCOUNT_LINE = re.compile(r"^lint-wb:\s+(discover|screen)\s+[\d.]+ s wall\s+([\d.]+) s CPU")
START_UP = re.compile(r"after ([\d.]+) s CPU of start-up")
SERIAL = ("start-up", "discover")
"""The parts no second core can share."""
PARTS = ("start-up", "discover", "screen", "engine", "compile", "parse")


def account_parts(tree: Path) -> dict[str, float]:
    """Start-up, discovery and screening of a one-core cold run, in CPU seconds."""
    env = {**os.environ, "LINT_WB_ACCOUNT": "1"}
    command = [sys.executable, "-m", "lint_wb", "--no-cache", "--jobs", "1", str(tree)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    return parts_of(done.stderr)


def parts_of(account: str) -> dict[str, float]:
    """The start-up, discovery and screening CPU seconds of a run's account (its stderr)."""
    parts: dict[str, float] = {}
    for line in account.splitlines():
        if (match := START_UP.search(line)) is not None:
            parts["start-up"] = float(match.group(1))
        elif (match := ACCOUNT_LINE.match(line)) is not None:
            parts[match.group(1)] = float(match.group(2))
    return parts


def file_parts(files: list[Path]) -> dict[str, float]:
    """In a fresh process: the engine's import, then each file's whole compile and libcst's
    parse of what `module_parse` keeps of it, in CPU seconds."""
    command = [sys.executable, __file__, "--files", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return {key: float(value) for key, value in json.loads(done.stdout).items()}


def _time_files(names: list[str]) -> None:
    """`file_parts`, in the child: prints the parts as JSON."""
    from lint_wb.compiled_methods import install

    install()  # as a run does: libcst's dataclass methods from the kept code
    clock = time.process_time
    start = clock()
    from lint_wb.api import WORKER_MODULES

    for name in WORKER_MODULES:
        __import__(name)
    from lint_wb.analysis.fact_sources import FirstLook, client_roots
    from lint_wb.module_parse import parse_partial, read_partial
    from lint_wb.spec import load_spec

    engine = clock() - start
    api = load_spec().api
    look = FirstLook(client_roots(api), api.porting.wandb_key_variable)
    texts = [Path(name).read_text(encoding="utf-8") for name in names]
    compiled = parsed = 0.0
    for text in texts:
        start = clock()
        compile(text, "<floor>", "exec", dont_inherit=True)
        compiled += clock() - start
        partial = read_partial(text)
        if isinstance(partial, SyntaxError):
            continue
        if partial.tree is not None and look.finds_nothing(partial.tree, None):
            continue  # read with `ast` alone: not parsed
        start = clock()
        parse_partial(text, partial)
        parsed += clock() - start
    print(json.dumps({"engine": engine, "compile": compiled, "parse": parsed}))


def kept_files(tree: Path) -> list[Path]:
    """The files lint-wb's prefilter keeps, with its default settings."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from tools import lint_wb_prefilter

    keeps = lint_wb_prefilter()
    return [path for path in sorted(tree.rglob("*.py")) if keeps(path.read_bytes())]


def files_with_findings(tree: Path) -> list[Path]:
    command = [sys.executable, "-m", "lint_wb", "--no-cache", "--output-format", "json"]
    done = subprocess.run([*command, str(tree)], capture_output=True, text=True, check=False)
    return sorted({Path(finding["filename"]) for finding in json.loads(done.stdout)})


def ruff_run(tree: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ruff's E9 check of the tree (as `run.py` runs it)."""
    ruff = str(Path(sys.executable).parent / "ruff")
    command = [ruff, "check", "--no-cache", "--isolated", "--select", "E9", "--exit-zero"]
    return timed([*command, str(tree)])


def lint_wb_run(tree: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the cold run the benchmark's typical row times."""
    return timed([sys.executable, "-m", "lint_wb", "--no-cache", str(tree)])


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (its processes', all of them) of a command."""
    before, wall = os.times(), time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    after = os.times()
    user = after.children_user - before.children_user
    return time.perf_counter() - wall, user + after.children_system - before.children_system


def floor_wall(parts: dict[str, float]) -> float:
    """The floor on 2 cores: the serial parts, and half of the others (a perfect split)."""
    serial = sum(parts[name] for name in SERIAL)
    return serial + (sum(parts[name] for name in PARTS) - serial) / 2


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tree", type=Path, nargs="?")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--files", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.files:
        _time_files(args.files)
        return
    if args.tree is None:
        parser.error("a tree is needed")
    sets = {"kept": kept_files(args.tree), "with findings": files_with_findings(args.tree)}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in sets}
    rulers: list[tuple[float, float]] = []
    linted: list[tuple[float, float]] = []
    for _ in range(args.repeat):
        rulers.append(ruff_run(args.tree))
        linted.append(lint_wb_run(args.tree))
        shared = account_parts(args.tree)
        for name, files in sets.items():
            runs[name].append({**shared, **file_parts(files)})
    ruff_wall, ruff_cpu = medians(rulers)
    print(f"medians of {args.repeat} runs; ruff E9: {ruff_wall:.2f} s wall, {ruff_cpu:.2f} s CPU")
    print("lint-wb, cold: {:.2f} s wall, {:.2f} s CPU".format(*medians(linted)))
    print("(x ruff: over ruff's wall, and over half its CPU, its wall on 2 free cores)")
    for name, measured in runs.items():
        parts = {part: statistics.median(run[part] for run in measured) for part in PARTS}
        listed = ", ".join(f"{part} {parts[part]:.3f}" for part in PARTS)
        total, wall = sum(parts.values()), floor_wall(parts)
        print(f"\n{name} ({len(sets[name])} files), CPU seconds: {listed}")
        print(
            f"  floor: {total:.2f} s CPU; on 2 cores {wall:.2f} s ="
            f" {wall / ruff_wall:.2f}x ruff's wall, {wall / (ruff_cpu / 2):.2f}x half its CPU"
        )


def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(wall for wall, _ in runs), statistics.median(cpu for _, cpu in runs)


if __name__ == "__main__":
    main()
