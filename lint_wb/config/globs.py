"""Glob matching for `exclude`, `extend-exclude` and `per-file-ignores`.

Globs match as in ruff: a pattern without a slash matches the name of any path component
(`build`, `*.pyi`); a pattern with a slash matches the path relative to `Settings.root` (or
the absolute path, when the pattern is absolute). `*` and `?` also match `/`, as in ruff's
(and fnmatch's) globs; `**/` matches zero or more folders.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import field
from functools import lru_cache
from pathlib import Path

from lint_wb.config.settings import Settings
from lint_wb.records import dataclass


def is_excluded(path: Path, settings: Settings) -> bool:
    """Whether `path` (or a folder it is in) matches `exclude` or `extend-exclude`.

    Relative `path`s are read from the current folder. Only folders below `settings.root`
    count (a project that lives in a folder named `build` is not excluded by `build`); for a
    path outside the root, all its folders count. The globs are compiled once per run, and
    each folder's answer is kept, so a path costs one match of its own name.
    """
    matcher, root = _excludes_of(settings)
    if matcher is None:
        return False
    return _excluded(os.path.abspath(path), root, matcher)


def files_excluded_in(folder: str, settings: Settings) -> Callable[[str], bool]:
    """`is_excluded(os.path.join(folder, name), settings)` for the files of `folder` (names
    without a separator), the folder's own part of the answer looked up once: a walk asks
    for every file it finds."""
    matcher, root = _excludes_of(settings)
    if matcher is None:
        return lambda name: False
    found = matcher  # a name for the closure below (mypy keeps the narrowing)
    here = os.path.abspath(folder)
    # `_excluded` of a file asks its folder unless the folder is the root (or `/`)
    inside = here != root and bool(os.path.basename(here))
    if inside and _folder_excluded(here, root, found):
        return lambda name: os.path.join(here, name) != root

    if found.by_relative is None and found.by_absolute is None:
        # the globs look at names alone (the defaults): a file's own name, not its path
        # (`matches_path` would take it back off the path); a file is never the root
        return found.matches_name

    def excluded(name: str) -> bool:
        path = os.path.join(here, name)
        return path != root and found.matches_path(path, root)

    return excluded


def _excludes_of(settings: Settings) -> tuple[_Matcher | None, str]:
    """The compiled excludes of `settings` (None: none) and its root, once per settings
    object (a walk asks for each path: hashing the globs each time cost more than a match)."""
    kept = _EXCLUDES.get(id(settings))
    if kept is None or kept[0] is not settings:
        matcher = _matcher(settings.exclude + settings.extend_exclude)
        found = (None if matcher.is_empty() else matcher, os.path.abspath(settings.root))
        kept = _EXCLUDES[id(settings)] = (settings, *found)
    return kept[1], kept[2]


def _excluded(here: str, root: str, matcher: _Matcher) -> bool:
    if here == root or not os.path.basename(here):
        return False
    if matcher.matches_path(here, root):
        return True
    parent = os.path.dirname(here)
    return parent != here and parent != root and _folder_excluded(parent, root, matcher)


_EXCLUDES: dict[int, tuple[Settings, _Matcher | None, str]] = {}
"""id(settings) -> (settings, kept alive so its id is not reused, the matcher, the root)."""
KEPT_FOLDERS = 65_536
"""How many folders' answers a matcher keeps (`_folder_excluded`); then it starts over."""


def _folder_excluded(folder: str, root: str, matcher: _Matcher) -> bool:
    """`_excluded` of a folder, once per folder: every path of a walk asks for its folder."""
    answers = matcher.folders
    found = answers.get((folder, root))
    if found is None:
        if len(answers) >= KEPT_FOLDERS:
            answers.clear()
        found = answers[(folder, root)] = _excluded(folder, root, matcher)
    return found


def ignored_codes_for(path: Path, settings: Settings) -> tuple[str, ...]:
    """The `per-file-ignores` codes for `path`, in the order written, without repeats."""
    if not settings.per_file_ignores:
        return ()
    candidates = list(_candidates(path, settings.root))
    codes: dict[str, None] = {}
    for pattern, pattern_codes in settings.per_file_ignores:
        matcher = _matcher((pattern,))
        if any(matcher.matches(candidate) for candidate in candidates):
            codes.update(dict.fromkeys(pattern_codes))
    return tuple(codes)


def rebase_glob(pattern: str, old: Path, new: Path) -> str:
    """A glob written in folder `old` that means the same in folder `new`.

    Name-only globs and absolute globs mean the same everywhere. A relative path glob gets
    the way from `new` to `old` in front: relative when `old` is inside `new`, else absolute.
    """
    normal = _normalize_glob(pattern)
    if "/" not in normal or _is_absolute_glob(normal):
        return pattern
    try:
        prefix = old.relative_to(new).as_posix()
    except ValueError:
        prefix = old.as_posix()
    import glob  # only for a configuration file's relative path globs

    return f"{glob.escape(prefix)}/{normal}"


@dataclass(frozen=True)
class _Candidate:
    """One of the paths a glob is tried on: the path itself or a folder it is in."""

    name: str
    relative: str | None
    """Relative to the root, `/`-separated; None outside the root."""
    absolute: str


def _candidates(path: Path, root: Path) -> Iterator[_Candidate]:
    """`path` and the folders it is in: below `root` when it is inside it, else all of them."""
    here, base = os.path.abspath(path), os.path.abspath(root)
    while here != base and os.path.basename(here):
        yield _candidate(here, base)
        parent = os.path.dirname(here)
        if parent == here:
            return
        here = parent


def _candidate(here: str, root: str) -> _Candidate:
    """`here` (absolute and normalized) as globs see it, relative to `root` when inside it."""
    prefix = root if root.endswith(os.sep) else root + os.sep
    relative = here[len(prefix) :] if here.startswith(prefix) else None
    if os.sep != "/":
        here = here.replace(os.sep, "/")
        relative = None if relative is None else relative.replace(os.sep, "/")
    return _Candidate(os.path.basename(here), relative, here)


@dataclass(frozen=True)
class _Matcher:
    """Compiled globs, split by what they are tried on."""

    by_name: re.Pattern[str] | None
    by_relative: re.Pattern[str] | None
    by_absolute: re.Pattern[str] | None
    names: frozenset[str] = frozenset()
    """The name globs without a wildcard (`.venv`, `build`: all the default excludes):
    looked up, not matched."""
    folders: dict[tuple[str, str], bool] = field(default_factory=dict, compare=False)
    """(folder, root) -> whether it is excluded, as found so far (`_folder_excluded`)."""

    def is_empty(self) -> bool:
        return (
            not self.names
            and self.by_name is None
            and self.by_relative is None
            and self.by_absolute is None
        )

    def matches_path(self, here: str, root: str) -> bool:
        """`matches(_candidate(here, root))`, computing only what the globs look at."""
        if self.by_relative is None and self.by_absolute is None:
            return self.matches_name(os.path.basename(here))
        return self.matches(_candidate(here, root))

    def matches_name(self, name: str) -> bool:
        return name in self.names or (
            self.by_name is not None and bool(self.by_name.fullmatch(name))
        )

    def matches(self, candidate: _Candidate) -> bool:
        if self.matches_name(candidate.name):
            return True
        if (
            self.by_relative is not None
            and candidate.relative is not None
            and self.by_relative.fullmatch(candidate.relative)
        ):
            return True
        return self.by_absolute is not None and bool(self.by_absolute.fullmatch(candidate.absolute))


@lru_cache(maxsize=256)
def _matcher(patterns: tuple[str, ...]) -> _Matcher:
    names: set[str] = set()
    by_name: list[str] = []
    by_relative: list[str] = []
    by_absolute: list[str] = []
    for pattern in patterns:
        normal = _normalize_glob(pattern)
        if not normal:
            continue
        if "/" not in normal and not WILDCARDS.intersection(normal):
            names.add(normal)
        elif "/" not in normal:
            by_name.append(normal)
        elif _is_absolute_glob(normal):
            by_absolute.append(normal)
        else:
            by_relative.append(normal)
    return _Matcher(
        _compile(by_name), _compile(by_relative), _compile(by_absolute), frozenset(names)
    )


WILDCARDS = frozenset("*?[")
"""What makes a glob more than the name it spells (`_glob_to_regex`)."""


def _compile(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{_glob_to_regex(p)})" for p in patterns), re.DOTALL)


def _normalize_glob(pattern: str) -> str:
    """`\\` as `/`, no leading `./`, no trailing `/` (`build/` means any `build`)."""
    normal = pattern.replace("\\", "/") if os.sep == "\\" else pattern
    while normal.startswith("./"):
        normal = normal[2:]
    if len(normal) > 1:
        normal = normal.rstrip("/") or "/"
    return normal


def _is_absolute_glob(pattern: str) -> bool:
    return pattern.startswith("/") or Path(pattern).is_absolute()


def _glob_to_regex(pattern: str) -> str:
    """A regular expression (for fullmatch) equivalent to the glob `pattern`.

    `*` and `?` match any characters, `/` included (fnmatch, and ruff's default); `**/` as a
    whole component also matches no folder at all (`src/**/x.py` matches `src/x.py`);
    `[abc]`, `[a-z]`, `[!abc]` / `[^abc]` are character classes.
    """
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            end = index
            while end < len(pattern) and pattern[end] == "*":
                end += 1
            whole = (index == 0 or pattern[index - 1] == "/") and end - index >= 2
            if whole and end < len(pattern) and pattern[end] == "/":
                out.append("(?:.*/)?")
                end += 1
            else:
                out.append(".*")
            index = end
        elif char == "?":
            out.append(".")
            index += 1
        elif char == "[":
            close = _class_end(pattern, index)
            if close < 0:
                out.append(re.escape(char))
                index += 1
            else:
                out.append(_class_to_regex(pattern[index + 1 : close]))
                index = close + 1
        else:
            out.append(re.escape(char))
            index += 1
    return "".join(out)


def _class_end(pattern: str, start: int) -> int:
    """The index of the `]` closing the class opened at `start`, or -1 when unclosed."""
    index = start + 1
    if index < len(pattern) and pattern[index] in "!^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":
        index += 1  # a `]` first in a class is itself a member
    return pattern.find("]", index)


def _class_to_regex(body: str) -> str:
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    escaped = "".join("\\" + char if char in "\\[]&~|^" else char for char in body)
    return f"[{'^' if negate else ''}{escaped}]"
