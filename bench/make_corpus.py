"""Write the benchmark corpus: a deterministic tree of realistic Python files.

    python bench/make_corpus.py                      # 2,000 files, 5% of them call W&B
    python bench/make_corpus.py --files 500 --seed 7
    python bench/make_corpus.py --from ~/src/some-project   # copy a real project's .py files

Most generated files are plain library code that never mentions the OpenAI SDK; some build
OpenAI clients for W&B Inference (and a few for OpenAI itself) and make requests with a mix of
right and wrong arguments, so lint-wb has real work on them. The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from random import Random

from corpus_blocks import header, plain_block  # bench/ is on sys.path when run as a script
from corpus_wandb import openai_section

DEFAULT_OUT = Path(__file__).resolve().parent / "corpus"
MARKER = ".bench-corpus"
SKIP_DIRS = {".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", "site-packages"}
# The corpus is its own project root: Fixit (trailrunner) reads the .gitignore of the nearest
# folder with a pyproject.toml, and the repository's .gitignore ignores bench/corpus/.
PYPROJECT = """\
# Written by bench/make_corpus.py: marks the corpus as a project root of its own.
[project]
name = "bench-corpus"
version = "0.0.0"

[tool.fixit]
root = true
"""


def generate_file(rng: Random, calls_openai: bool) -> str:
    """One module of 50-800 lines (most near 120), built from random plain blocks."""
    target = int(rng.triangular(50, 750, 120))  # leaves room for the last block
    used: set[str] = set()
    imports, section = openai_section(rng, used) if calls_openai else ("", "")
    parts = [header(rng, imports), *([section] if section else [])]
    lines = sum(part.count("\n") + 1 for part in parts)  # + 1: the blank line between parts
    while lines < target:
        parts.append(plain_block(rng, used))
        lines += parts[-1].count("\n") + 1
    return "\n\n".join(parts)


def module_path(index: int, rng: Random) -> Path:
    """`pkgNN/subNN/name_NNNN.py`: about 50 modules per package, like a mid-sized repo."""
    package = f"pkg{index // 50:02d}"
    sub = f"sub{rng.randrange(4)}"
    stem = rng.choice(["models", "utils", "service", "handlers", "io", "core", "views", "tasks"])
    return Path(package, sub, f"{stem}_{index:04d}.py")


def generate(out: Path, files: int, openai_percent: float, seed: int) -> int:
    """Write `files` generated modules under `out`; returns how many call the OpenAI SDK."""
    rng = Random(seed)
    openai_count = round(files * openai_percent / 100)
    openai_indexes = set(rng.sample(range(files), openai_count))
    for index in range(files):
        text = generate_file(rng, index in openai_indexes)
        compile(text, str(index), "exec")  # the corpus measures linting, not syntax errors
        path = out / module_path(index, rng)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return openai_count


def copy_project(source: Path, out: Path) -> int:
    """Copy every .py file under `source` (keeping relative paths); returns how many."""
    count = 0
    for path in sorted(source.rglob("*.py")):
        relative = path.relative_to(source)
        if path.is_symlink() or not path.is_file() or SKIP_DIRS & set(relative.parts[:-1]):
            continue
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        count += 1
    return count


def prepare(out: Path) -> None:
    """Empty `out`, refusing to delete a folder this script did not write."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            sys.exit(f"{out} exists and was not written by make_corpus.py; not touching it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by bench/make_corpus.py\n", encoding="utf-8")
    (out / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: bench/corpus")
    parser.add_argument("--files", type=int, default=2000, help="files to generate")
    parser.add_argument(
        "--openai-percent", type=float, default=5.0, help="percent of files using the OpenAI SDK"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--from", dest="source", type=Path, help="copy this project's .py files instead"
    )
    args = parser.parse_args(argv)
    prepare(args.out)
    if args.source is not None:
        count = copy_project(args.source.expanduser().resolve(), args.out)
        print(f"copied {count} .py files from {args.source} to {args.out}")
        return
    openai_count = generate(args.out, args.files, args.openai_percent, args.seed)
    print(f"wrote {args.files} files ({openai_count} calling the OpenAI SDK) to {args.out}")


if __name__ == "__main__":
    main()
