"""Keeping the model snapshot current: `lint-wb --update-models` and `lint-wb --list-models`.

:func:`update_models` downloads W&B's public catalog feed (and, given the user's key, the IDs
`GET /v1/models` serves), converts it to the layout of the bundled models.toml, keeps from the
bundled snapshot what the feed does not carry (retired models with their dates and
replacements, other providers' IDs of served models), validates the result with
:func:`lint_wb.spec.load_models` and writes it atomically to the user's cache directory, where
:func:`lint_wb.spec.default_models` picks it up when it is newer than the bundled snapshot.

Only the standard library talks to the network (urllib). Nothing here prints. Every failure is
one :class:`CatalogError` with a one-line message, and leaves the cached snapshot as it was.
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import re
import socket
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lint_wb import __version__
from lint_wb.spec import (
    Model,
    ModelCatalog,
    SpecError,
    cached_models_file,
    default_models,
    load_models,
    load_spec,
)

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

CATALOG_URL = "https://trace.wandb.ai/inference/catalog/models"
"""The public catalog feed: no key needed."""
MODELS_URL = "https://api.inference.wandb.ai/v1/models"
"""The IDs served to a key (OpenAI's list format)."""
CATALOG_URL_ENV = "LINT_WB_CATALOG_URL"
MODELS_URL_ENV = "LINT_WB_MODELS_URL"
"""Environment overrides for the two URLs (a mirror, a proxy, a test server)."""
DEFAULT_TIMEOUT = 30.0
_MAX_BYTES = 32 * 1024 * 1024
_MODALITIES = ("text", "image", "audio", "video")
_MODALITY_ALIASES = {"vision": "image", "images": "image", "speech": "audio"}
_STAGES = {
    **dict.fromkeys(("ga", "generally-available", "general-availability", "stable"), "ga"),
    **dict.fromkeys(("production", "active", "available", "live"), "ga"),
    **dict.fromkeys(("experimental", "preview", "beta", "alpha", "early-access"), "experimental"),
    **dict.fromkeys(("deprecated", "deprecating", "sunsetting"), "deprecated"),
    **dict.fromkeys(("retired", "removed", "sunset", "discontinued"), "retired"),
}
_RETIREMENT_KEYS = ("retirementDate", "retireDate", "retiredOn", "retiredAt")


class CatalogError(Exception):
    """The update failed; the message is one line, fit to show a user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


@dataclass(frozen=True)
class UpdateResult:
    path: Path
    """Where the snapshot was written."""
    date: str
    source: str
    models: int
    """Every model in the snapshot, retired ones included."""
    served: int
    """GA, experimental and deprecated models."""
    other_provider_ids: int
    in_use: bool
    """True when it is newer than the bundled snapshot, so later runs use it."""
    bundled_date: str
    not_served: tuple[str, ...] = ()
    """Feed IDs that GET /v1/models did not list, left out."""


def update_models(
    url: str = CATALOG_URL,
    *,
    api_key: str | None = None,
    models_url: str | None = None,
    cache_dir: Path | str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    today: datetime.date | None = None,
) -> UpdateResult:
    """Fetch the catalog feed, convert it and write `<cache dir>/models.toml` atomically.

    With `api_key`, `GET models_url` (default :data:`MODELS_URL`) with it as a Bearer token
    decides which IDs are served. `cache_dir` defaults to :func:`lint_wb.spec.cache_dir`.
    Raises :class:`CatalogError`; the file is then left untouched.
    """
    date = (today or datetime.date.today()).isoformat()
    if api_key is not None and not (api_key.isprintable() and api_key.split() == [api_key]):
        raise CatalogError("the API key is empty or holds spaces or control characters")
    rows = _rows(_fetch_json(url, timeout), url)
    served: set[str] | None = None
    if api_key is not None:
        models_url = models_url or MODELS_URL
        listed = _rows(_fetch_json(models_url, timeout, api_key), models_url)
        served = {str(row["id"]) for row in listed}
    bundled = load_spec().models
    snapshot = _Snapshot(bundled, date)
    not_served = snapshot.add_feed(rows, served, f"{url} ({date})")
    if served is not None:
        snapshot.add_served(served, f"GET {models_url} ({date})")
    snapshot.keep_bundled()
    source = _source(url, models_url if served is not None else None, bundled.date)
    text = snapshot.render(source)
    target = _target(cache_dir)
    _write_validated(text, target)
    return UpdateResult(
        path=target,
        date=date,
        source=source,
        models=len(snapshot.entries),
        served=sum(entry["lifecycle"] != "retired" for entry in snapshot.entries.values()),
        other_provider_ids=len(snapshot.mappings),
        in_use=date > bundled.date,
        bundled_date=bundled.date,
        not_served=tuple(not_served),
    )


def update_from_environment(api_key_env: str | None) -> UpdateResult:
    """:func:`update_models` as the CLI runs it: URLs from $LINT_WB_CATALOG_URL and
    $LINT_WB_MODELS_URL when set, the key from the environment variable `api_key_env` names."""
    api_key = None
    if api_key_env is not None:
        api_key = os.environ.get(api_key_env, "").strip()
        if not api_key:
            raise CatalogError(f"--api-key-env: the environment variable {api_key_env} is empty")
    return update_models(
        os.environ.get(CATALOG_URL_ENV, "").strip() or CATALOG_URL,
        api_key=api_key,
        models_url=os.environ.get(MODELS_URL_ENV, "").strip() or None,
    )


def _source(url: str, models_url: str | None, bundled_date: str) -> str:
    parts = [url]
    if models_url is not None:
        parts.append(f"served IDs confirmed by GET {models_url}")
    parts.append(
        f"retired models and other providers' IDs from the bundled snapshot of {bundled_date}"
    )
    return "; ".join(parts)


def _target(cache_dir: Path | str | None) -> Path:
    if cache_dir is not None:
        return Path(cache_dir).expanduser() / "models.toml"
    try:
        return cached_models_file()
    except RuntimeError as error:
        raise CatalogError(f"no cache directory: {error}; set $LINT_WB_CACHE_DIR") from None


# --------------------------------------------------------------------------------------------
# Downloading


def _fetch_json(url: str, timeout: float, api_key: str | None = None) -> object:
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


def _rows(payload: object, url: str) -> list[dict[str, object]]:
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


# --------------------------------------------------------------------------------------------
# Converting: feed rows + the bundled snapshot -> models.toml entries


_Entry = dict[str, object]


class _Snapshot:
    """The entries of the new snapshot, in the order they are written."""

    def __init__(self, bundled: ModelCatalog, date: str) -> None:
        self.bundled = bundled
        self.date = date
        self.entries: dict[str, _Entry] = {}
        self.mappings: list[_Entry] = []

    def add_feed(
        self, rows: list[dict[str, object]], served: set[str] | None, source: str
    ) -> list[str]:
        """Add the feed's rows (the first of a repeated ID); return those not served."""
        not_served: list[str] = []
        for row in rows:
            model_id = str(row["id"])
            if model_id in self.entries or model_id in not_served:
                continue
            entry = _from_row(row, self.bundled.models.get(model_id), source, self.date)
            if served is not None and model_id not in served and entry["lifecycle"] != "retired":
                not_served.append(model_id)
                continue
            self.entries[model_id] = entry
        return not_served

    def add_served(self, served: set[str], source: str) -> None:
        """Add the IDs /v1/models serves that the feed does not list."""
        for model_id in sorted(served - set(self.entries)):
            row: dict[str, object] = {"id": model_id}
            self.entries[model_id] = _from_row(row, self.bundled.models.get(model_id), source, "")

    def keep_bundled(self) -> None:
        """Keep retired and deprecated models the feed does not list, and the other providers'
        IDs whose W&B ID is served. GA models gone from the feed are left out: unknown."""
        for model in self.bundled.models.values():
            if model.id in self.entries or model.lifecycle in ("ga", "experimental"):
                continue
            entry = _from_model(model)
            due = model.retirement_date
            if model.lifecycle == "deprecated" and due is not None and due <= self.date:
                entry.update(lifecycle="retired", retired_on=due, retirement_date=None)
            self.entries[model.id] = entry
        for mapping in _bundled_mappings():
            target = self.entries.get(str(mapping.get("wandb_id")))
            if mapping.get("id") not in self.entries and target and target["lifecycle"] == "ga":
                self.mappings.append(mapping)

    def render(self, source: str) -> str:
        ordered = sorted(self.entries.values(), key=lambda e: e["lifecycle"] == "retired")
        lines = [
            "# The W&B Inference model catalog, as a dated snapshot written by",
            "# `lint-wb --update-models` (same layout as lint_wb/spec/models.toml). Rewritten by",
            "# the next update: edit a copy and point `models-file` at it instead.",
            "",
            "[catalog]",
            f"date = {_toml(self.date)}",
            f"source = {_toml(source)}",
        ]
        for table, entries in (("model", ordered), ("other_provider_id", self.mappings)):
            for entry in entries:
                lines += ["", f"[[{table}]]"]
                lines += [
                    f"{key} = {_toml(value)}" for key, value in entry.items() if value is not None
                ]
        return "\n".join(lines) + "\n"


def _from_row(row: dict[str, object], known: Model | None, source: str, today: str) -> _Entry:
    """A [[model]] entry from a feed row; what the row leaves out comes from `known`."""
    modalities = _modalities(row.get("modalitiesInput"))
    lifecycle = _lifecycle(row, known, today)
    note = lifecycle.pop("note", None)
    entry: _Entry = {"id": row["id"], **lifecycle}
    entry["input_modalities"] = list(modalities or (known.input_modalities if known else ["text"]))
    context_window = _positive_int(row.get("contextWindow"))
    entry["context_window"] = context_window or _known(known, "context_window")
    entry["reasoning"] = _reasoning(_flag(row.get("featureReasoning")), known)
    for key, field in (
        ("featureToolCalling", "tool_calling"),
        ("featureJsonMode", "json_mode"),
        ("featureStructuredOutput", "structured_output"),
    ):
        flag = _flag(row.get(key))
        entry[field] = flag if flag is not None else _known(known, field)
    entry["source"] = source if note is None else f"{source}; {note}"
    return {key: entry[key] for key in _ORDER if key in entry}


_ORDER = (
    "id",
    "lifecycle",
    "input_modalities",
    "context_window",
    "reasoning",
    "tool_calling",
    "json_mode",
    "structured_output",
    "retired_on",
    "retirement_date",
    "replacement",
    "source",
)


def _from_model(model: Model) -> _Entry:
    entry: _Entry = {key: getattr(model, key) for key in _ORDER}
    text_only = model.input_modalities == ("text",)
    entry["input_modalities"] = None if text_only else list(model.input_modalities)
    return entry


def _known(model: Model | None, field: str) -> object:
    return getattr(model, field) if model is not None else None


def _lifecycle(row: dict[str, object], known: Model | None, today: str) -> _Entry:
    """lifecycle with its dates. A missing stage is GA (the feed lists served models); an
    unknown one experimental (served, never a fix target); a deprecated model whose
    retirement date nobody published stays GA: lint-wb never flags on an unknown."""
    stage = row.get("lifecycleStage")
    key = re.sub(r"[\s_]+", "-", stage.strip().lower()) if isinstance(stage, str) else ""
    lifecycle = _STAGES.get(key, "experimental") if key else "ga"
    dates = [_date(row.get(name)) for name in _RETIREMENT_KEYS]
    published = next((date for date in dates if date), None)
    replacement = _known(known, "replacement")
    if replacement == row["id"]:
        replacement = None
    if lifecycle == "retired":
        retired_on = published or _known(known, "retired_on") or _known(known, "retirement_date")
        return {
            "lifecycle": "retired",
            "retired_on": retired_on or today,
            "replacement": replacement,
        }
    due = published or _known(known, "retirement_date")
    if lifecycle == "deprecated" and due:
        return {"lifecycle": "deprecated", "retirement_date": due, "replacement": replacement}
    if lifecycle == "deprecated":
        return {"lifecycle": "ga", "note": "listed as deprecated, no retirement date published"}
    return {"lifecycle": lifecycle}


def _reasoning(flag: bool | None, known: Model | None) -> str | None:
    """The feed says yes or no; the bundled snapshot may know more (always on, hybrid)."""
    previous = known.reasoning if known is not None else None
    if flag is None:
        return previous
    if not flag:
        return "no"
    return previous if previous in ("yes", "always", "hybrid") else "yes"


def _flag(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(
            value.strip().lower()
        )
    return None


def _positive_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value >= 1 else None


def _modalities(value: object) -> tuple[str, ...]:
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    if not isinstance(items, list):
        return ()
    names = [str(item).strip().lower() for item in items]
    names = [_MODALITY_ALIASES.get(name, name) for name in names]
    return tuple(dict.fromkeys(name for name in names if name in _MODALITIES))


def _date(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def _bundled_mappings() -> list[_Entry]:
    """The bundled [[other_provider_id]] tables as written (with provider and source)."""
    text = resources.files("lint_wb.spec").joinpath("models.toml").read_text(encoding="utf-8")
    tables = tomllib.loads(text).get("other_provider_id", [])
    return [dict(table) for table in tables if isinstance(table, dict)]


# --------------------------------------------------------------------------------------------
# Writing TOML by hand (the few types a snapshot holds)


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return '"' + "".join(_escape(char) for char in str(value)) + '"'


def _escape(char: str) -> str:
    code = ord(char)
    if char in _ESCAPES:
        return _ESCAPES[char]
    if code < 0x20 or code == 0x7F:
        return f"\\u{code:04X}"
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else char


def _write_validated(text: str, target: Path) -> None:
    """Write `text` to a temporary file beside `target`, load it, and only then rename it
    over `target`: a reader sees the old snapshot or the new one, never half of one."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".models.", suffix=".tmp")
    except OSError as error:
        raise CatalogError(f"cannot write to {target.parent}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        try:
            load_models(temporary)
        except SpecError as error:
            problem = str(error).replace(temporary, "the converted snapshot")
            raise CatalogError(f"{problem}; {target} left as it was") from None
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        raise CatalogError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


# --------------------------------------------------------------------------------------------
# What the CLI prints


@dataclass(frozen=True)
class SnapshotInUse:
    """The model snapshot a run uses (as :func:`lint_wb.api.spec_for` picks it)."""

    catalog: ModelCatalog
    origin: str
    """"models-file" (the team's snapshot), "cache" (--update-models) or "bundled"."""
    path: Path | None
    warning: str | None = None


def snapshot_in_use(models_file: Path | None) -> SnapshotInUse:
    """Raises :class:`lint_wb.spec.SpecError` when `models_file` is unusable."""
    if models_file is not None:
        return SnapshotInUse(load_spec(models_file).models, "models-file", models_file)
    default = default_models()
    origin = "bundled" if default.path is None else "cache"
    return SnapshotInUse(load_spec(default.path).models, origin, default.path, default.warning)


def update_report(result: UpdateResult) -> str:
    lines = [
        f"Wrote {result.path}: model snapshot of {result.date} with {result.models} models "
        f"({result.served} served, {result.models - result.served} retired) "
        f"and {result.other_provider_ids} other providers' IDs"
    ]
    if result.not_served:
        lines.append(
            f"Left out {len(result.not_served)} feed models that GET /v1/models does not serve: "
            + ", ".join(result.not_served)
        )
    if not result.in_use:
        lines.append(f"The bundled snapshot of {result.bundled_date} is as new, so it stays in use")
    return "\n".join(lines)


def _model_row(model: Model) -> dict[str, object]:
    return {
        "id": model.id,
        "lifecycle": model.lifecycle,
        "context_window": model.context_window,
        "input_modalities": list(model.input_modalities),
        "reasoning": model.reasoning,
        "tool_calling": model.tool_calling,
        "json_mode": model.json_mode,
        "structured_output": model.structured_output,
        "retired_on": model.retired_on,
        "retirement_date": model.retirement_date,
        "replacement": model.replacement,
    }


def models_json(snapshot: SnapshotInUse) -> str:
    catalog = snapshot.catalog
    document = {
        "date": catalog.date,
        "source": catalog.source,
        "origin": snapshot.origin,
        "path": None if snapshot.path is None else str(snapshot.path),
        "models": [_model_row(model) for model in catalog.models.values()],
        "other_provider_ids": catalog.other_provider_ids,
    }
    return json.dumps(document, indent=2)


def models_text(snapshot: SnapshotInUse) -> str:
    catalog = snapshot.catalog
    where = {"models-file": f"models-file {snapshot.path}", "cache": f"cached {snapshot.path}"}
    header = [
        f"Model snapshot of {catalog.date} ({where.get(snapshot.origin, 'bundled with lint-wb')})",
        f"Source: {catalog.source}",
        "",
    ]
    table = [("ID", "LIFECYCLE", "CONTEXT", "INPUT", "REASONING", "RETIREMENT")]
    table += [_text_row(model) for model in catalog.models.values()]
    widths = [max(len(row[column]) for row in table) for column in range(len(table[0]))]
    body = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in table
    ]
    served = sum(model.lifecycle != "retired" for model in catalog.models.values())
    footer = (
        f"{len(catalog.models)} models ({served} served, {len(catalog.models) - served} retired), "
        f"{len(catalog.other_provider_ids)} other providers' IDs"
    )
    return "\n".join([*header, *body, "", footer])


def _text_row(model: Model) -> tuple[str, str, str, str, str, str]:
    if model.retired_on is not None:
        retirement = f"retired {model.retired_on}"
    elif model.retirement_date is not None:
        retirement = f"retires {model.retirement_date}"
    else:
        retirement = ""
    if model.replacement is not None:
        retirement += f" -> {model.replacement}"
    return (
        model.id,
        model.lifecycle,
        "-" if model.context_window is None else str(model.context_window),
        ",".join(model.input_modalities),
        model.reasoning or "-",
        retirement,
    )
