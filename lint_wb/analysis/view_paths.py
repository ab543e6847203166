"""The paths of views into nested containers (`dict_views.py`), as the project summaries
keep them and the project index reads them (`project.resolve`): no libcst here.

A path is a tuple of steps from a name's value down: a string key written as a literal, or
`ANY` (any key of a dict, any item of a list: a key or index not known here, an int index,
`.values()`), or `ITEM` (an item a loop over the container gives: any item of a list; a loop
over a dict gives its keys, which are not changed in place). The empty path is the value
itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Union

Step = Union[str, int]
Path = tuple[Step, ...]

ANY: Final = 0
"""A step to any key of a dict, or any item of a list."""
ITEM: Final = 1
"""A step to an item a loop over the container gives: a list's item, no dict's value."""
MAX_PATH: Final = 8
"""A longer path is cut: what is under the cut path may change, more, never less."""


def capped(path: Path) -> Path:
    return path if len(path) <= MAX_PATH else path[:MAX_PATH]


def below(paths: Iterable[Path], key: object, *, in_list: bool) -> frozenset[Path]:
    """The paths under the entry `key` of a dict (`in_list`: the item `key` of a list) that
    `paths` reach: those whose first step may be that entry, without it. `key` is a
    literal key, or None when it is not known (any entry)."""
    found: set[Path] = set()
    for path in paths:
        if not path:
            continue  # the container itself: its reader says what that means
        step = path[0]
        if in_list or step == ANY or key is None or (step != ITEM and step == key):
            found.add(path[1:])
    return frozenset(found)
