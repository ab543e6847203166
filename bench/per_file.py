"""Per-file cost: lint time over the file's own libcst parse time, and a bare parse of a tree.

    python bench/per_file.py TREE            # the worst five files by lint time / parse time
    python bench/per_file.py --parse TREE    # parse every .py file once (run.py's baseline)

SPEC §9: no file costs more than a few times its parse (analysis is linear in the code). The
lint here is the engine on the file's text under assume-wandb, so every client is analysed
as W&B code and the prefilter is left out: the worst case for the analysis. The baseline is
libcst's bare parse of the whole file. Each file is timed in CPU time (the machine may be
shared, and wall-clock time counts the waits), its parse and its lint in turn, a small file
after a warm-up on the first files. Every file is timed once; each file whose ratio comes
within a third of the limit or higher (at least the ten worst by ratio) is timed again, at
least three times, a small file many times, and keeps the best time of each. (A file timed once
at under a third of the limit would be over it only if that one parse took three times its
best. Most files of sympy lint in a fraction of their parse: timed once each, the tree is
timed in about the CPU time of one parse and one lint of every file.)

    python bench/per_file.py TREE [TREE ...]   # several trees, one table each, and a total
    python bench/per_file.py --over TREE       # every file over the limit too, not only five
    python bench/per_file.py --jobs 2 TREE     # two processes side by side (two free cores)

Each tree prints a heading (files parsed, how many over the limit) and a Markdown table of its
worst files: lint / parse, lint ms, parse ms, ready to quote.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

RETRIES = 3
SHOWN = 5
LIMIT = 3.0
CLOSE = LIMIT / 3
"""A file timed once at this ratio or more is timed again, closely (`tree_costs`)."""
BUDGET_S = 0.1
MAX_RUNS = 50


@dataclass(frozen=True)
class FileCost:
    path: Path
    parse_s: float
    lint_s: float

    @property
    def ratio(self) -> float:
        return self.lint_s / max(self.parse_s, 1e-6)


def parse_tree(tree: Path) -> None:
    import libcst

    failures = 0
    for path in sorted(tree.rglob("*.py")):
        try:
            libcst.parse_module(path.read_bytes())
        except libcst.ParserSyntaxError:
            failures += 1
    if failures:
        print(f"{failures} files did not parse", file=sys.stderr)


def linter(tree: Path) -> Callable[[str, str], object]:
    from lint_wb.config.per_file import lint_options, spec_for
    from lint_wb.config.settings import Settings
    from lint_wb.engine import lint_source

    settings = Settings(assume_wandb=True, root=tree)
    spec = spec_for(settings)

    def lint(text: str, filename: str) -> object:
        return lint_source(text, filename, lint_options(Path(filename), settings), spec)

    return lint


def best_of(
    parse: Callable[[], object], lint: Callable[[], object], runs: int, budget: float = BUDGET_S
) -> tuple[float, float]:
    """The fastest parse and the fastest lint of at least `runs` runs of each, repeated (up
    to MAX_RUNS) until `budget` seconds are spent on both: a file parsed in a millisecond is
    timed many times, so that one pause of a busy machine does not make its ratio. The two
    are timed in turn, so that both meet the machine in the same state (a busy spell during
    the lint runs only would make the ratio, not the code)."""
    best_parse = best_lint = float("inf")
    spent = 0.0
    done = 0
    while done < runs or (spent < budget and done < MAX_RUNS):
        parse_s, lint_s = timed(parse), timed(lint)
        best_parse, best_lint = min(best_parse, parse_s), min(best_lint, lint_s)
        spent, done = spent + parse_s + lint_s, done + 1
    return best_parse, best_lint


def timed(action: Callable[[], object]) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def cost(
    path: Path, lint: Callable[[str, str], object], runs: int, budget: float = BUDGET_S
) -> FileCost | None:
    """The file's best parse and lint times (`best_of`); None when libcst cannot parse it.
    Its first timed parse is the check: a file is parsed once per round, never once more
    to see whether it parses (on sympy, most of a file's cost is its parse)."""
    import libcst

    try:
        text = path.read_text(encoding="utf-8")
        parse_s, lint_s = best_of(
            lambda: libcst.parse_module(text), lambda: lint(text, str(path)), runs, budget
        )
    except (UnicodeDecodeError, libcst.ParserSyntaxError, RecursionError):
        return None
    return FileCost(path, parse_s, lint_s)


@dataclass(frozen=True)
class TreeCosts:
    """What `worst_files` found in one tree: its files by ratio, worst first."""

    tree: Path
    costs: tuple[FileCost, ...]
    close: int = 0
    """How many of them were timed closely (`CLOSE`)."""

    @property
    def over(self) -> int:
        return sum(c.ratio > LIMIT for c in self.costs)

    def table(self, shown: int = SHOWN, every_over: bool = False) -> str:
        """A heading and a Markdown table of the worst `shown` files (`every_over`: and every
        file over the limit), ready to quote."""
        lines = [
            f"{self.tree.name}: {len(self.costs)} files parsed; {self.over} take more than "
            f"{LIMIT:.0f}x their own libcst parse (CPU time, assume-wandb; {self.close} "
            f"timed closely)",
            "",
            "| file | lint / parse | lint ms | parse ms |",
            "|---|---:|---:|---:|",
        ]
        for c in self.costs[: max(shown, self.over) if every_over else shown]:
            name = c.path.relative_to(self.tree)
            lines.append(f"| {name} | {c.ratio:.2f}x | {c.lint_s * 1000:.1f} | "
                         f"{c.parse_s * 1000:.1f} |")  # fmt: skip
        return "\n".join(lines)


WARM_UP = 20


def tree_costs(tree: Path, jobs: int = 1) -> TreeCosts:
    """Every file of `tree` timed once, those near the limit or over it (`CLOSE`, at least
    the ten worst) again, closely (`RETRIES` runs and the budget), worst first; `jobs`
    processes time the files side by side, each in its own CPU time."""
    paths = sorted(tree.rglob("*.py"))
    with timers(tree, paths[:WARM_UP], jobs) as timed_all:
        once = [c for c in timed_all(paths, 1, 0.0) if c is not None]
        once.sort(key=lambda c: c.ratio, reverse=True)
        retried = max(10, sum(c.ratio >= CLOSE for c in once))
        again = timed_all([c.path for c in once[:retried]], RETRIES, BUDGET_S)
    costs = sorted(
        [*(c for c in again if c is not None), *once[retried:]],
        key=lambda c: c.ratio,
        reverse=True,
    )
    return TreeCosts(tree, tuple(costs), len(again))


Timer = Callable[[Sequence[Path], int, float], list[FileCost | None]]


@contextmanager
def timers(tree: Path, warm_up: Sequence[Path], jobs: int) -> Iterator[Timer]:
    """A function that times files (`cost`, at least `runs` runs each, more until the
    budget is spent) by a linter of `tree` that has linted `warm_up` first (what lint-wb
    loads on first use is loaded before anything is timed): in this process, or in `jobs`
    forked processes, each warmed up alike. A process times one file at a time, the
    largest first, so that none is left with a long tail."""
    if jobs <= 1:
        lint = _warmed_linter(tree, warm_up)
        yield lambda paths, runs, budget: [cost(path, lint, runs, budget) for path in paths]
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, _start_worker, (tree, warm_up)) as pool:

        def timed_all(paths: Sequence[Path], runs: int, budget: float) -> list[FileCost | None]:
            largest = sorted(paths, key=lambda path: path.stat().st_size, reverse=True)
            work = [(path, runs, budget) for path in largest]
            return list(pool.imap_unordered(_worker_cost, work))

        yield timed_all


def _warmed_linter(tree: Path, warm_up: Sequence[Path]) -> Callable[[str, str], object]:
    lint = linter(tree)
    for path in warm_up:
        cost(path, lint, 1, 0.0)
    return lint


_worker_lint: Callable[[str, str], object] | None = None


def _start_worker(tree: Path, warm_up: Sequence[Path]) -> None:
    global _worker_lint
    _worker_lint = _warmed_linter(tree, warm_up)


def _worker_cost(job: tuple[Path, int, float]) -> FileCost | None:
    assert _worker_lint is not None
    path, runs, budget = job
    return cost(path, _worker_lint, runs, budget)


def worst_files(tree: Path) -> str:
    """The worst five files of `tree` by lint time / parse time (and how many are over the
    limit), as a printable table."""
    return tree_costs(tree).table()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trees", type=Path, nargs="+", metavar="TREE")
    parser.add_argument("--parse", action="store_true", help="only parse every file")
    parser.add_argument("--over", action="store_true", help="list every file over the limit")
    parser.add_argument(
        "--jobs", type=int, default=1, help="time files in this many processes (default 1)"
    )
    args = parser.parse_args()
    found = []
    for tree in args.trees:
        if args.parse:
            parse_tree(tree)
            continue
        costs = tree_costs(tree.resolve(), args.jobs)
        found.append(costs)
        print(costs.table(every_over=args.over), end="\n\n", flush=True)
    if len(found) > 1:
        total, over = sum(len(c.costs) for c in found), sum(c.over for c in found)
        print(f"all trees: {over} of {total} files take more than {LIMIT:.0f}x their parse")


if __name__ == "__main__":
    main()
