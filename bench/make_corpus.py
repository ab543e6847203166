"""Write the benchmark corpus: a deterministic tree of realistic Python files.

    python bench/make_corpus.py                      # 3,000 files, 2% of them call W&B
    python bench/make_corpus.py --kind dense          # 600 small files, all calling W&B
    python bench/make_corpus.py --kind big            # one 5 MB file with one W&B request
    python bench/make_corpus.py --files 500 --seed 7
    python bench/make_corpus.py --from ~/src/some-project   # copy a real project's .py files

Most generated files are plain library code that never mentions the OpenAI SDK; some build
OpenAI clients for W&B Inference (and a few for OpenAI itself) and make requests with a mix of
right and wrong arguments, so lint-wb has real work on them. The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
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


def generate_file(rng: Random, wandb: bool | None, lines: tuple[int, int, int]) -> str:
    """One module of about `lines` (low, high, mode) lines, built from random plain blocks;
    with an OpenAI SDK section when `wandb` is not None (True: for W&B, False: for OpenAI)."""
    target = int(rng.triangular(*lines))  # leaves room for the last block
    used: set[str] = set()
    imports, section = openai_section(rng, used, wandb=wandb) if wandb is not None else ("", "")
    parts = [header(rng, imports), *([section] if section else [])]
    count = sum(part.count("\n") + 1 for part in parts)  # + 1: the blank line between parts
    while count < target:
        parts.append(plain_block(rng, used))
        count += parts[-1].count("\n") + 1
    return "\n\n".join(parts)


def module_path(index: int, rng: Random) -> Path:
    """`pkgNN/subNN/name_NNNN.py`: about 50 modules per package, like a mid-sized repo."""
    package = f"pkg{index // 50:02d}"
    sub = f"sub{rng.randrange(4)}"
    stem = rng.choice(["models", "utils", "service", "handlers", "io", "core", "views", "tasks"])
    return Path(package, sub, f"{stem}_{index:04d}.py")


TYPICAL_LINES = (50, 750, 120)
DENSE_LINES = (20, 120, 40)


def generate(out: Path, files: int, wandb_percent: float, openai_percent: float, seed: int) -> int:
    """Write `files` generated modules under `out`: `wandb_percent` of them call W&B through
    the OpenAI SDK, `openai_percent` call OpenAI itself. Returns how many call W&B."""
    rng = Random(seed)
    wandb_count = round(files * wandb_percent / 100)
    openai_count = min(files - wandb_count, round(files * openai_percent / 100))
    chosen = rng.sample(range(files), wandb_count + openai_count)
    kinds = {index: position < wandb_count for position, index in enumerate(chosen)}
    lines = DENSE_LINES if wandb_percent >= 100 else TYPICAL_LINES
    for index in range(files):
        text = generate_file(rng, kinds.get(index), lines)
        compile(text, str(index), "exec")  # the corpus measures linting, not syntax errors
        write(out / module_path(index, rng), text)
    return wandb_count


def generate_big(out: Path, megabytes: float, seed: int) -> Path:
    """One module of about `megabytes` MB of plain code with a single W&B client and request."""
    rng = Random(seed)
    used: set[str] = set()
    imports, section = openai_section(rng, used, wandb=True)
    parts, size = [header(rng, imports), section], 0
    while size < megabytes * 1e6:
        parts.append(plain_block(rng, used))
        size += len(parts[-1]) + 2
    path = out / "big_module.py"
    write(path, "\n\n".join(parts))
    return path


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


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


def make_checkout(out: Path) -> None:
    """Commit the corpus to a git repository of its own, when git is installed: pre-commit and
    CI run inside a checkout, where lint-wb's project index covers the whole checkout whatever
    files it is given (SPEC §2), and git decides what is ignored. Without a checkout the
    pre-commit row would read its five files alone."""
    git = shutil.which("git")
    if git is None:
        print("git not found: the corpus is not a checkout", file=sys.stderr)
        return
    env = dict(os.environ)
    for role in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{role}_NAME"], env[f"GIT_{role}_EMAIL"] = "bench", "bench@example.com"
        env[f"GIT_{role}_DATE"] = "2026-01-01T00:00:00Z"
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "bench corpus"]):
        subprocess.run([git, *args], cwd=out, env=env, check=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: bench/corpus")
    parser.add_argument(
        "--kind",
        choices=("typical", "dense", "big"),
        default="typical",
        help="typical: mostly plain code; dense: every file calls W&B; big: one 5 MB file",
    )
    parser.add_argument("--files", type=int, help="files to generate (typical 3,000, dense 600)")
    parser.add_argument(
        "--wandb-percent", type=float, default=2.0, help="typical: percent of files calling W&B"
    )
    parser.add_argument(
        "--openai-percent", type=float, default=1.0, help="typical: percent calling OpenAI itself"
    )
    parser.add_argument("--megabytes", type=float, default=5.0, help="big: the file's size")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--from", dest="source", type=Path, help="copy this project's .py files instead"
    )
    args = parser.parse_args(argv)
    prepare(args.out)
    if args.source is not None:
        count = copy_project(args.source.expanduser().resolve(), args.out)
        print(f"copied {count} .py files from {args.source} to {args.out}")
    elif args.kind == "big":
        path = generate_big(args.out, args.megabytes, args.seed)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, one W&B request)")
    elif args.kind == "dense":
        files = args.files or 600
        generate(args.out, files, 100.0, 0.0, args.seed)
        print(f"wrote {files} small files, every one calling W&B, to {args.out}")
    else:
        files = args.files or 3000
        count = generate(args.out, files, args.wandb_percent, args.openai_percent, args.seed)
        print(f"wrote {files} files ({count} calling W&B) to {args.out}")
    make_checkout(args.out)


if __name__ == "__main__":
    main()
