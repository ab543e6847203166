"""Which clients the project uses only for endpoints W&B does not serve (SPEC §3, WB102 and
WB103 under assume-wandb): retargeting such a client at W&B would break it, so it is left
where it is, as a module's own analysis leaves one it uses so (`analysis/porting.py`).

A module's own analysis sees the uses written in it; the index sees every request of a seed
whose receiver resolves to a client, wherever the client is built (a helper's parameter, a
factory, another module), and every library call given one. A client that some request
sends chat completions through, or that some library call is given (it may chat through
it), is used for more than such endpoints. A chat request made on a parameter some caller
out of sight fills (a helper reached through a dispatch table, a callback) may be made on
any client: then the index shows none used only for such endpoints.
"""

from __future__ import annotations

from collections.abc import Iterable

from lint_wb.project.resolve import ClientValue, DerivedClientValue, Values

Built = tuple[str, int]
"""A client's construction: its module and the call's node ordinal."""


class ClientPurposes:
    def __init__(self) -> None:
        self.endpoints: set[Built] = set()
        """The clients an endpoint W&B does not serve is called on."""
        self.other: set[Built] = set()
        """The clients used otherwise: chat requests, library calls."""
        self._endpoint_modules: set[str] = set()
        self.unseen_chat = False
        """Some chat request is made on a client the project cannot see (`resolve.ARGUMENT`):
        any client may be it."""

    def note(self, found: Values, *, endpoint: bool, where: str = "") -> None:
        """A use of each client `found` holds (a copy's use is its original's too), in the
        module `where` for a request."""
        for built in _constructions(found):
            (self.endpoints if endpoint else self.other).add(built)
            if endpoint and where:
                self._endpoint_modules.add(where)

    def near_endpoints(self) -> set[str]:
        """The modules that build a client used for an endpoint W&B does not serve, or call
        such an endpoint on one (`unseen_chat`: none matters)."""
        if self.unseen_chat:
            return set()
        return self._endpoint_modules | {module for module, _ in self.endpoints - self.other}

    def endpoint_only(self, value: ClientValue) -> bool:
        return (value.module, value.call.node) in self._only()

    def endpoint_only_in(self, module: str) -> tuple[int, ...]:
        """The node ordinals of the clients built in `module` used only for such endpoints."""
        return tuple(sorted(node for where, node in self._only() if where == module))

    def modules(self) -> Iterable[str]:
        return {module for module, _ in self._only()}

    def _only(self) -> set[Built]:
        return set() if self.unseen_chat else self.endpoints - self.other


def _constructions(found: Values) -> Iterable[Built]:
    for value in found:
        while isinstance(value, DerivedClientValue):
            value = value.base
        if isinstance(value, ClientValue):
            yield (value.module, value.call.node)
