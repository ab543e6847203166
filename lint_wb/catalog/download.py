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

from lint_wb import __version__

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


def model_rows(payload: object, url: str) -> list[dict[str, object]]:
    """The rows with a usable `id` of a list, or of an object's `data` or `models` list."""
    if isinstance(payload, dict):
        inner = [payload[key] for key in ("data", "models") if isinstance(payload.get(key), list)]
        payload = inner[0] if inner else payload
    if not isinstance(payload, list):
        raise CatalogError(
            f"{url}: expected a list of models (or an object with a 'data' or 'models' list), "
            f"found {_JSON_KINDS.get(type(payload), 'an object')}"
        )
    rows = [row for row in payload if isinstance(row, dict) and _is_model_id(row.get("id"))]
    if not rows:
        problem = "the list is empty" if not payload else f"none of its {len(payload)} rows"
        problem += "" if not payload else " has a usable 'id'"
        raise CatalogError(f"{url}: no usable model rows ({problem})")
    return rows


_JSON_KINDS = {str: "a string", int: "a number", float: "a number", bool: "a boolean"}
_JSON_KINDS[type(None)] = "null"


def _is_model_id(value: object) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= 256
        and value.isprintable()
        and not any(char.isspace() for char in value)
    )
