"""The analysis porting needs: clients of other providers' SDKs, and which clients can be
retargeted at W&B at all.

A provider-SDK client (`groq.Groq(...)`) is a client like OpenAI's: under assume-wandb it is
meant for W&B, and its `chat.completions.create()` calls are requests, since those SDKs
mirror OpenAI's chat API. A client used only for endpoints W&B does not serve (images,
audio, embeddings ...) is left where it is: pointing it at W&B would break it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from lint_wb._cst import cst
from lint_wb.analysis.clients import ClientContext, build_client
from lint_wb.analysis.facts import Client, EndpointUse, ModuleFacts, UrlKind
from lint_wb.analysis.scopes import Scope
from lint_wb.spec.porting_types import ProviderSdk


def build_sdk_client(
    call: cst.Call, sdk: ProviderSdk, scope: Scope, context: ClientContext
) -> Client:
    """A client of another provider's SDK, read as an OpenAI client would be."""
    client = build_client(call, sdk.qualified_name.rpartition(".")[2], scope, context)
    client.sdk = sdk
    return client


def wandb_only_by_assumption(client: Client) -> bool:
    """Whether the client counts as W&B's only because the project says so (assume-wandb):
    neither its base URL nor a W&B signal says it."""
    if client.base_url.kind in (UrlKind.WANDB, UrlKind.NEAR_MISS):
        return False
    return not client.signals


def leave_unservable_clients(
    facts: ModuleFacts,
    told: Collection[int] = (),
    handed: Callable[[], Collection[int]] = frozenset,
) -> None:
    """Clients that assume-wandb alone made W&B's, and that this module uses only for
    endpoints W&B does not serve, are not W&B clients: nothing would work if retargeted.
    A call on a receiver that may be one of several clients (`c if k else d`, `param or
    OpenAI()`) is a use of each of them. `told`: the `id`s of the clients the project index
    finds so used elsewhere too (passed to a helper: `ModuleIndex.endpoint_clients`).
    `handed`: the `id`s of the clients given to a callee the module does not define
    (`Pipeline(llm=client)`), which may chat through them: those are not left (asked only
    when a client would be), as the project index reads a client handed on elsewhere."""
    chat = {id(request.client) for request in facts.requests}
    chat |= {id(call.client) for call in facts.sdk_calls}  # Anthropic's messages.create
    other = {id(use.client) for use in facts.endpoint_uses} | set(told)
    for possible in facts.possible_uses:
        (chat if possible.chat else other).add(id(possible.client))
    leaving = [
        client
        for client in facts.clients
        if client.is_wandb
        and id(client) in other
        and id(client) not in chat
        and wandb_only_by_assumption(client)
    ]
    if leaving:
        chat |= set(handed())
    left: set[int] = set()
    for client in leaving:
        if id(client) not in chat:
            client.is_wandb = False
            left.add(id(client))
    if left:
        facts.endpoint_uses = [use for use in facts.endpoint_uses if not _on_left(use, facts, left)]


def _on_left(use: EndpointUse, facts: ModuleFacts, left: set[int]) -> bool:
    """Whether an endpoint call the project index found on a W&B client is always made on
    clients of this module left where they are: the index does not leave clients alone."""
    possible = [p for p in facts.possible_uses if p.call is use.node]
    return bool(possible) and all(p.covered and id(p.client) in left for p in possible)
