"""Downloading for `lint-wb --update-models`: JSON over http(s) with the standard library
(urllib), and the model rows in it.

Every failure is one :class:`CatalogError` with a one-line message.
"""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from lint_wb import __version__
from lint_wb.spec import CatalogFeed

_MAX_BYTES = 32 * 1024 * 1024


class CatalogError(Exception):
    """The update failed; the message is one line, fit to show a user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


def fetch_json(url: str, timeout: float, api_key: str | None = None) -> object:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        parts = urllib.parse.SplitResult("", "", "", "", "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CatalogError(f"'{url}' is not an http(s) URL")
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": f"lint-wb/{__version__}"}
    )
    if api_key is not None:  # never sent on to wherever a redirect points
        request.add_unredirected_header("Authorization", f"Bearer {api_key}")
    data = _download(request, url, timeout)
    try:
        return json.loads(data)
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
        raise CatalogError(f"{url}: the response is not valid JSON ({error})") from None


def _download(request: urllib.request.Request, url: str, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _read_body(response, url)
    except urllib.error.HTTPError as error:
        error.close()
        raise CatalogError(f"{url}: HTTP {error.code} {error.reason or ''}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise CatalogError(f"{url}: no answer within {timeout:g} seconds") from None
        reason = getattr(error.reason, "strerror", None) or error.reason
        raise CatalogError(f"cannot reach {url}: {reason}") from None
    except (TimeoutError, socket.timeout):
        raise CatalogError(f"{url}: no answer within {timeout:g} seconds") from None
    except http.client.IncompleteRead as error:
        raise CatalogError(
            f"{url}: the download was cut short ({len(error.partial)} bytes received)"
        ) from None
    except (http.client.HTTPException, OSError, ValueError) as error:
        raise CatalogError(f"{url}: the download failed: {error or type(error).__name__}") from None


def _read_body(response: http.client.HTTPResponse, url: str) -> bytes:
    declared = _content_length(response)
    chunks: list[bytes] = []
    total = 0
    while chunk := response.read(65536):
        total += len(chunk)
        if total > _MAX_BYTES:
            raise CatalogError(f"{url}: the response is larger than {_MAX_BYTES >> 20} MB")
        chunks.append(chunk)
    if declared is not None and total < declared:
        raise CatalogError(
            f"{url}: the download was cut short ({total} of {declared} bytes received)"
        )
    return b"".join(chunks)


def _content_length(response: http.client.HTTPResponse) -> int | None:
    if "chunked" in (response.headers.get("Transfer-Encoding") or "").lower():
        return None
    value = (response.headers.get("Content-Length") or "").strip()
    return int(value) if value.isdigit() else None


@dataclass(frozen=True)
class FeedRows:
    """The W&B Inference rows of the catalog feed, and what was left out."""

    rows: tuple[dict[str, object], ...]
    """`provider == "coreweave"` rows with a usable `idPlayground`, in feed order."""
    without_id: int
    """W&B rows skipped for a missing or unusable `idPlayground`."""
    other_providers: dict[str, int]
    """Rows of other providers left out, by provider ("?" when a row names none)."""


def feed_rows(payload: object, url: str, feed: CatalogFeed) -> FeedRows:
    """The catalog feed's rows: `{"models": [row, ...]}`; W&B's are those of `feed.provider`
    with a model ID in `feed.id_field` (catalog.toml)."""
    listed = payload.get("models") if isinstance(payload, dict) else None
    if not isinstance(listed, list):
        kind = "an object without a 'models' list" if isinstance(payload, dict) else None
        raise CatalogError(
            f'{url}: expected the catalog feed\'s {{"models": [...]}}, found '
            f"{kind or _JSON_KINDS.get(type(payload), 'a list')}"
        )
    rows: list[dict[str, object]] = []
    without_id = 0
    others: dict[str, int] = {}
    for row in listed:
        provider = row.get("provider") if isinstance(row, dict) else None
        if not isinstance(row, dict) or provider != feed.provider:
            name = provider if isinstance(provider, str) and provider.strip() else "?"
            others[name] = others.get(name, 0) + 1
        elif _is_model_id(row.get(feed.id_field)):
            rows.append(row)
        else:
            without_id += 1
    if not rows:
        raise CatalogError(
            f"{url}: no W&B Inference rows (provider '{feed.provider}' with an '{feed.id_field}') "
            f"among its {len(listed)} rows"
        )
    return FeedRows(tuple(rows), without_id, dict(sorted(others.items())))


def listed_ids(payload: object, url: str) -> set[str]:
    """The model IDs of `GET /v1/models` (OpenAI's list format: `{"data": [{"id": ...}]}`)."""
    listed = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(listed, list):
        raise CatalogError(f'{url}: expected OpenAI\'s model list {{"data": [...]}}')
    rows = [row for row in listed if isinstance(row, dict)]
    return {str(row["id"]) for row in rows if _is_model_id(row.get("id"))}


_JSON_KINDS = {str: "a string", int: "a number", float: "a number", bool: "a boolean"}
_JSON_KINDS[type(None)] = "null"


def _is_model_id(value: object) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= 256
        and value.isprintable()
        and not any(char.isspace() for char in value)
    )
