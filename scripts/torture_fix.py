#!/usr/bin/env python3
"""Torture `lint-wb --fix`: kill it at random moments, and run two at once (not part of CI).

1. `--kills N` times: a fresh copy of a small tree (with one ~150 KB file, `--big-kb`, to
   widen the write window) is fixed by `lint-wb --fix --jobs 2`, and the whole process group
   is killed with SIGKILL after a random delay. Every file must then hold its original bytes
   or its fixed bytes (never torn or lost). A second `--fix` run must then leave every file exactly
   fixed (nothing stale) and no temporary file behind.
2. `--pairs N` times: `lint-wb --fix` and `lint-wb --fix --unsafe-fixes` run at once on a fresh
   copy. Each file must end fixed by one of them; a file that lacks the unsafe fixes must be
   named in the unsafe run's "changed since it was read" warning; no temporary file is left.

Usage: python scripts/torture_fix.py [--kills 200] [--pairs 50] [--big-kb 150] [--lint-wb CMD]
Prints one line per phase and exits 1 on the first broken promise.
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAD = (
    "import os\n\nfrom openai import OpenAI\n\n"
    'client = OpenAI(base_url="https://api.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])\n'
)
REQUEST = (
    "client.chat.completions.create(\n"
    '    model="openai/gpt-oss-120b",\n'
    '    messages=[{{"role": "developer", "content": "case {n}"}}],\n'
    "    max_completion_tokens=64,\n"
    "    temperature=3,\n"
    ")\n"
)


def make_tree(root: Path, files: int, big_kb: int) -> None:
    for number in range(files):
        (root / f"module_{number:02}.py").write_text(HEAD + REQUEST.format(n=number))
    (root / "big.py").write_text(HEAD + padding(big_kb * 1024) + REQUEST.format(n="big"))


def padding(size: int) -> str:
    """About `size` bytes of assignments: a file large enough that a kill can land while it
    is written, small enough that one `--fix` takes seconds (a 1 MB file took ~18 s, which
    made 200 kills an afternoon)."""
    lines: list[str] = []
    total = 0
    while total < size:
        lines.append(f"PAD_{len(lines)} = {len(lines)!r}  # padding to make the file large\n")
        total += len(lines[-1])
    return "".join(lines)


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(root.iterdir()) if path.is_file()}


def leftovers(root: Path) -> list[str]:
    return [path.name for path in root.iterdir() if path.name.endswith(".tmp")]


def lint_wb(command: list[str], root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, "--no-cache", "--fix", "--jobs", "2", "-q", *args, str(root)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def expected_states(command: list[str], pristine: Path, work: Path) -> tuple[dict, dict]:
    fresh(pristine, work)
    lint_wb(command, work)
    safe = snapshot(work)
    fresh(pristine, work)
    lint_wb(command, work, "--unsafe-fixes")
    return safe, snapshot(work)


def fresh(pristine: Path, work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(pristine, work)


def progress(phase: str, run: int, runs: int, counts: str = "") -> None:
    """A line on stderr every 10 runs, with the counts so far: a full run takes an hour or
    more on a loaded machine, and a run stopped early still says what it saw."""
    if (run + 1) % 10 == 0:
        print(f"{phase}: {run + 1}/{runs} done, no failure; {counts}", file=sys.stderr, flush=True)


def fail(message: str) -> None:
    print(f"FAIL: {message}")
    sys.exit(1)


def kill_phase(command: list[str], pristine: Path, work: Path, runs: int, safe: dict) -> None:
    original = snapshot(pristine)
    started = time.monotonic()
    fresh(pristine, work)
    lint_wb(command, work)
    duration = time.monotonic() - started
    states = {"original": 0, "fixed": 0}
    temporaries = 0
    for run in range(runs):
        fresh(pristine, work)
        process = subprocess.Popen(
            [*command, "--no-cache", "--fix", "--jobs", "2", "-q", str(work)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(random.uniform(0, duration))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        time.sleep(0.05)  # let killed workers go
        for name, data in snapshot(work).items():
            if name.endswith(".tmp"):
                continue
            if data == original[name]:
                states["original"] += 1
            elif data == safe[name]:
                states["fixed"] += 1
            else:
                fail(f"kill run {run}: {name} is torn or lost ({len(data)} bytes)")
        temporaries += len(leftovers(work))
        lint_wb(command, work)
        after = {name: data for name, data in snapshot(work).items() if not name.endswith(".tmp")}
        if after != safe:
            stale = sorted(name for name in safe if after.get(name) != safe[name])
            fail(f"kill run {run}: stale after a second --fix: {stale}")
        if leftovers(work):
            fail(f"kill run {run}: temporary files left after a second --fix: {leftovers(work)}")
        progress("kills", run, runs, f"{states}, temporary files right after kills {temporaries}")
    print(
        f"kills: {runs} runs killed with SIGKILL at random moments (0-{duration:.1f} s): "
        f"files found original {states['original']}, fixed {states['fixed']}, torn or lost 0; "
        f"temporary files right after the kills {temporaries}, after the next --fix 0; stale 0"
    )


def pair_phase(
    command: list[str], pristine: Path, work: Path, runs: int, safe: dict, unsafe: dict
) -> None:
    skipped = 0
    for run in range(runs):
        fresh(pristine, work)
        environment = dict(os.environ)
        first = subprocess.Popen(
            [*command, "--no-cache", "--fix", "-q", str(work)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        second = subprocess.Popen(
            [*command, "--no-cache", "--fix", "--unsafe-fixes", "-q", str(work)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        _, first_errors = first.communicate(timeout=600)
        _, second_errors = second.communicate(timeout=600)
        for name, data in snapshot(work).items():
            if name.endswith(".tmp"):
                fail(f"pair run {run}: temporary file left: {name}")
            if data == unsafe[name]:
                continue
            if data != safe[name]:
                fail(f"pair run {run}: {name} is neither fixed state ({len(data)} bytes)")
            if f"{name}: warning: changed since it was read" not in second_errors:
                fail(f"pair run {run}: {name} lost the unsafe fixes without a warning")
            skipped += 1
        if "Traceback" in first_errors + second_errors:
            fail(f"pair run {run}: traceback\n{first_errors}{second_errors}")
        progress("pairs", run, runs, f"{skipped} files skipped with the warning")
    print(
        f"pairs: {runs} runs of --fix and --fix --unsafe-fixes at once: no file torn or lost, "
        f"no temporary file left; {skipped} files skipped by the unsafe run with a warning "
        "(changed since it was read), the rest carry the unsafe fixes"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--files", type=int, default=12)
    parser.add_argument("--big-kb", type=int, default=150, help="size of the large file")
    parser.add_argument(
        "--lint-wb",
        default=shutil.which("lint-wb") or "lint-wb",
        help="the command to run, split like a shell would (e.g. 'python -m lint_wb')",
    )
    parser.add_argument("--seed", type=int, default=None)
    arguments = parser.parse_args()
    random.seed(arguments.seed)
    command = shlex.split(arguments.lint_wb)
    with tempfile.TemporaryDirectory() as scratch:
        pristine, work = Path(scratch) / "pristine", Path(scratch) / "work"
        pristine.mkdir()
        make_tree(pristine, arguments.files, arguments.big_kb)
        safe, unsafe = expected_states(command, pristine, work)
        if safe == snapshot(pristine) or unsafe == safe:
            fail("the tree has nothing to fix: the torture would prove nothing")
        kill_phase(command, pristine, work, arguments.kills, safe)
        pair_phase(command, pristine, work, arguments.pairs, safe, unsafe)


if __name__ == "__main__":
    main()
