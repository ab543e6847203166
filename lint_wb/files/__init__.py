"""The file layer: reading files and atomic writes (which files to check is `discovery.py`,
which of them to parse `prefilter.py`).

Nothing here prints or parses Python. Every failure a user can cause (an unreadable, binary
or undecodable file, a read-only file) comes back as a value or an `OSError` subclass with a
one-line message, so a run goes on with the other files.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import stat
from pathlib import Path

from lint_wb.files.atomic import (
    ChangedSinceRead,
    ReadOnlyFile,
    WriteError,
    WriteOptions,
    os_message,
    replace_file,
)
from lint_wb.records import dataclass

__all__ = [
    "BINARY_SNIFF_SIZE",
    "ChangedSinceRead",
    "RawFile",
    "ReadError",
    "ReadOnlyFile",
    "SourceFile",
    "WriteError",
    "broken_link_message",
    "decode_source",
    "encode_text",
    "is_binary",
    "os_message",
    "read_raw",
    "read_regular_text",
    "read_source",
    "write_atomic",
]

BINARY_SNIFF_SIZE = 8192
"""A NUL byte within this many leading bytes marks a file as binary (as git and grep do)."""


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class SourceFile:
    """A file's bytes and its decoded text, with what is needed to write it back unchanged."""

    path: Path
    text: str
    """Decoded, BOM stripped, line endings as in the file (`\\r\\n` is not translated)."""
    encoding: str
    """As `tokenize.detect_encoding` names it (`utf-8`, `iso-8859-1`, ...); `utf-8` with a BOM."""
    bom: bool
    raw: bytes
    mode: int
    """`st_mode` when read; 0 for text that did not come from a file (stdin)."""


@dataclass(frozen=True)
class ReadError:
    """A file that could not be read or decoded, with a one-line reason."""

    path: Path
    message: str


@dataclass(frozen=True)
class RawFile:
    """A file's bytes, before decoding: what the prefilter and the cache key look at."""

    path: Path
    data: bytes
    mode: int


def read_raw(path: Path) -> RawFile | ReadError:
    """Read `path`'s bytes and mode; an OSError becomes a ReadError with its strerror.

    The fast path: `read_raw`, then the prefilter (`prefilter.py`) on `data`, and only then
    :func:`decode_source` (`data, path, mode=mode`), so skipped files are never decoded.

    Only regular files are read: a FIFO, a socket or a device (`/dev/zero`) named on the
    command line is refused without blocking on it or reading a byte (the open does not
    wait for a FIFO's writer), and a broken symbolic link says where it points.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | _NONBLOCK | _NOCTTY)
    except OSError as exc:
        return ReadError(path, _open_failure(path, exc))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return ReadError(path, _not_regular(status.st_mode))
        data = _read_all(descriptor, status.st_size)
    except OSError as exc:
        return ReadError(path, os_message(exc))
    finally:
        os.close(descriptor)
    return RawFile(path=path, data=data, mode=status.st_mode)


def _read_all(descriptor: int, size: int) -> bytes:
    """Every byte of a regular file whose size was `size`: one read when it gives exactly
    that; else (the file changed meanwhile, or a file system reads in parts) reads to the end."""
    data = os.read(descriptor, size + 1)
    if len(data) == size:
        return data
    chunks = [data]
    while chunk := os.read(descriptor, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def read_regular_text(path: Path) -> str:
    """A configuration or data file's UTF-8 text, as `Path.read_text` gives it, but read
    only when it is a regular file: `models-file = "/dev/zero"` or a FIFO would otherwise
    never end or block. Raises OSError (its message says why) or UnicodeDecodeError."""
    raw = read_raw(path)
    if isinstance(raw, ReadError):
        raise OSError(raw.message)
    return raw.data.decode("utf-8")


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0)
_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def broken_link_message(path: str | Path) -> str:
    try:
        return f"broken symbolic link to {os.readlink(path)}"
    except OSError:  # replaced since it was seen
        return "broken symbolic link"


def _not_regular(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return os.strerror(errno.EISDIR)
    kind = next((name for test, name in _KINDS if test(mode)), "special file")
    return f"{kind}, not a regular file; not read"


def _open_failure(path: Path, exc: OSError) -> str:
    """Why `path` could not be opened, in the words that help: a broken link names its
    target, a socket (which `open` refuses with ENXIO) is called a socket."""
    if isinstance(exc, FileNotFoundError) and os.path.islink(path):
        return broken_link_message(path)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return os_message(exc)
    return os_message(exc) if stat.S_ISREG(mode) else _not_regular(mode)


def read_source(path: Path) -> SourceFile | ReadError:
    """Read and decode `path`; never raises."""
    raw = read_raw(path)
    if isinstance(raw, ReadError):
        return raw
    return decode_source(raw.data, path, mode=raw.mode)


NOTEBOOK_SUFFIX = ".ipynb"


def is_binary(data: bytes) -> bool:
    """A NUL byte near the start, as git and grep judge it."""
    return data.find(b"\0", 0, BINARY_SNIFF_SIZE) >= 0  # no copy of the first bytes


def decode_source(data: bytes, name: str | Path, *, mode: int = 0) -> SourceFile | ReadError:
    """Decode source bytes as Python does (BOM, then a coding cookie, else UTF-8).

    Shared by :func:`read_source` and the stdin path (`name` is `--stdin-filename`).
    """
    path = Path(name)
    if is_binary(data):
        return ReadError(path, "binary file, skipped")
    notebook = path.suffix == NOTEBOOK_SUFFIX
    try:
        encoding, bom = _notebook_encoding(data) if notebook else _detect_encoding(data)
    except SyntaxError as exc:
        return ReadError(path, f"invalid encoding declaration: {exc.msg}")
    start = len(codecs.BOM_UTF8) if bom else 0
    try:
        text = data[start:].decode(encoding)
    except UnicodeDecodeError as exc:
        return ReadError(path, _undecodable_message(data, exc, encoding, start, notebook))
    return SourceFile(path=path, text=text, encoding=encoding, bom=bom, raw=data, mode=mode)


def _detect_encoding(data: bytes) -> tuple[str, bool]:
    """(encoding, has BOM). Raises SyntaxError for an unknown or contradictory cookie.

    A coding cookie stands in the first two lines (as `tokenize` reads them, split at
    `\\n`) and holds the word `coding`: without it, the text is UTF-8 (what `tokenize`
    answers then, after decoding those lines), so most files skip `tokenize`."""
    if b"coding" not in data[: _two_lines_end(data)]:
        return "utf-8", data.startswith(codecs.BOM_UTF8)
    import tokenize  # only here: most texts have no cookie (a run that reads none loads none)

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # The first lines are not UTF-8 and carry no cookie: decoding as UTF-8 then
        # reports the offending byte, which says more than tokenize's message.
        if exc.msg.startswith("invalid or missing encoding declaration"):
            return "utf-8", data.startswith(codecs.BOM_UTF8)
        raise
    if encoding == "utf-8-sig":
        return "utf-8", True
    return encoding, False


def _two_lines_end(data: bytes) -> int:
    """Where the first two lines of `data` end (past the second line break)."""
    first = data.find(b"\n")
    second = -1 if first < 0 else data.find(b"\n", first + 1)
    return len(data) if second < 0 else second + 1


def _notebook_encoding(data: bytes) -> tuple[str, bool]:
    """A notebook is JSON, which is UTF-8 whatever its text says (no coding cookie)."""
    return "utf-8", data.startswith(codecs.BOM_UTF8)


def _undecodable_message(
    data: bytes, exc: UnicodeDecodeError, encoding: str, start: int, notebook: bool
) -> str:
    offset = start + exc.start
    line = data.count(b"\n", 0, offset) + 1
    where = f"byte 0x{data[offset]:02x} at offset {offset}, line {line}"
    if notebook:
        return f"not valid UTF-8 ({where}); re-save the notebook as UTF-8, as JSON must be"
    if encoding == "utf-8":
        return f"not valid UTF-8 ({where}); add an encoding cookie or re-save as UTF-8"
    return f"not valid {encoding} ({where}), the encoding its coding cookie declares"


# --------------------------------------------------------------------------- writing


def write_atomic(source: SourceFile, new_text: str) -> None:
    """Write `new_text` over `source.path` in its encoding and BOM, through the one writer
    (`atomic.replace_file`): only if the file still holds the bytes that were read, never a
    read-only file, keeping mode, owner and hard links. Nothing is written when the bytes
    would not change. A symlink is kept: its target is replaced. Raises :class:`WriteError`.
    """
    data = encode_text(source, new_text)
    if data == source.raw:
        return
    target = Path(os.path.realpath(source.path))
    replace_file(target, data, WriteOptions(expected=source.raw, mode=_mode_for(source)))


def encode_text(source: SourceFile, text: str) -> bytes:
    try:
        data = text.encode(source.encoding)
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start]
        line = exc.object.count("\n", 0, exc.start) + 1
        raise WriteError(
            f"cannot write {source.path}: the fixed text has {char!r} (U+{ord(char):04X}) "
            f"on line {line}, which {source.encoding} cannot encode; file left unchanged"
        ) from exc
    return codecs.BOM_UTF8 + data if source.bom else data


def _mode_for(source: SourceFile) -> int | None:
    return stat.S_IMODE(source.mode) if source.mode else None
