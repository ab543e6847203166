"""What a set of starting points reaches along named links, through any number of them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def reached(starts: Iterable[str], links: Mapping[str, Iterable[str]]) -> set[str]:
    """`starts` and every name linked from one of them, directly or through others (the
    modules that import a module, the names a name is assigned to)."""
    found = set(starts)
    todo = list(found)
    while todo:
        for linked in links.get(todo.pop(), ()):
            if linked not in found:
                found.add(linked)
                todo.append(linked)
    return found
