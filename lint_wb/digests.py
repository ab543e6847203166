"""SHA-256 of the keys lint-wb makes, without loading OpenSSL when they are short.

hashlib's sha256 is OpenSSL's: importing hashlib loads the OpenSSL library, which costs a
warm run (a pre-commit hook over an unchanged project) more than all the hashing it does:
it hashes only short texts of its own (cache keys, a walk's key, git's answer). Python's
own SHA-256, the builtin module hashlib falls back to when OpenSSL is missing, gives the
same digests without that load, but is several times slower per byte: it takes the short
texts here, and anything longer (a file's bytes, a big key) goes to hashlib.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Protocol, cast

SHORT = 256 * 1024
"""Bytes hashed by the builtin SHA-256 at most; longer data goes to OpenSSL's."""


class Hash(Protocol):
    def update(self, data: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


def _builtin() -> Callable[[bytes], Hash] | None:
    """CPython's own SHA-256 (`_sha2` from 3.12, `_sha256` before); None in a build
    without it."""
    name = "_sha2" if sys.version_info >= (3, 12) else "_sha256"
    try:
        module = __import__(name)
    except ImportError:
        return None
    return cast("Callable[[bytes], Hash]", module.sha256)


_BUILTIN = _builtin()


def key_hash() -> Hash:
    """A SHA-256 to update with a key's short parts (at most `SHORT` bytes in all: beyond
    that, hashlib's is faster)."""
    if _BUILTIN is not None:
        return _BUILTIN(b"")
    return bytes_hash()


def bytes_hash() -> Hash:
    """OpenSSL's SHA-256 (hashlib's), for file contents and other long data."""
    import hashlib

    return hashlib.sha256()


def hex_digest(data: bytes) -> str:
    """The SHA-256 of `data`, hex: by the builtin when `data` is short, else by hashlib."""
    hashed = key_hash() if len(data) <= SHORT else bytes_hash()
    hashed.update(data)
    return hashed.hexdigest()
