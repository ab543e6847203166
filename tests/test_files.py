from __future__ import annotations

import codecs
import os
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from lint_wb import files
from lint_wb.files import (
    RawFile,
    ReadError,
    SourceFile,
    WriteError,
    decode_source,
    discovery,
    read_raw,
    read_source,
    write_atomic,
)
from lint_wb.files.discovery import Discovery, discover

EXCLUDED_NAMES = frozenset({".venv", "node_modules", "build"})


def by_name(path: Path) -> bool:
    return path.name in EXCLUDED_NAMES


def never(path: Path) -> bool:
    return False


def run_discover(
    *paths: Path,
    is_excluded: Callable[[Path], bool] = by_name,
    respect_gitignore: bool = False,
    force_exclude: bool = False,
    root: Path | None = None,
) -> Discovery:
    return discover(
        list(paths),
        is_excluded=is_excluded,
        respect_gitignore=respect_gitignore,
        force_exclude=force_exclude,
        root=root,
    )


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def rel(discovery: Discovery, root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in discovery.files]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    yield tmp_path


# --------------------------------------------------------------------------- discovery


def test_directories_are_walked_for_py_pyi_ipynb_only(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "b.pyi", "c.ipynb", "d.txt", "e.pyc", "setup.cfg", "pkg/f.py", "g.PY")
    result = run_discover(tmp_path)
    assert rel(result, tmp_path) == ["a.py", "b.pyi", "c.ipynb", "pkg/f.py"]
    assert result.errors == ()


def test_explicit_files_are_taken_whatever_their_suffix(tmp_path: Path) -> None:
    touch(tmp_path, "script", "notes.txt")
    result = run_discover(tmp_path / "script", tmp_path / "notes.txt")
    assert rel(result, tmp_path) == ["notes.txt", "script"]


def test_missing_explicit_path_is_yielded_so_reading_reports_it(tmp_path: Path) -> None:
    missing = tmp_path / "missing.py"
    assert run_discover(missing).files == (missing,)
    error = read_source(missing)
    assert isinstance(error, ReadError)
    assert error.message == "No such file or directory"


def test_excluded_directories_are_not_entered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "a.py", ".venv/lib/site.py", "node_modules/x/y.py", "src/build/gen.py")
    listed: list[Path] = []
    real_scandir = os.scandir

    def spy(path: Path) -> object:
        listed.append(Path(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", spy)
    result = run_discover(tmp_path)
    assert rel(result, tmp_path) == ["a.py"]
    assert set(listed) == {tmp_path, tmp_path / "src"}


def test_excluded_files_are_skipped_in_a_walk(tmp_path: Path) -> None:
    touch(tmp_path, "keep.py", "skip.py")
    result = run_discover(tmp_path, is_excluded=lambda p: p.name == "skip.py")
    assert rel(result, tmp_path) == ["keep.py"]


def test_explicit_paths_ignore_excludes_without_force_exclude(tmp_path: Path) -> None:
    touch(tmp_path, "build/gen.py", ".venv/x.py")
    result = run_discover(tmp_path / "build", tmp_path / ".venv" / "x.py")
    assert rel(result, tmp_path) == [".venv/x.py", "build/gen.py"]


def test_force_exclude_applies_to_explicit_paths_and_their_folders(in_tmp: Path) -> None:
    touch(in_tmp, "build/gen.py", ".venv/lib/x.py", "src/ok.py", "skip.py")
    result = run_discover(
        Path("build"),
        Path(".venv/lib/x.py"),
        Path("src/ok.py"),
        Path("skip.py"),
        is_excluded=lambda p: p.name in EXCLUDED_NAMES or p.name == "skip.py",
        force_exclude=True,
    )
    assert [p.as_posix() for p in result.files] == ["src/ok.py"]


def test_force_exclude_does_not_look_above_the_root(tmp_path: Path) -> None:
    project = tmp_path / "build" / "project"
    touch(project, "a.py")
    result = run_discover(project / "a.py", force_exclude=True, root=project)
    assert result.files == (project / "a.py",)


def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    touch(tmp_path, "real/a.py")
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "alias.py").symlink_to(tmp_path / "real" / "a.py")
    (tmp_path / "broken.py").symlink_to(tmp_path / "nowhere.py")
    assert rel(run_discover(tmp_path), tmp_path) == ["alias.py", "real/a.py"]


def test_explicitly_given_symlinked_directory_is_walked(tmp_path: Path) -> None:
    touch(tmp_path, "real/a.py")
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    assert run_discover(tmp_path / "link").files == (tmp_path / "link" / "a.py",)


def test_output_is_sorted_and_overlapping_paths_give_no_duplicates(in_tmp: Path) -> None:
    touch(in_tmp, "src/b.py", "src/a.py", "src/sub/c.py", "z.py")
    result = run_discover(
        Path("src/sub/c.py"), Path("."), Path("src"), Path("./src/../src/a.py"), Path("src/sub")
    )
    assert [p.as_posix() for p in result.files] == [
        "src/a.py",
        "src/b.py",
        "src/sub/c.py",
        "z.py",
    ]


def test_a_walks_files_come_in_the_order_of_their_parts(tmp_path: Path) -> None:
    """One walk sorts its files as `Path` sorts them, by parts: a name holding a byte below
    `/` (`-`, `.`, a space) sorts after a shorter name it starts with (`a/b.py` before
    `a-b/x.py` before `a.py`), which the paths' text, compared whole, would not give."""
    names = ["a.py", "a-b/x.py", "a/b.py", "a b.py", "a/.x.py", "A.py", "a!/z.py", ".h/d.py"]
    names += ["a.b/c.py", "a/b/c.py", "a/b-c.py", "\u00e4.py", "b/a/a.py", "b/a.py"]
    touch(tmp_path, *names)
    found = run_discover(tmp_path).files
    assert found == tuple(sorted(tmp_path / name for name in names))
    assert [str(path) for path in found] != sorted(str(path) for path in found)


@pytest.mark.parametrize("given", [".", "./src", "src", "src/", "ABSOLUTE"])
def test_walked_paths_are_those_slash_makes(
    in_tmp: Path, given: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk makes each file's Path with pathlib's shortcut for a child (`_child`): each
    is the Path `folder / name` gives, to its text, parts and hash, in every form a folder is
    given in."""
    touch(in_tmp, "src/a.py", "src/pkg/b.py", "src/pkg/deep/c.pyi", "src/.hidden/d.py")
    root = str(in_tmp / "src") if given == "ABSOLUTE" else given
    walked = run_discover(Path(root)).files
    from lint_wb.files import discovery

    monkeypatch.setattr(discovery, "_MAKE_CHILD", Path.__truediv__)
    assert walked == run_discover(Path(root)).files
    for path in walked:
        again = Path(os.fspath(path))
        assert (str(path), path.parts, hash(path), path) == (
            str(again),
            again.parts,
            hash(again),
            again,
        )
    assert {path.name for path in walked} >= {"a.py", "b.py", "c.pyi"}


def test_git_directories_are_never_entered(tmp_path: Path) -> None:
    touch(tmp_path, ".git/hooks/pre-commit.py", "a.py")
    assert rel(run_discover(tmp_path, is_excluded=never), tmp_path) == ["a.py"]


def test_unreadable_directory_is_an_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "ok/a.py", "locked/b.py")
    real_scandir = os.scandir

    def scandir(path: Path) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run_discover(tmp_path)
    assert rel(result, tmp_path) == ["ok/a.py"]
    assert result.errors == ((tmp_path / "locked", "cannot list directory: Permission denied"),)


def test_unreadable_directory_with_real_permissions(tmp_path: Path) -> None:
    touch(tmp_path, "ok/a.py", "locked/b.py")
    locked = tmp_path / "locked"
    locked.chmod(0)
    try:
        try:
            os.listdir(locked)
        except PermissionError:
            pass
        else:
            pytest.skip("running with privileges that ignore directory permissions (root)")
        result = run_discover(tmp_path)
        assert rel(result, tmp_path) == ["ok/a.py"]
        assert result.errors == ((locked, "cannot list directory: Permission denied"),)
    finally:
        locked.chmod(0o755)


def test_unreadable_explicit_directory_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def scandir(path: Path) -> object:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", scandir)
    result = run_discover(tmp_path)
    assert result.files == ()
    assert result.errors == ((tmp_path, "cannot list directory: Permission denied"),)


# --------------------------------------------------------------------------- gitignore

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree with a root and a nested .gitignore, and one tracked ignored file."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / ".gitignore").write_text("generated/\n*_pb2.py\n")
    touch(
        root,
        "app.py",
        "api_pb2.py",
        "generated/models.py",
        "pkg/mod.py",
        "pkg/local.py",
        "pkg/deep/x.py",
        "tracked_pb2.py",
        "private.py",
    )
    (root / "pkg" / ".gitignore").write_text("local.py\n")
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "exclude").write_text("private.py\n")
    git(root, "add", "-f", "tracked_pb2.py")
    return root


@needs_git
def test_gitignore_is_honoured_through_git(repo: Path) -> None:
    result = run_discover(repo, respect_gitignore=True)
    assert rel(result, repo) == ["app.py", "pkg/deep/x.py", "pkg/mod.py", "tracked_pb2.py"]


@needs_git
def test_gitignore_off_lists_everything(repo: Path) -> None:
    result = run_discover(repo, respect_gitignore=False)
    assert "generated/models.py" in rel(result, repo)
    assert "pkg/local.py" in rel(result, repo)


@needs_git
def test_gitignore_for_a_subfolder_of_the_repo(repo: Path) -> None:
    result = run_discover(repo / "pkg", respect_gitignore=True)
    assert rel(result, repo) == ["pkg/deep/x.py", "pkg/mod.py"]


@needs_git
def test_explicit_ignored_file_is_still_taken(repo: Path) -> None:
    result = run_discover(repo / "api_pb2.py", respect_gitignore=True)
    assert result.files == (repo / "api_pb2.py",)


@needs_git
def test_explicit_ignored_folder_is_walked(repo: Path) -> None:
    result = run_discover(repo / "generated", respect_gitignore=True)
    assert rel(result, repo) == ["generated/models.py"]


@needs_git
def test_nested_repository_uses_its_own_gitignore(repo: Path) -> None:
    nested = repo / "vendor" / "lib"
    nested.mkdir(parents=True)
    git(nested, "init", "-q")
    (nested / ".gitignore").write_text("secret.py\n")
    touch(nested, "pub.py", "secret.py")
    result = run_discover(repo, respect_gitignore=True)
    assert "vendor/lib/pub.py" in rel(result, repo)
    assert "vendor/lib/secret.py" not in rel(result, repo)


@needs_git
def test_repositories_inside_a_plain_folder_are_filtered(tmp_path: Path) -> None:
    one = tmp_path / "one"
    one.mkdir()
    git(one, "init", "-q")
    (one / ".gitignore").write_text("skip.py\n")
    touch(one, "keep.py", "skip.py")
    touch(tmp_path, "loose.py")
    result = run_discover(tmp_path, respect_gitignore=True)
    assert rel(result, tmp_path) == ["loose.py", "one/keep.py"]


def test_without_git_nothing_is_filtered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".gitignore").write_text("b.py\n")
    touch(tmp_path, "a.py", "b.py")
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    result = run_discover(tmp_path, respect_gitignore=True)
    assert rel(result, tmp_path) == ["a.py", "b.py"]


@needs_git
def test_folder_outside_any_repository_is_not_filtered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".gitignore").write_text("b.py\n")
    touch(tmp_path, "a.py", "b.py")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = run_discover(tmp_path, respect_gitignore=True)
    assert rel(result, tmp_path) == ["a.py", "b.py"]


def test_git_is_not_started_where_no_folder_up_holds_a_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tree outside any repository (a release unpacked, a copied project): git's answer is
    known without starting it, and nothing is filtered, as git's 128 means."""
    if discovery.in_a_work_tree(tmp_path):
        pytest.skip("the temporary folder is inside a git work tree")
    (tmp_path / ".gitignore").write_text("b.py\n")
    touch(tmp_path, "a.py", "b.py")
    started: list[list[str]] = []
    monkeypatch.setattr(discovery, "_run_git", lambda args, cwd: started.append(args))
    result = run_discover(tmp_path, respect_gitignore=True)
    assert rel(result, tmp_path) == ["a.py", "b.py"]
    assert started == []
    assert discovery.git_answer(discovery.CHECK_IGNORE, tmp_path) == discovery.NOT_A_REPOSITORY


@needs_git
def test_a_folder_linked_into_a_repository_is_filtered_by_git(repo: Path, tmp_path: Path) -> None:
    """git sees the folder a link leads to: the link's own folders do not decide."""
    link = tmp_path / "link"
    link.symlink_to(repo / "pkg")
    assert discovery.in_a_work_tree(link)
    result = run_discover(link, respect_gitignore=True)
    assert rel(result, link) == ["deep/x.py", "mod.py"]


# --------------------------------------------------------------------------- reading


def test_read_plain_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes("s = 'héllo'\n".encode())
    source = read_source(path)
    assert isinstance(source, SourceFile)
    assert source.text == "s = 'héllo'\n"
    assert (source.encoding, source.bom) == ("utf-8", False)
    assert source.raw == path.read_bytes()
    assert stat.S_ISREG(source.mode)


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "blob.py"
    path.write_bytes(b"import openai\n\x00\x01\x02")
    assert read_source(path) == ReadError(path, "binary file, skipped")


def test_nul_after_the_sniff_window_is_not_binary(tmp_path: Path) -> None:
    data = b"#" * files.BINARY_SNIFF_SIZE + b"\n\x00"
    assert isinstance(decode_source(data, "x.py"), SourceFile)


def test_invalid_utf8_names_the_byte_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(b"x = 1\ns = '\xff'\n")
    error = read_source(path)
    assert error == ReadError(
        path,
        "not valid UTF-8 (byte 0xff at offset 11, line 2); "
        "add an encoding cookie or re-save as UTF-8",
    )


def test_invalid_utf8_on_the_first_line(tmp_path: Path) -> None:
    error = decode_source(b"s = '\xe9'\n", "x.py")
    assert isinstance(error, ReadError)
    assert error.message.startswith("not valid UTF-8 (byte 0xe9 at offset 5, line 1)")


def test_invalid_bytes_for_a_declared_encoding() -> None:
    error = decode_source(b"# -*- coding: ascii -*-\ns = '\xe9'\n", "x.py")
    assert isinstance(error, ReadError)
    assert error.message.startswith("not valid ascii (byte 0xe9 at offset 29, line 2)")


def test_unknown_coding_cookie_is_a_read_error() -> None:
    error = decode_source(b"# -*- coding: klingon -*-\nx = 1\n", "x.py")
    assert isinstance(error, ReadError)
    assert error.message == "invalid encoding declaration: unknown encoding: klingon"


def test_read_errors_carry_the_strerror(tmp_path: Path) -> None:
    error = read_source(tmp_path)
    assert error == ReadError(tmp_path, "Is a directory")


def test_read_raw_then_decode_is_read_source(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"import openai\r\n")
    raw = read_raw(path)
    assert isinstance(raw, RawFile)
    assert raw.data == b"import openai\r\n"
    assert decode_source(raw.data, raw.path, mode=raw.mode) == read_source(path)
    assert read_raw(tmp_path / "missing.py") == ReadError(
        tmp_path / "missing.py", "No such file or directory"
    )


def test_decode_source_for_stdin() -> None:
    source = decode_source(b"import openai\r\n", "-")
    assert isinstance(source, SourceFile)
    assert source.path == Path("-")
    assert source.text == "import openai\r\n"
    assert source.mode == 0


def test_latin1_with_cookie_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    original = "# -*- coding: latin-1 -*-\nname = 'café'\n"
    path.write_bytes(original.encode("latin-1"))
    source = read_source(path)
    assert isinstance(source, SourceFile)
    assert source.encoding == "iso-8859-1"
    assert source.text == original
    write_atomic(source, source.text.replace("café", "crème"))
    assert path.read_bytes() == original.replace("café", "crème").encode("latin-1")


def test_unencodable_fix_raises_and_leaves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    original = "# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1")
    path.write_bytes(original)
    source = read_source(path)
    assert isinstance(source, SourceFile)
    with pytest.raises(WriteError, match=r"'→' \(U\+2192\) on line 2, which iso-8859-1"):
        write_atomic(source, "# -*- coding: latin-1 -*-\nname = '→'\n")
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ["latin.py"]


def test_bom_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfx = 'caf\xc3\xa9'\n")
    source = read_source(path)
    assert isinstance(source, SourceFile)
    assert (source.encoding, source.bom) == ("utf-8", True)
    assert source.text == "x = 'café'\n"
    write_atomic(source, "x = 'thé'\n")
    assert path.read_bytes() == b"\xef\xbb\xbfx = 'th\xc3\xa9'\n"


def test_bom_with_utf8_cookie() -> None:
    source = decode_source(b"\xef\xbb\xbf# coding: utf-8\nx = 1\n", "x.py")
    assert isinstance(source, SourceFile)
    assert (source.encoding, source.bom, source.text) == ("utf-8", True, "# coding: utf-8\nx = 1\n")


def test_crlf_is_preserved(tmp_path: Path) -> None:
    path = tmp_path / "crlf.py"
    path.write_bytes(b"import openai\r\nx = 1\r\n")
    source = read_source(path)
    assert isinstance(source, SourceFile)
    assert source.text == "import openai\r\nx = 1\r\n"
    write_atomic(source, source.text.replace("1", "2"))
    assert path.read_bytes() == b"import openai\r\nx = 2\r\n"


# --------------------------------------------------------------------------- writing


def test_atomic_write_keeps_mode_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "tool.py"
    path.write_text("x = 1\n")
    path.chmod(0o755)
    source = read_source(path)
    assert isinstance(source, SourceFile)
    write_atomic(source, "x = 2\n")
    assert path.read_text() == "x = 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    assert os.listdir(tmp_path) == ["tool.py"]


def test_unchanged_content_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "same.py"
    path.write_text("x = 1\n")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.stat()
    source = read_source(path)
    assert isinstance(source, SourceFile)
    write_atomic(source, "x = 1\n")
    after = path.stat()
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)


def test_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_text("x = 1\n")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    source = read_source(link)
    assert isinstance(source, SourceFile)
    write_atomic(source, "x = 2\n")
    assert link.is_symlink()
    assert real.read_text() == "x = 2\n"


def test_failed_write_removes_the_temp_file_and_raises_write_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.py"
    path.write_text("x = 1\n")
    source = read_source(path)
    assert isinstance(source, SourceFile)

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(WriteError, match="No space left on device") as info:
        write_atomic(source, "x = 2\n")
    assert isinstance(info.value, OSError)
    assert path.read_text() == "x = 1\n"
    assert os.listdir(tmp_path) == ["a.py"]


def test_write_into_a_missing_folder_is_a_write_error(tmp_path: Path) -> None:
    source = decode_source(b"x = 1\n", tmp_path / "gone" / "a.py")
    assert isinstance(source, SourceFile)
    with pytest.raises(WriteError, match="No such file or directory"):
        write_atomic(source, "x = 2\n")


@pytest.mark.parametrize("told", [0, 5, 99, 100, 101, 5000])
def test_a_file_is_read_whole_whatever_size_its_stat_told(tmp_path: Path, told: int) -> None:
    """`read_raw` reads once when the file has the size its stat gave; a file that grew or
    shrank since (or a short read) is read to its end."""
    from lint_wb.files import _read_all

    path = tmp_path / "grown.py"
    path.write_bytes(bytes(range(100)))
    descriptor = os.open(path, os.O_RDONLY)
    try:
        assert _read_all(descriptor, told) == bytes(range(100))
    finally:
        os.close(descriptor)


PARENT_EXCLUDES = [
    '["gen_*", "src/legacy/*.py", "skip.py", "ABS/abs/*.py"]',
    '["pkg", "dotted.v1", "src/legacy"]',
    '["*.pyi", "deep"]',
]


@pytest.mark.parametrize("parent", PARENT_EXCLUDES)
@pytest.mark.parametrize("relative", [False, True])
def test_a_walk_asking_each_folder_once_finds_what_asking_each_path_finds(
    parent: str, relative: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """api's excludes answer a folder's files by name (`Excludes.of_files_in`): the same
    files as `_excluded` asked of each path, with nested configurations (a folder with its
    own is excluded or not by the settings above it), name, path and absolute globs, the
    default excludes, and a folder whose name has a dot."""
    from lint_wb import api
    from lint_wb.config.per_file import SettingsCache
    from lint_wb.results import Overrides

    root = tmp_path / "root"
    touch(root, "src/a.py", "src/skip.py", "src/legacy/old.py", "src/legacy/keep.pyi",
          "gen_x/m.py", "build/b.py", "abs/c.py", "pkg/local.py", "pkg/x.py", "pkg/deep/y.py",
          "pkg/build/z.py", "dotted.v1/z.py", "dotted.v1/skip.py")  # fmt: skip
    excludes = parent.replace("ABS", root.as_posix())
    (root / "pyproject.toml").write_text(f"[tool.lint-wb]\nextend-exclude = {excludes}\n")
    (root / "pkg" / "pyproject.toml").write_text('[tool.lint-wb]\nextend-exclude = ["local.py"]\n')
    monkeypatch.chdir(tmp_path)
    walked_root = Path("root") if relative else root

    def found(excludes_of: Callable[[SettingsCache], Callable[[Path], bool]]) -> list[str]:
        cache = SettingsCache(Overrides())
        return rel(run_discover(walked_root, is_excluded=excludes_of(cache)), walked_root)

    by_path = found(lambda cache: lambda path: api._excluded(path, cache))
    by_folder = found(api._RunExcludes)
    assert by_folder == by_path
    for folder in ("build", "src/legacy", "pkg", "dotted.v1"):  # excluded ones walked when named
        walked = walked_root / folder
        cache = SettingsCache(Overrides())
        assert run_discover(walked, is_excluded=api._RunExcludes(cache)) == run_discover(
            walked, is_excluded=partial(api._excluded, cache=cache)
        )
    left_out = {
        PARENT_EXCLUDES[0]: {
            *("gen_x/m.py", "src/legacy/old.py", "src/skip.py", "abs/c.py"),
            *("dotted.v1/skip.py", "pkg/local.py"),
        },
        PARENT_EXCLUDES[1]: {"pkg/x.py", "dotted.v1/z.py", "src/legacy/keep.pyi"},
        PARENT_EXCLUDES[2]: {"src/legacy/keep.pyi", "pkg/local.py"},
    }[parent]
    assert "src/a.py" in by_path and "build/b.py" not in by_path and "pkg/build/z.py" not in by_path
    assert left_out.isdisjoint(by_path)
    # pkg's own configuration is in force inside it: the parent's `deep` is not
    assert ("pkg/deep/y.py" in by_path) == ("pkg" not in parent)


@needs_git
def test_git_started_ahead_gives_the_walk_the_same_answers(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold run starts the walk's git ahead (`start_git_ahead`): the walk takes those
    answers, starts no git of its own, and finds what a walk asking git itself finds; the
    git it does not take (here with gitignore off) is stopped with the walk."""
    from lint_wb.files import discovery

    fresh = run_discover(repo, respect_gitignore=True)
    started: list[list[str]] = []
    start = discovery._started_git

    def starting(args: list[str], cwd: Path) -> object:
        started.append(args)
        return start(args, cwd)

    monkeypatch.setattr(discovery, "_started_git", starting)
    discovery.start_git_ahead([repo])
    assert sorted(started) == sorted([list(discovery.CHECK_IGNORE), list(discovery.LS_FILES)])
    assert run_discover(repo, respect_gitignore=True) == fresh
    assert len(started) == 2 and not discovery._AHEAD  # both taken: none started again
    discovery.start_git_ahead([repo])
    ahead = list(discovery._AHEAD.values())
    assert "generated/models.py" in rel(run_discover(repo, respect_gitignore=False), repo)
    discovery.stop_git_ahead()
    assert not discovery._AHEAD and all(started.ended for started in ahead)


@needs_git
def test_a_run_starts_git_ahead_only_without_the_cache(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A run with the cache may take its last walk and ask git nothing: no git is started
    ahead for it. Either way none is left when the run ends."""
    from lint_wb import api
    from lint_wb.cache import ResultCache
    from lint_wb.files import discovery
    from lint_wb.results import Mode, Overrides

    asked: list[int] = []
    start = discovery.start_git_ahead
    monkeypatch.setattr(api, "start_git_ahead", lambda paths: asked.append(1) or start(paths))
    cold = api.check_paths([repo], Overrides(isolated=True), Mode(), jobs=1)
    assert asked == [1] and not discovery._AHEAD
    cached = Mode(results_cache=ResultCache(tmp_path / "cache"))
    warm = api.check_paths([repo], Overrides(isolated=True), cached, jobs=1)
    assert asked == [1] and not discovery._AHEAD
    assert [r.path for r in cold.files] == [r.path for r in warm.files]


def test_only_a_text_that_may_hold_a_cookie_goes_to_tokenize(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A cookie holds the word `coding` in the first two lines: other texts are UTF-8
    without asking `tokenize`; the ones that may hold a cookie still ask it."""
    import tokenize

    asked: list[bytes] = []
    detect = tokenize.detect_encoding

    def counting(readline: Callable[[], bytes]) -> tuple[str, list[bytes]]:
        found = detect(readline)
        asked.append(b"".join(found[1]))
        return found

    monkeypatch.setattr(tokenize, "detect_encoding", counting)
    plain = decode_source(b"x = 1\ny = 2\n# coding: latin-1, in the third line\n", "x.py")
    bom = decode_source(codecs.BOM_UTF8 + b"\n\nname = 'caf\xc3\xa9'\n", "x.py")
    assert isinstance(plain, SourceFile) and isinstance(bom, SourceFile)
    assert (plain.encoding, plain.bom, bom.encoding, bom.bom) == ("utf-8", False, "utf-8", True)
    assert asked == []
    latin = decode_source(b"#!/usr/bin/env python\n# coding: latin-1\ns = '\xe9'\n", "x.py")
    assert isinstance(latin, SourceFile) and latin.text.endswith("s = '\xe9'\n")
    assert len(asked) == 1


@needs_git
def test_the_command_starts_git_before_the_run_and_leaves_none(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`lint-wb --no-cache FOLDER` starts the walk's git before the run's machinery loads
    (`commands._check`), so git lists the folder meanwhile: when the run starts, git is
    already running. A command that ends before its run (here an output file it cannot
    write) leaves no git behind."""
    from lint_wb import api
    from lint_wb.cli import commands
    from lint_wb.cli.options import Options, ReportOptions
    from lint_wb.files import discovery
    from lint_wb.files.git_process import Started

    running_at_run: list[list[tuple[str, ...]]] = []
    check_paths = api.check_paths

    def checking(*args: object, **kwargs: object) -> object:
        running_at_run.append([args for args, _ in discovery._AHEAD])
        return check_paths(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "check_paths", checking)
    options = Options(paths=(repo,), no_cache=True, isolated=True, jobs=1)
    assert commands.run_guarded(options) == 0
    assert sorted(running_at_run) == [sorted([discovery.CHECK_IGNORE, discovery.LS_FILES])]
    assert not discovery._AHEAD
    started: list[Started] = []
    start = discovery._started_git

    def starting(args: list[str], cwd: Path) -> Started | None:
        git = start(args, cwd)
        if git is not None:
            started.append(git)
        return git

    monkeypatch.setattr(discovery, "_started_git", starting)
    unwritable = ReportOptions(output_file=repo / "missing" / "report.txt")
    early = Options(paths=(repo,), no_cache=True, isolated=True, report=unwritable)
    assert commands.run_guarded(early) != 0
    assert len(started) == 2 and not discovery._AHEAD
    assert all(git.ended for git in started)
    capsys.readouterr()


@pytest.mark.parametrize(
    "name",
    [
        "a.py",
        "a.pyi",
        "nb.ipynb",
        ".py",
        "..py",
        "...pyi",
        "._x.py",
        ".hidden.py",
        "a.py.bak",
        "a.PY",
        "a.",
        "a",
        "a.tar.py",
        "x.ipynb.py",
        "py",
        ".ipynb",
        "a..py",
        ".a.b.ipynb",
    ],
)
def test_a_walk_picks_a_file_by_the_suffix_splitext_gives(name: str) -> None:
    """`is_source_name`, asked of every file a walk lists, answers as
    `os.path.splitext(name)[1] in SOURCE_SUFFIXES`."""
    from lint_wb.files.discovery import SOURCE_SUFFIXES, is_source_name

    assert is_source_name(name) == (os.path.splitext(name)[1] in SOURCE_SUFFIXES)
