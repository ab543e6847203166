"""Per-file cost: lint time over the file's own libcst parse time, and a bare parse of a tree.

    python bench/per_file.py TREE            # the worst five files by lint time / parse time
    python bench/per_file.py --parse TREE    # parse every .py file once (run.py's baseline)

SPEC §9: no file costs more than a few times its parse (analysis is linear in the code). The
lint here is the engine on the file's text under assume-wandb, so every client is analysed
as W&B code and the prefilter is left out: the worst case for the analysis. The baseline is
libcst's bare parse of the whole file. Each file is timed in CPU time (the machine may be
shared, and wall-clock time counts the waits), its parse and its lint in turn, a small file
several times with the best of each kept, after a warm-up on the first files; the files over
the limit (at least the ten slowest by ratio) are timed again and keep their best times.

    python bench/per_file.py TREE [TREE ...]   # several trees, one table each, and a total
    python bench/per_file.py --over TREE       # every file over the limit too, not only five

Each tree prints a heading (files parsed, how many over the limit) and a Markdown table of its
worst files: lint / parse, lint ms, parse ms, ready to quote.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

RETRIES = 3
SHOWN = 5
LIMIT = 3.0
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


def cost(path: Path, lint: Callable[[str, str], object], runs: int) -> FileCost | None:
    import libcst

    try:
        text = path.read_text(encoding="utf-8")
        libcst.parse_module(text)
    except (UnicodeDecodeError, libcst.ParserSyntaxError, RecursionError):
        return None
    parse_s, lint_s = best_of(
        lambda: libcst.parse_module(text), lambda: lint(text, str(path)), runs
    )
    return FileCost(path, parse_s, lint_s)


@dataclass(frozen=True)
class TreeCosts:
    """What `worst_files` found in one tree: its files by ratio, worst first."""

    tree: Path
    costs: tuple[FileCost, ...]

    @property
    def over(self) -> int:
        return sum(c.ratio > LIMIT for c in self.costs)

    def table(self, shown: int = SHOWN, every_over: bool = False) -> str:
        """A heading and a Markdown table of the worst `shown` files (`every_over`: and every
        file over the limit), ready to quote."""
        lines = [
            f"{self.tree.name}: {len(self.costs)} files parsed; {self.over} take more than "
            f"{LIMIT:.0f}x their own libcst parse (CPU time, assume-wandb)",
            "",
            "| file | lint / parse | lint ms | parse ms |",
            "|---|---:|---:|---:|",
        ]
        for c in self.costs[: max(shown, self.over) if every_over else shown]:
            name = c.path.relative_to(self.tree)
            lines.append(f"| {name} | {c.ratio:.2f}x | {c.lint_s * 1000:.1f} | "
                         f"{c.parse_s * 1000:.1f} |")  # fmt: skip
        return "\n".join(lines)


def tree_costs(tree: Path) -> TreeCosts:
    """Every file of `tree` timed once, the worst again (`RETRIES` runs), worst first."""
    lint = linter(tree)
    paths = sorted(tree.rglob("*.py"))
    for path in paths[:20]:  # load what lint-wb loads on first use before timing anything
        cost(path, lint, 1)
    costs = [c for path in paths if (c := cost(path, lint, 1)) is not None]
    costs.sort(key=lambda c: c.ratio, reverse=True)
    retried = max(10, sum(c.ratio > LIMIT for c in costs))
    again = [c for c in (cost(c.path, lint, RETRIES) for c in costs[:retried]) if c is not None]
    costs = sorted([*again, *costs[retried:]], key=lambda c: c.ratio, reverse=True)
    return TreeCosts(tree, tuple(costs))


def worst_files(tree: Path) -> str:
    """The worst five files of `tree` by lint time / parse time (and how many are over the
    limit), as a printable table."""
    return tree_costs(tree).table()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trees", type=Path, nargs="+", metavar="TREE")
    parser.add_argument("--parse", action="store_true", help="only parse every file")
    parser.add_argument("--over", action="store_true", help="list every file over the limit")
    args = parser.parse_args()
    found = []
    for tree in args.trees:
        if args.parse:
            parse_tree(tree)
            continue
        costs = tree_costs(tree.resolve())
        found.append(costs)
        print(costs.table(every_over=args.over), end="\n\n", flush=True)
    if len(found) > 1:
        total, over = sum(len(c.costs) for c in found), sum(c.over for c in found)
        print(f"all trees: {over} of {total} files take more than {LIMIT:.0f}x their parse")


if __name__ == "__main__":
    main()
