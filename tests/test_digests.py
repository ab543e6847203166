"""The SHA-256 of keys: the same digests as hashlib's, whichever implementation makes them."""

from __future__ import annotations

import hashlib

import pytest

from lint_wb import digests

SAMPLES = [b"", b"key\0part\0", "é \u2028 ✓".encode(), bytes(range(256)) * 40]


@pytest.mark.parametrize("builtin", [True, False], ids=["builtin", "hashlib-only"])
def test_digests_are_hashlibs_sha256(builtin: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not builtin:
        monkeypatch.setattr(digests, "_BUILTIN", None)  # a Python built without it
    elif digests._BUILTIN is None:
        pytest.skip("this Python has no builtin SHA-256")
    for data in SAMPLES:
        expected = hashlib.sha256(data).hexdigest()
        assert digests.hex_digest(data) == expected
        hashed = digests.key_hash()
        for start in range(0, len(data), 7):
            hashed.update(data[start : start + 7])
        assert hashed.hexdigest() == expected


def test_long_data_goes_to_hashlib(monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond `SHORT` bytes the builtin is slower than OpenSSL's: hashlib takes it."""
    monkeypatch.setattr(digests, "key_hash", lambda: pytest.fail("the builtin for long data"))
    data = b"x" * (digests.SHORT + 1)
    assert digests.hex_digest(data) == hashlib.sha256(data).hexdigest()


def test_short_data_goes_to_the_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digests, "bytes_hash", lambda: pytest.fail("hashlib for a short key"))
    if digests._BUILTIN is None:
        pytest.skip("this Python has no builtin SHA-256")
    assert digests.hex_digest(b"key") == hashlib.sha256(b"key").hexdigest()
