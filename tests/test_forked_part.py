"""Two processes working on one list: this one from the first item, a forked one from the
last, each claiming an item before working on it, until they meet (`files/forked_part.py`)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lint_wb.files import forked_part
from lint_wb.files.forked_part import ForkedPart

forks = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin", reason="needs a safe fork"
)


def meet_at(monkeypatch: pytest.MonkeyPatch, meeting: int) -> None:
    """The two processes meet at item `meeting` (as when this one stops for a while, to start
    the workers): the forked process waits, before that item, until this process has
    claimed the one before; this process waits, before that item, until the forked one has
    claimed it."""
    work_and_exit, claim = forked_part._work_and_exit, ForkedPart.claim

    def waiting_apart(
        items: list[object], work: Any, claims: Any, writing: int, *lending: Any
    ) -> Any:
        def work_waiting(item: object) -> object:
            if item is items[meeting]:
                _wait_for(lambda: claims[meeting - 1] == forked_part.HERE)
            return work(item)

        return work_and_exit(items, work_waiting, claims, writing, *lending)

    def waiting_here(self: ForkedPart[object], index: int) -> bool:
        if index == meeting:
            _wait_for(lambda: self.claims is None or self.claims[index] == forked_part.APART)
        return claim(self, index)

    monkeypatch.setattr(forked_part, "_work_and_exit", waiting_apart)
    monkeypatch.setattr(ForkedPart, "claim", waiting_here)


def apart_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process claims its first item only once the forked process has claimed the last
    one (so that the forked process surely works on some)."""
    claim = ForkedPart.claim

    def waiting_here(self: ForkedPart[object], index: int) -> bool:
        if index == 0 and self.claims is not None:
            claims = self.claims
            _wait_for(lambda: claims[len(claims) - 1] == forked_part.APART)
        return claim(self, index)

    monkeypatch.setattr(ForkedPart, "claim", waiting_here)


def _wait_for(done: Callable[[], bool], most: float = 30.0) -> None:
    """Until `done()`; a wait that runs out fails the test here, not in a later assertion."""
    waited = 0.0
    while not done():
        assert waited < most, f"still not done after {most} s"
        time.sleep(0.005)
        waited += 0.005


def squared_and_noted(log: Path, item: int) -> int:
    """The work: the item squared, and the item written to `log` by the process doing it."""
    with log.open("a") as noted:
        noted.write(f"{os.getpid()} {item}\n")
    return item * item


def worked_on(log: Path) -> dict[str, list[int]]:
    """The items each process worked on ("here" or "apart"), in the order it did them."""
    by_process: dict[str, list[int]] = {}
    for line in log.read_text().splitlines():
        pid, item = line.split()
        who = "here" if int(pid) == os.getpid() else "apart"
        by_process.setdefault(who, []).append(int(item))
    return by_process


@forks
def test_the_forked_process_works_from_the_last_item_back_to_the_first_one_claimed_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process claims items 0-9 and then waits: the forked process does 99 down to 10,
    each once, and stops at the first item claimed here; item 10 is then its."""
    meet_at(monkeypatch, 10)
    log = tmp_path / "log"
    work = lambda item: squared_and_noted(log, item)  # noqa: E731
    part = ForkedPart(list(range(100)), work)
    try:
        for item in range(10):
            assert part.claim(item)
            work(item)
        assert part.rest(10) == [item * item for item in range(10, 100)]
        assert not part.claim(10)
    finally:
        part.close()
    assert worked_on(log) == {"here": list(range(10)), "apart": list(range(99, 9, -1))}


@forks
def test_the_forked_process_has_items_left_until_it_reaches_this_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`has_left`: while the forked process waits before item 5 (this one holds 0-4 back), it
    has items left; once it has claimed the item after this process's, none."""
    meet_at(monkeypatch, 5)
    part = ForkedPart(list(range(10)), lambda item: item)
    try:
        assert part.claim(0) and part.has_left(0)
        assert all(part.claim(item) for item in range(1, 4)) and part.has_left(3)
        assert part.claim(4)
        _wait_for(lambda: not part.has_left(4))
        assert part.claims is not None and part.claims[5] == forked_part.APART
        assert part.rest(5) == list(range(5, 10))
    finally:
        part.close()
    assert not part.has_left(4)  # no forked process any more


def test_no_fork_has_nothing_left(monkeypatch: pytest.MonkeyPatch) -> None:
    def refusing() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refusing)
    part = ForkedPart(list(range(10)), lambda item: item)
    assert part.claim(0) and not part.has_left(0)
    part.close()


@forks
def test_every_item_is_worked_on_whoever_gets_there_first(tmp_path: Path) -> None:
    """Both working as fast as they can, as the run uses them: every item's result, in
    order, the items this process did and those of the forked process meeting in between."""
    log = tmp_path / "log"
    work = lambda item: squared_and_noted(log, item)  # noqa: E731
    items = list(range(2000))
    part = ForkedPart(items, work)
    try:
        done = []
        for item in items:
            if not part.claim(item):
                break
            done.append(work(item))
        rest = part.rest(len(done))
    finally:
        part.close()
    assert rest is not None and done + rest == [item * item for item in items]
    by_process = worked_on(log)
    assert by_process["here"] == list(range(len(done)))
    apart = by_process.get("apart", [])
    assert apart == list(range(len(items) - 1, len(items) - 1 - len(apart), -1))
    assert len(done) + len(apart) <= len(items) + 1  # one item at most claimed by both


def test_an_item_claimed_by_both_processes_is_taken_from_this_one() -> None:
    """The forked process's results for items from `start` on, this one's up to `done`: the
    items they share are dropped from the forked ones; a gap between them is no result."""
    assert forked_part.after(5, 4, ["4", "5", "6"]) == ["5", "6"]
    assert forked_part.after(5, 5, ["5", "6"]) == ["5", "6"]
    assert forked_part.after(7, 7, []) == []
    assert forked_part.after(3, 4, ["4"]) is None
    assert forked_part.after(3, 2, "not a list") is None


@forks
def test_a_forked_process_that_fails_leaves_every_item_it_had_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(item: int) -> int:
        raise RuntimeError("in the forked process")

    apart_first(monkeypatch)
    part = ForkedPart(list(range(10)), failing)
    try:
        assert all(part.claim(item) for item in range(9))
        assert not part.claim(9)
        assert part.rest(9) is None
    finally:
        part.close()


def test_no_fork_leaves_every_item_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def refusing() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refusing)
    part = ForkedPart(list(range(10)), lambda item: item)
    assert all(part.claim(item) for item in range(10))
    assert part.rest(10) is None
    part.close()
