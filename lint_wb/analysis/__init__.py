"""What the code means: which names are clients, which calls are requests, what values are.

`analyze()` (`analyzer.py`) makes one binding pass over the module (see `scopes.py`) and reads
clients and requests off the call sites it recorded; no libcst metadata providers are involved.

Import from here: the names load their modules on first use (PEP 562). Importing any module
of this package runs this file first, so it must stay light: a run whose files hold nothing
to analyse reads `fact_sources.py` and `sdk_names.py` without importing libcst, the analysis
or the spec's classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lint_wb.lazy import lazy_exports

if TYPE_CHECKING:
    from lint_wb.analysis.analyzer import analyze
    from lint_wb.analysis.context import ModuleContext
    from lint_wb.analysis.facts import (
        BaseUrl,
        CallArguments,
        Client,
        EndpointTrap,
        EndpointUse,
        Keyword,
        LegacyUse,
        LibraryUse,
        ModuleFacts,
        Request,
        SdkCall,
        UrlKind,
    )
    from lint_wb.analysis.values import UNKNOWN, Resolver

_FACTS = "lint_wb.analysis.facts"
_EXPORTS: dict[str, tuple[str, str]] = {
    "UNKNOWN": ("lint_wb.analysis.values", "UNKNOWN"),
    "BaseUrl": (_FACTS, "BaseUrl"),
    "CallArguments": (_FACTS, "CallArguments"),
    "Client": (_FACTS, "Client"),
    "EndpointTrap": (_FACTS, "EndpointTrap"),
    "EndpointUse": (_FACTS, "EndpointUse"),
    "Keyword": (_FACTS, "Keyword"),
    "LegacyUse": (_FACTS, "LegacyUse"),
    "LibraryUse": (_FACTS, "LibraryUse"),
    "ModuleContext": ("lint_wb.analysis.context", "ModuleContext"),
    "ModuleFacts": (_FACTS, "ModuleFacts"),
    "Request": (_FACTS, "Request"),
    "Resolver": ("lint_wb.analysis.values", "Resolver"),
    "SdkCall": (_FACTS, "SdkCall"),
    "UrlKind": (_FACTS, "UrlKind"),
    "analyze": ("lint_wb.analysis.analyzer", "analyze"),
}
"""Each public name: the module that defines it, and its name there."""

__all__ = [
    "UNKNOWN",
    "BaseUrl",
    "CallArguments",
    "Client",
    "EndpointTrap",
    "EndpointUse",
    "Keyword",
    "LegacyUse",
    "LibraryUse",
    "ModuleContext",
    "ModuleFacts",
    "Request",
    "Resolver",
    "SdkCall",
    "UrlKind",
    "analyze",
]

__getattr__ = lazy_exports(__name__, _EXPORTS)
