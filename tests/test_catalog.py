"""`lint-wb --update-models` / `--list-models` and picking the snapshot a run uses.

Every download goes to an http.server on 127.0.0.1 started here; a guard fails any test that
tries to open a connection (or resolve a name) anywhere else. The feed it serves,
tests/data/catalog_feed.json, has the real feed's shape (`{"models": [...]}`; `id` a catalog
slug, `idPlayground` the API model ID, `provider`, `lifecycleStage` and the feature fields),
with W&B rows, other providers' rows, a row without `idPlayground` and retired rows. The
snapshot it is converted against is the test snapshot (tests/conftest.py).
"""

from __future__ import annotations

import datetime
import json
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lint_wb import LintOptions, catalog, lint_source
from lint_wb.api import spec_for
from lint_wb.catalog import (
    CATALOG_URL,
    CATALOG_URL_ENV,
    MODELS_URL,
    MODELS_URL_ENV,
    CatalogError,
    update_models,
)
from lint_wb.catalog.convert import Snapshot, _toml
from lint_wb.cli.main import main
from lint_wb.config.settings import Settings
from lint_wb.spec import (
    CACHE_DIR_ENV,
    Model,
    ModelCatalog,
    bundled_catalog_facts,
    cache_dir,
    default_models,
    default_models_file,
    load_models,
    load_spec,
)
from tests.cli_runner import make_runner
from tests.conftest import TEST_SNAPSHOT

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PINNED_DATE = datetime.date(2026, 11, 2)
"""The date every snapshot written in these tests carries: the clock is pinned, so no test
depends on the day (or the midnight) it runs on."""
TODAY = PINNED_DATE.isoformat()


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "current_date", lambda: PINNED_DATE)


BUNDLED_DATE = load_spec().models.date
NEW_MODEL = "testing/Brand-New-70B"
FEED_FILE = Path(__file__).parent / "data" / "catalog_feed.json"
FEED: dict[str, list[dict[str, object]]] = json.loads(FEED_FILE.read_text(encoding="utf-8"))
FEED_W_AND_B_IDS = [
    str(row["idPlayground"])
    for row in FEED["models"]
    if row.get("provider") == "coreweave" and "idPlayground" in row
]


def feed_with(*rows: dict[str, object]) -> dict[str, list[dict[str, object]]]:
    """The recorded feed with `rows` added first (W&B rows: provider coreweave, a slug id)."""
    return {"models": [*rows, *FEED["models"]]}


def with_date(snapshot: str, date: str) -> str:
    return snapshot.replace(f'date = "{BUNDLED_DATE}"', f'date = "{date}"', 1)


def wandb_row(model_id: str, **fields: object) -> dict[str, object]:
    return {
        "id": "cw_" + model_id.replace("/", "_"),
        "idPlayground": model_id,
        "provider": "coreweave",
        **fields,
    }


# --------------------------------------------------------------------------------------------
# A local catalog server and a network guard


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    extra_length: int = 0
    """Announce this many bytes more than sent, then close: a half-written download."""
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class Server:
    def __init__(self) -> None:
        self.replies: dict[str, Reply] = {}
        self.seen: list[tuple[str, str | None]] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.seen.append((self.path, self.headers.get("Authorization")))
                reply = server.replies.get(self.path, Reply(404, b'{"error": "not found"}'))
                if reply.delay:
                    server.release.wait(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body) + reply.extra_length))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def serve(self, path: str, payload: object, **reply: object) -> str:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.replies[path] = Reply(body=body, **reply)  # type: ignore[arg-type]
        return self.url(path)

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1"):
            raise AssertionError(f"a test tried to connect to {address!r}")
        real_connect(sock, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host not in ("127.0.0.1", "::1", "localhost", None):
            raise AssertionError(f"a test tried to resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ALL_PROXY", raising=False)
    monkeypatch.setenv("no_proxy", "*")


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(folder))
    for name in (CATALOG_URL_ENV, MODELS_URL_ENV, "WANDB_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return folder


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def lint_wb(*args: str) -> tuple[int, str, str]:
    result = make_runner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# --------------------------------------------------------------------------------------------
# A successful update


def test_update_writes_a_snapshot_that_later_runs_use(server: Server, cache: Path) -> None:
    assert default_models_file() is None
    url = server.serve("/catalog", FEED)
    result = update_models(url, timeout=5)
    assert result.path == cache / "models.toml"
    assert (result.date, result.in_use) == (TODAY, True)
    catalog = load_models(result.path)
    assert catalog.date == TODAY
    assert catalog.source.startswith(url + "; ")
    assert result.models == len(catalog.models)
    assert default_models_file() == result.path
    assert spec_for(Settings()).models.date == TODAY
    assert NEW_MODEL in spec_for(Settings()).models.models
    # no temporary left; code/ holds the fingerprints spec_for keeps (cache.package_fingerprint)
    assert {path.name for path in cache.iterdir()} - {"code"} == {"models.toml"}


def test_an_update_yields_exactly_the_wandb_rows_with_their_api_ids(
    server: Server, cache: Path
) -> None:
    result = update_models(server.serve("/c", FEED), timeout=5)
    models = load_models(result.path).models
    base = load_spec().models.models
    kept = {model_id for model_id in models if model_id not in FEED_W_AND_B_IDS}
    assert set(FEED_W_AND_B_IDS) <= set(models)
    # Besides the feed's W&B rows, only the snapshot's retired and deprecated models.
    assert kept and all(base[model_id].lifecycle in ("retired", "deprecated") for model_id in kept)
    assert not any(model_id.startswith("cw_") for model_id in models)  # never the slug
    assert "gpt-4.1" not in models and "gpt-4o-mini" not in models  # provider "openai"
    assert (result.without_id, result.other_providers) == (1, {"openai": 2})


def test_feed_rows_are_converted_and_the_snapshots_knowledge_kept(
    server: Server, cache: Path
) -> None:
    base = load_spec().models
    models = load_models(update_models(server.serve("/c", FEED), timeout=5).path).models
    llama = models["meta-llama/Llama-3.3-70B-Instruct"]
    assert (llama.lifecycle, llama.context_window, llama.reasoning) == ("ga", 128000, "no")
    assert (llama.tool_calling, llama.json_mode, llama.structured_output) == (True, True, False)
    assert models["meta-llama/Llama-3.1-8B-Instruct"].context_window == 131072
    # The feed says only "reasoning": the snapshot knows the mode and the effort values.
    assert models["openai/gpt-oss-120b"].reasoning == "always"
    flash = models["deepseek-ai/DeepSeek-V4-Flash-0731"]
    assert (flash.lifecycle, flash.reasoning, flash.thinking_default) == ("ga", "hybrid", True)
    glm = models["zai-org/GLM-5.3-Flash"]
    assert (glm.reasoning, glm.reasoning_effort) == ("always", ("low", "high", "max"))
    new = models[NEW_MODEL]
    assert (new.lifecycle, new.input_modalities, new.context_window) == (
        "experimental",
        ("text", "image"),
        65536,
    )
    assert (new.reasoning, new.tool_calling, new.json_mode) == (None, None, None)
    # GA models the feed no longer lists are unknown, not retired.
    assert "moonshotai/Kimi-K2.6" not in models
    # Retired models keep their dates and replacements, listed by the feed or not.
    retired = [model for model in base.models.values() if model.lifecycle == "retired"]
    assert retired and all(models[model.id].retired_on == model.retired_on for model in retired)
    assert all(models[model.id].replacement == model.replacement for model in retired)
    assert models["zai-org/GLM-4.5"].source.startswith(server.url("/c"))
    # Other providers' IDs: only those whose W&B ID is still GA.
    mappings = load_models(cache / "models.toml").other_provider_ids
    assert mappings["llama-3.3-70b-versatile"] == "meta-llama/Llama-3.3-70B-Instruct"
    assert mappings["gpt-oss:120b"] == "openai/gpt-oss-120b"
    assert "gpt-oss:20b" not in mappings  # openai/gpt-oss-20b is not in the feed
    raw = tomllib.loads((cache / "models.toml").read_text(encoding="utf-8"))
    kept = {row["id"]: row for row in raw["other_provider_id"]}
    assert kept["llama-3.3-70b-versatile"]["provider"] == "Groq"


@pytest.mark.parametrize(
    "payload",
    [FEED["models"], {"data": FEED["models"]}, {"models": {"a": 1}}, "models"],
    ids=["a bare list", "OpenAI's list", "models not a list", "a string"],
)
def test_only_the_feeds_shape_is_read(server: Server, cache: Path, payload: object) -> None:
    with pytest.raises(CatalogError, match=r"expected the catalog feed's \{\"models\""):
        update_models(server.serve("/c", payload))


def test_lifecycle_stages_and_the_dates_the_lifecycle_page_gives(
    server: Server, cache: Path
) -> None:
    models = load_models(update_models(server.serve("/c", FEED)).path).models
    # Deprecated: the date and replacement W&B announced (in the snapshot), or none published.
    kept = models["testing/Deprecated-Chat"]
    assert (kept.lifecycle, kept.retirement_date, kept.replacement) == (
        "deprecated",
        "2027-03-01",
        "testing/Deprecated-Chat-2",
    )
    fresh = models["testing/Fresh-Deprecation"]
    assert (fresh.lifecycle, fresh.retirement_date) == ("deprecated", None)
    assert "no retirement date published" in fresh.source
    # Retired: the lifecycle page's date, or the update's when none is published.
    assert models["zai-org/GLM-4.5"].retired_on == "2026-03-04"
    quiet = models["testing/Quietly-Retired"]
    assert (quiet.lifecycle, quiet.retired_on) == ("retired", None)
    assert "the date is not published" in quiet.source
    # A stage lint-wb does not know is experimental: served, never a fix's target.
    odd = models["testing/Odd-Stage"]
    assert odd.lifecycle == "experimental" and "'limited-preview' not known" in odd.source


def test_strings_are_escaped(server: Server, cache: Path) -> None:
    odd = 'acme/quote"back\\slash\u00e9'
    feed = feed_with(wandb_row(odd), wandb_row("acme/bell\x07"))
    path = update_models(server.serve("/c", feed)).path
    models = load_models(path).models
    assert odd in models
    assert "acme/bell\x07" not in models  # not a model ID: the row is skipped
    text = 'tab\t nl\n cr\r bs\b ff\f nul\x00 del\x7f "q" \\ \u00e9 \ud800'
    loaded = tomllib.loads(f"key = {_toml(text)}\nlist = {_toml(['a', 'b'])}\n")
    assert loaded == {"key": text.replace("\ud800", "\ufffd"), "list": ["a", "b"]}


def test_a_snapshot_not_newer_than_the_bundled_one_is_not_used(server: Server, cache: Path) -> None:
    old = datetime.date.fromisoformat(BUNDLED_DATE) - datetime.timedelta(days=1)
    result = update_models(server.serve("/c", FEED), today=old)
    assert result.in_use is False
    assert default_models_file() is None
    assert spec_for(Settings()).models.date == BUNDLED_DATE


def test_models_file_wins_over_the_cached_snapshot(
    server: Server, cache: Path, tmp_path: Path
) -> None:
    update_models(server.serve("/c", FEED))
    team = tmp_path / "team.toml"
    bundled_text = TEST_SNAPSHOT.read_text("utf-8")
    team.write_text(with_date(bundled_text, "2099-01-01"), encoding="utf-8")
    assert spec_for(Settings(models_file=team)).models.date == "2099-01-01"
    assert spec_for(Settings()).models.date == TODAY


# --------------------------------------------------------------------------------------------
# Findings name the date of the snapshot in use

REQUEST = """\
import os
from openai import OpenAI

client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["K"])
client.chat.completions.create(model={model!r}, messages=[{{"role": "user", "content": "hi"}}])
"""


def _wb501(model: str) -> list[str]:
    options = LintOptions(enabled=frozenset({"WB501"}))
    result = lint_source(REQUEST.format(model=model), "x.py", options, spec_for(Settings()))
    return [finding.message for finding in result.findings]


def test_findings_name_the_new_date(server: Server, cache: Path) -> None:
    before = _wb501(NEW_MODEL)
    assert len(before) == 1 and BUNDLED_DATE in before[0]
    update_models(server.serve("/c", FEED))
    assert _wb501(NEW_MODEL) == []
    after = _wb501("moonshotai/Kimi-K2.6")  # served in the bundled snapshot, gone from the feed
    assert len(after) == 1 and TODAY in after[0] and BUNDLED_DATE not in after[0]


# --------------------------------------------------------------------------------------------
# The served IDs with a key


def test_v1_models_with_a_key_decides_what_is_served(server: Server, cache: Path) -> None:
    listed = ["openai/gpt-oss-120b", "acme/Only-Here", "zai-org/GLM-4.5", "zai-org/GLM-5-FP8"]
    served = {"object": "list", "data": [{"id": model_id} for model_id in listed]}
    models_url = server.serve("/v1/models", served)
    result = update_models(server.serve("/c", FEED), api_key="sekrit", models_url=models_url)
    assert ("/v1/models", "Bearer sekrit") in server.seen
    assert ("/c", None) in server.seen  # the public feed never gets the key
    models = load_models(result.path).models
    assert models["openai/gpt-oss-120b"].lifecycle == "ga"
    # Listed by /v1/models only: served to this key, not thereby generally available.
    assert models["acme/Only-Here"].lifecycle == "experimental"
    assert result.listed_only == ("acme/Only-Here",)
    # Retired stays retired, whatever /v1/models lists (the feed's row, or the snapshot's).
    assert models["zai-org/GLM-4.5"].lifecycle == "retired"
    assert models["zai-org/GLM-5-FP8"].lifecycle == "retired"
    assert NEW_MODEL not in models and NEW_MODEL in result.not_served
    assert "served IDs confirmed by GET" in result.source


def test_the_key_does_not_follow_a_redirect(server: Server, cache: Path) -> None:
    server.serve("/elsewhere", {"data": [{"id": "openai/gpt-oss-120b"}]})
    moved = server.serve("/v1/models", b"", status=302, headers={"Location": "/elsewhere"})
    update_models(server.serve("/c", FEED), api_key="sekrit", models_url=moved)
    assert ("/elsewhere", None) in server.seen


def test_a_rejected_key_is_an_error(server: Server, cache: Path) -> None:
    models_url = server.serve("/v1/models", {"error": "bad key"}, status=401)
    with pytest.raises(CatalogError, match="HTTP 401") as raised:
        update_models(server.serve("/c", FEED), api_key="wrong", models_url=models_url)
    assert "wrong" not in str(raised.value)
    assert not (cache / "models.toml").exists()


# --------------------------------------------------------------------------------------------
# Failures: one line, and the cached snapshot stays byte for byte


def _failures(server: Server) -> dict[str, tuple[str, str]]:
    return {
        "refused": (f"http://127.0.0.1:{closed_port()}/c", "cannot reach"),
        "500": (server.serve("/500", {"error": "boom"}, status=500), "HTTP 500"),
        "404": (server.url("/nowhere"), "HTTP 404"),
        "malformed": (server.serve("/bad", b'{"data": [{"id": "a"'), "not valid JSON"),
        "not utf-8": (server.serve("/bin", b"\xff\xfe\xfa"), "not valid JSON"),
        "half-written": (server.serve("/half", FEED, extra_length=500), "cut short"),
        "empty": (server.serve("/empty", {"models": []}), "no W&B Inference rows"),
        "no ids": (
            server.serve("/noid", {"models": [{"id": "cw_x", "provider": "coreweave"}]}),
            "among its 1 rows",
        ),
        "not a list": (server.serve("/obj", {"error": "x"}), "an object without a 'models'"),
        "slow": (server.serve("/slow", FEED, delay=5), "no answer within 0.5 seconds"),
        "not http": ("ftp://127.0.0.1/c", "is not an http(s) URL"),
    }


FAILURES = [
    "refused",
    "500",
    "404",
    "malformed",
    "not utf-8",
    "half-written",
    "empty",
    "no ids",
    "not a list",
    "slow",
    "not http",
]


@pytest.mark.parametrize("case", FAILURES)
def test_failures_leave_the_cached_snapshot_untouched(
    server: Server, cache: Path, case: str
) -> None:
    good = update_models(server.serve("/good", FEED)).path
    before = good.read_bytes()
    url, expected = _failures(server)[case]
    with pytest.raises(CatalogError) as raised:
        update_models(url, timeout=0.5)
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message
    assert good.read_bytes() == before
    assert [path.name for path in cache.iterdir()] == ["models.toml"]
    assert default_models_file() == good


def test_an_invalid_conversion_writes_nothing(
    server: Server, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = update_models(server.serve("/good", FEED)).path
    before = good.read_bytes()
    monkeypatch.setattr(Snapshot, "render", lambda self, source: "[catalog]\n")
    with pytest.raises(CatalogError, match=r"the converted snapshot: .* left as it was"):
        update_models(server.url("/good"))
    assert good.read_bytes() == before
    assert [path.name for path in cache.iterdir()] == ["models.toml"]


# --------------------------------------------------------------------------------------------
# A broken cached snapshot never breaks linting


def test_a_broken_cached_snapshot_falls_back_to_the_bundled_one(cache: Path) -> None:
    cache.mkdir()
    (cache / "models.toml").write_text("[catalog]\ndate = \n", encoding="utf-8")
    default = default_models()
    assert default.path is None
    assert default.warning is not None and "\n" not in default.warning
    assert "bundled one of " + BUNDLED_DATE in default.warning
    assert spec_for(Settings()).models.date == BUNDLED_DATE


def test_the_cli_warns_about_a_broken_cached_snapshot_and_lints_on(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.mkdir()
    (cache / "models.toml").write_text("not toml", encoding="utf-8")
    (tmp_path / "clean.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, stderr = lint_wb("--isolated", "clean.py")
    assert code == 0
    assert stderr.startswith("lint-wb: warning: the cached model snapshot is unusable")
    assert len(stderr.splitlines()) == 1


# --------------------------------------------------------------------------------------------
# Where the cache lives


def test_cache_dir_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv(CACHE_DIR_ENV)
    assert cache_dir() == tmp_path / "xdg" / "lint-wb"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "lint-wb"


def test_the_default_urls() -> None:
    assert CATALOG_URL == "https://trace.wandb.ai/inference/catalog/models"
    assert MODELS_URL == "https://api.inference.wandb.ai/v1/models"


# --------------------------------------------------------------------------------------------
# The command line


def test_cli_update_models(server: Server, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CATALOG_URL_ENV, server.serve("/c", FEED))
    code, stdout, stderr = lint_wb("--update-models")
    assert (code, stderr) == (0, "")
    models = len(load_models(cache / "models.toml").models)
    assert (
        f"Wrote {cache / 'models.toml'}: model snapshot of {TODAY} with {models} models" in stdout
    )
    assert (
        "Skipped 1 W&B row without an idPlayground; left out 2 rows of other providers "
        "(openai: 2)\n" in stdout
    )
    assert server.seen == [("/c", None)]


def test_cli_update_models_error(
    server: Server, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CATALOG_URL_ENV, server.serve("/c", {"error": "x"}, status=500))
    code, stdout, stderr = lint_wb("--update-models")
    assert code == 2
    assert stdout == ""
    assert stderr.startswith("lint-wb: error: http://127.0.0.1:")
    assert "HTTP 500" in stderr and len(stderr.splitlines()) == 1
    assert not (cache / "models.toml").exists()


def test_cli_api_key_env(server: Server, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CATALOG_URL_ENV, server.serve("/c", FEED))
    monkeypatch.setenv(MODELS_URL_ENV, server.serve("/v1/models", {"data": [{"id": NEW_MODEL}]}))
    monkeypatch.setenv("MY_WANDB_KEY", "sekrit")
    code, stdout, _ = lint_wb("--update-models", "--api-key-env", "MY_WANDB_KEY")
    assert code == 0
    assert ("/v1/models", "Bearer sekrit") in server.seen
    left_out = len([row for row in FEED_W_AND_B_IDS if row != NEW_MODEL]) - 2  # retired rows stay
    assert f"Left out {left_out} feed models that GET /v1/models does not serve" in stdout
    code, _, stderr = lint_wb("--update-models", "--api-key-env", "UNSET_VARIABLE")
    assert code == 2 and "UNSET_VARIABLE is empty" in stderr
    code, _, stderr = lint_wb("--api-key-env", "MY_WANDB_KEY")
    assert code == 2 and "--api-key-env goes with --update-models" in stderr


def test_cli_list_models(server: Server, cache: Path) -> None:
    code, stdout, _ = lint_wb("--isolated", "--list-models")
    assert code == 0
    assert stdout.startswith(f"Model snapshot of {BUNDLED_DATE} (bundled with lint-wb)\n")
    update_models(server.serve("/c", FEED))
    code, stdout, _ = lint_wb("--isolated", "--list-models")
    lines = stdout.splitlines()
    assert lines[0] == f"Model snapshot of {TODAY} (cached {cache / 'models.toml'})"
    assert lines[1].startswith(f"Source: {server.url('/c')}; ")
    row = next(line for line in lines if line.startswith(NEW_MODEL)).split()
    assert row == [NEW_MODEL, "experimental", "65536", "text,image", "-"]
    hybrid = next(line for line in lines if line.startswith("deepseek-ai/DeepSeek-V4-Flash-0731"))
    assert hybrid.split()[-1] == "hybrid/on"
    glm = next(line for line in lines if line.startswith("zai-org/GLM-5.3-Flash"))
    assert glm.split()[-1] == "always(low,high,max)"
    retired = next(line for line in lines if line.startswith("zai-org/GLM-4.5 "))
    assert retired.split()[-4:] == ["retired", "2026-03-04", "->", "zai-org/GLM-5-FP8"]
    code, stdout, _ = lint_wb("--isolated", "--list-models", "--output-format", "json")
    document = json.loads(stdout)
    assert (document["date"], document["origin"]) == (TODAY, "cache")
    rows = {row["id"]: row for row in document["models"]}
    assert rows["openai/gpt-oss-120b"]["reasoning"] == "always"
    glm = rows["zai-org/GLM-5.3-Flash"]
    assert (glm["reasoning_effort"], glm["thinking_default"]) == (["low", "high", "max"], None)
    assert rows["deepseek-ai/DeepSeek-V4-Flash-0731"]["thinking_default"] is True
    assert rows[NEW_MODEL]["input_modalities"] == ["text", "image"]


def test_cli_list_models_shows_the_team_snapshot(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled_text = TEST_SNAPSHOT.read_text("utf-8")
    (tmp_path / "team.toml").write_text(with_date(bundled_text, "2099-01-01"), encoding="utf-8")
    (tmp_path / "lint-wb.toml").write_text('models-file = "team.toml"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = lint_wb("--list-models")
    assert code == 0
    assert stdout.startswith(f"Model snapshot of 2099-01-01 (models-file {tmp_path / 'team.toml'})")


def test_a_malformed_url_or_key_is_one_line_error(server: Server, cache: Path) -> None:
    with pytest.raises(CatalogError, match="is not an http"):
        update_models("http://[::1")
    with pytest.raises(CatalogError, match="control characters") as raised:
        update_models(server.serve("/c", FEED), api_key="sek\nrit")
    assert "sek" not in str(raised.value)
    assert server.seen == []


def test_deprecated_bundled_models_past_their_date_are_kept_as_retired() -> None:
    catalog = ModelCatalog(
        date="2026-01-01",
        source="test",
        models={
            "acme/Past": Model("acme/Past", "deprecated", retirement_date="2026-02-01", source="x"),
            "acme/Soon": Model("acme/Soon", "deprecated", retirement_date="2027-02-01", source="x"),
            "acme/Ga": Model("acme/Ga", "ga", source="x"),
        },
        facts=bundled_catalog_facts(),
    )
    snapshot = Snapshot(catalog, "2026-06-01")
    snapshot.keep_base()
    entries = snapshot.entries
    assert (entries["acme/Past"]["lifecycle"], entries["acme/Past"]["retired_on"]) == (
        "retired",
        "2026-02-01",
    )
    assert entries["acme/Soon"]["lifecycle"] == "deprecated"
    assert "acme/Ga" not in entries


def test_the_snapshot_date_comes_from_the_clock_given(server: Server, cache: Path) -> None:
    """The date is an input: `today=` wins over the clock, and the clock is `current_date`."""
    given = datetime.date(2027, 1, 5)
    assert update_models(server.serve("/c", FEED), today=given).date == "2027-01-05"
    assert update_models(server.serve("/c", FEED)).date == TODAY
