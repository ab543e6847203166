"""Time lint-wb beside ruff, Fixit and a bare libcst parse, over the same files, in one run.

    python bench/make_corpus.py && python bench/tools.py [CORPUS] [--repeat 5] [--json]

(`bench/run.py` prints the speed targets of SPEC §9 as ratios; this script compares tools.)

Every tool runs as a subprocess, `--repeat` times, in an order rotated each round so none is
always first or always after the same neighbour; a tool whose runs have used up `--budget`
seconds is not run again (Fixit takes minutes per run), so `runs` says how many were timed.
Printed per tool: the median wall time, min and max, the median as a multiple of lint-wb's,
and the peak RSS of its largest process. A tool that is not installed is reported as such;
no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, cast

DEFAULT_CORPUS = Path(__file__).resolve().parent / "corpus"
KEYS = ("lint-wb", "lint-wb-cached", "libcst", "ruff", "ruff-all", "fixit")


@dataclass(frozen=True)
class Tool:
    key: str
    name: str
    command: list[str] | None
    """None when the tool is not installed."""
    ok_codes: tuple[int, ...] = (0,)
    env: dict[str, str] = field(default_factory=dict)
    primed: bool = False
    """Run once, untimed, before the first round (to fill a cache)."""


@dataclass
class Measurement:
    tool: Tool
    seconds: list[float] = field(default_factory=list)
    peak_rss_kib: int = 0
    error: str | None = None
    output: bytes = b""
    """stdout of the first run."""

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds and not self.error else None


def executable(name: str) -> str | None:
    """`name` from this interpreter's environment (the project venv), else from PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def lint_wb_tools(corpus: Path, cache_dir: str) -> list[Tool]:
    """lint-wb with its defaults (all cores): without its result cache, and with it warm.

    Both use an empty cache folder of their own, so a model catalog downloaded earlier with
    `--update-models` does not change what they check.
    """
    program = executable("lint-wb")
    if program is None:
        return [Tool("lint-wb", "lint-wb", None)]
    command = [program, str(corpus), "--isolated", "--output-format", "json", "--exit-zero"]
    env = {"LINT_WB_CACHE_DIR": cache_dir}
    help_text = subprocess.run([program, "--help"], capture_output=True, text=True).stdout
    if "--no-cache" not in help_text:  # no result cache to leave out or to warm
        return [Tool("lint-wb", "lint-wb", command, env=env)]
    return [
        Tool("lint-wb", "lint-wb", [*command, "--no-cache"], env=env),
        Tool("lint-wb-cached", "lint-wb, warm cache", command, env=env, primed=True),
    ]


def tools(corpus: Path, cache_dir: str) -> list[Tool]:
    ruff, fixit = executable("ruff"), executable("fixit")
    has_libcst = importlib.util.find_spec("libcst") is not None
    parse = [sys.executable, __file__, "--parse-only", str(corpus)]
    ruff_check = [ruff, "check", "--no-cache", "--isolated", "--exit-zero"] if ruff else []
    return [
        *lint_wb_tools(corpus, cache_dir),
        Tool("libcst", "libcst parse (1 process)", parse if has_libcst else None),
        Tool("ruff", "ruff (default rules)", [*ruff_check, str(corpus)] if ruff else None),
        Tool(
            "ruff-all",
            "ruff --select ALL",
            [*ruff_check, "--select", "ALL", str(corpus)] if ruff else None,
        ),
        Tool(
            "fixit",
            "Fixit (default rules)",
            [fixit, "lint", str(corpus)] if fixit else None,
            ok_codes=(0, 1),  # 1: lint errors found
        ),
    ]


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


@dataclass(frozen=True)
class Run:
    seconds: float
    code: int
    peak_rss_kib: int
    """Of the largest process (the tool or one of its workers)."""
    output: bytes
    error: str


def run_once(tool: Tool, keep_output: bool = False) -> Run:
    assert tool.command is not None
    env = {**os.environ, **tool.env}
    with tempfile.TemporaryDirectory() as folder:
        out_path, err_path, result = (Path(folder, name) for name in ("out", "err", "result"))
        with out_path.open("wb") as out, err_path.open("wb") as err:
            timer = [sys.executable, "-I", "-S", "-c", TIMER, str(result), *tool.command]
            code = subprocess.run(timer, stdout=out, stderr=err, env=env).returncode
        seconds, rss = result.read_text().split() if result.exists() else ("nan", "0")
        return Run(
            seconds=float(seconds),
            code=code,
            peak_rss_kib=int(rss) // 1024 if sys.platform == "darwin" else int(rss),
            output=out_path.read_bytes() if keep_output else b"",
            error=err_path.read_bytes()[-2000:].decode(errors="replace").strip(),
        )


def measure(tool_list: list[Tool], repeat: int, budget: float) -> list[Measurement]:
    """Run every installed tool `repeat` times (fewer past `budget` s), rotating the order."""
    results = [Measurement(tool) for tool in tool_list]
    runnable = [m for m in results if m.tool.command is not None]
    for m in runnable:
        if m.tool.primed:
            run_once(m.tool)
    for round_index in range(repeat):
        shift = round_index % max(len(runnable), 1)
        for m in runnable[shift:] + runnable[:shift]:
            if m.error is None and sum(m.seconds) < budget:
                record(m, run_once(m.tool, keep_output=m.tool.key == "lint-wb" and not m.output))
                if m.error is None:
                    progress = f"round {round_index + 1}/{repeat}: {m.tool.name}"
                    print(f"{progress} {m.seconds[-1]:.2f}s", file=sys.stderr)
    return results


def record(m: Measurement, run: Run) -> None:
    if run.code not in m.tool.ok_codes:
        m.error = f"exit {run.code}: {run.error[-300:]}"
        return
    m.seconds.append(run.seconds)
    m.peak_rss_kib = max(m.peak_rss_kib, run.peak_rss_kib)
    m.output = m.output or run.output


def lint_wb_prefilter() -> Callable[[bytes], bool]:
    """lint-wb's own byte prefilter with its default settings; without lint-wb, a test for
    b"wandb" (the signal at its heart)."""
    try:
        from lint_wb.config.per_file import compiled_for
        from lint_wb.config.settings import Settings
        from lint_wb.files.prefilter import prefilter_for
    except ImportError:
        return lambda data: b"wandb" in data.lower()
    settings = Settings()
    prefilter = prefilter_for(
        compiled_for(settings).screening,
        assume_wandb=settings.assume_wandb,
        extra_base_urls=settings.extra_base_urls,
    )
    return cast("Callable[[bytes], bool]", prefilter.keeps)


def corpus_stats(corpus: Path) -> dict[str, Any]:
    """Files, lines, bytes, and what lint-wb's byte prefilter keeps.

    Reading every file here also puts the corpus in the page cache before the first timing.
    """
    contents = [path.read_bytes() for path in sorted(corpus.rglob("*.py"))]
    parsed = sum(map(lint_wb_prefilter(), contents))
    return {
        "files": len(contents),
        "lines": sum(data.count(b"\n") for data in contents),
        "megabytes": round(sum(map(len, contents)) / 1e6, 1),
        "files_with_openai": sum(b"openai" in data for data in contents),
        "lint_wb_parsed": parsed,
        "lint_wb_skipped": len(contents) - parsed,
    }


def count_findings(output: bytes) -> int | None:
    try:
        return len(json.loads(output))
    except ValueError:
        return None


def tool_rows(results: list[Measurement]) -> list[dict[str, Any]]:
    base = next((m.median for m in results if m.tool.key == "lint-wb"), None)
    rows = []
    for m in results:
        median, times = m.median, [round(s, 3) for s in m.seconds]
        env = [f"{name}={value}" for name, value in m.tool.env.items()]
        rows.append({
            "tool": m.tool.name,
            "command": " ".join([*env, *m.tool.command]) if m.tool.command else None,
            "status": "not installed" if m.tool.command is None else m.error or "ok",
            "median_s": None if median is None else round(median, 3),
            "min_s": min(times, default=None),
            "max_s": max(times, default=None),
            "runs": len(times),
            "times_s": times,
            "ratio_to_lint_wb": round(median / base, 2) if median and base else None,
            "peak_rss_mib": round(m.peak_rss_kib / 1024),
        })  # fmt: skip
    return rows


def print_table(data: dict[str, Any]) -> None:
    corpus = data["corpus"]
    print(
        f"corpus: {data['corpus_path']}: {corpus['files']} .py files, {corpus['lines']:,} lines,"
        f' {corpus["megabytes"]} MB; {corpus["files_with_openai"]} contain b"openai"'
    )
    print(
        f"lint-wb prefilter: parsed {corpus['lint_wb_parsed']} files, skipped"
        f" {corpus['lint_wb_skipped']}; {corpus['lint_wb_findings']} findings"
    )
    print(
        f"{data['date']}: {data['repeat']} rounds (budget {data['budget_s']:.0f} s a tool),"
        f" rotated order; {data['cores']} cores;"
        f" load average {data['load_before']} before, {data['load_after']} after"
    )
    print()
    columns = ("runs", "median s", "min s", "max s", "x lint-wb", "RSS MiB")
    print(f"{'tool':<26}" + "".join(f"{column:>11}" for column in columns))
    for row in data["tools"]:
        if row["status"] != "ok":
            print(f"{row['tool']:<26} {row['status']}")
            continue
        numbers = (row["median_s"], row["min_s"], row["max_s"], row["ratio_to_lint_wb"] or 0)
        print(
            f"{row['tool']:<26}{row['runs']:>11}"
            + "".join(f"{n:>11.2f}" for n in numbers)
            + f"{row['peak_rss_mib']:>11}"
        )
    print()
    for row in data["tools"]:
        if row["command"]:
            print(f"{row['tool']}: {row['command']}")


def parse_only(corpus: Path) -> None:
    """The floor of a libcst linter that parses every file: parse them all, one process."""
    import libcst

    failures = 0
    for path in sorted(corpus.rglob("*.py")):
        try:
            libcst.parse_module(path.read_bytes())
        except libcst.ParserSyntaxError:
            failures += 1
    if failures:
        print(f"{failures} files did not parse", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5, help="rounds (default 5)")
    parser.add_argument(
        "--budget", type=float, default=900, help="seconds per tool before it stops repeating"
    )
    parser.add_argument("--only", default=",".join(KEYS), help=f"subset of {','.join(KEYS)}")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--parse-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    corpus = args.corpus.resolve()
    if args.parse_only:
        return parse_only(corpus)
    stats = corpus_stats(corpus)
    if not stats["files"]:
        sys.exit(f"no .py files under {corpus}: run bench/make_corpus.py first")
    with tempfile.TemporaryDirectory(prefix="lint-wb-bench-cache-") as cache_dir:
        selected = [tool for tool in tools(corpus, cache_dir) if tool.key in args.only.split(",")]
        load_before = os.getloadavg()[0]
        results = measure(selected, args.repeat, args.budget)
    lint_wb = next((m for m in results if m.tool.key == "lint-wb"), None)
    data = {
        "date": time.strftime("%Y-%m-%d %H:%M"), "corpus_path": str(corpus),
        "repeat": args.repeat, "budget_s": args.budget, "cores": os.cpu_count(),
        "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
        "corpus": {**stats, "lint_wb_findings": lint_wb and count_findings(lint_wb.output)},
        "tools": tool_rows(results),
    }  # fmt: skip
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print_table(data)


if __name__ == "__main__":
    main()
