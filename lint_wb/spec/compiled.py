"""The spec in a compiled form: what a run needs before its first parse, without the TOML.

Reading the data files (TOML parsing, validation, the spec's key) and even importing the
spec's classes cost more than screening a small run's files. The first run compiles them
into one file in the cache folder: the spec's key (what the result cache and the project
index are keyed by), the facts the prefilter needs (`Screening`, plain strings), the
pickled `Spec`, unpickled only when a file is parsed or the index is built, and the pickled
call-site table (`libraries.toml`, which the analysis and the index read beside the spec:
`bundled_libraries`), so that a process that analyses loads no TOML parser at all.

The file is named by a hash of everything the spec is made from: lint-wb's version, the code
and data files of this package (`lint_wb/spec/*.py`, `*.toml`; known by their stat, as
lint-wb's own code is: `cache.package_fingerprint`), and the models file's path and bytes.
Any change to them gives another name, so a stale file is never read; a file that
cannot be read or written only means compiling again.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from lint_wb import __version__
from lint_wb.digests import hex_digest
from lint_wb.files import ReadError, read_raw
from lint_wb.files.atomic import WriteError, WriteOptions, replace_file

if TYPE_CHECKING:
    from lint_wb.spec.library_types import LibraryTable
    from lint_wb.spec.types import Spec

FORMAT = 2
"""Bump when the compiled file's layout changes."""
PACKAGE = Path(__file__).resolve().parent
STORE = True
"""Whether compiled specs are kept in the cache folder (tests that patch the loader turn it
off: a compiled file must only ever hold what the data files say)."""


class Screening(NamedTuple):
    """What the prefilter needs from the spec (`files/prefilter.py`)."""

    wandb_hosts: tuple[str, ...]
    """The W&B base URLs' hosts and their near misses."""
    client_modules: tuple[str, ...]
    """The top-level modules of the client libraries: other providers' SDKs and the
    libraries of the call-site table (`litellm`, `crewai`, ...)."""
    wandb_key_variable: str
    """The environment variable W&B's key is read from (`porting.toml`): a module that
    names it may build a W&B client (`project/build.py`)."""


class CompiledSpec:
    """One spec: its key and screening facts at hand, the `Spec` itself on demand."""

    def __init__(
        self,
        key: str,
        screening: Screening,
        spec: Spec | bytes,
        libraries: LibraryTable | bytes | None = None,
    ) -> None:
        self.key = key
        """A hash of the spec's content (`cache.spec_key`)."""
        self.screening = screening
        self._spec = spec
        self._libraries = libraries
        """The bundled call-site table, pickled when read from a compiled file (None: not
        kept with this spec)."""
        if libraries is not None and not _LIBRARIES:
            # what `bundled_libraries` gives from now on, also before the spec is asked for:
            # a parallel run reads the table while it screens (`build.EarlyJobs`), and
            # without it parsed libraries.toml there, before its workers fork
            _LIBRARIES.append(libraries)

    @property
    def client_roots(self) -> frozenset[str]:
        """The top-level modules whose names start a fact (`fact_sources.client_roots` of
        the spec's API): the OpenAI SDK's and those of `Screening.client_modules`."""
        return frozenset({OPENAI_ROOT, *self.screening.client_modules})

    def spec(self) -> Spec:
        if isinstance(self._spec, bytes):
            spec: Spec = pickle.loads(self._spec)
            self._spec = spec
        _KEYS[id(self._spec)] = (self._spec, self.key)
        return self._spec


_LIBRARIES: list[LibraryTable | bytes] = []
"""The bundled call-site table, once this process has it: kept with a compiled spec (still
pickled until first asked for), or parsed from its TOML."""


def bundled_libraries() -> LibraryTable:
    """The call-site table of the libraries people reach W&B through (`libraries.toml`):
    the one kept with the compiled spec this process has loaded, else read from the TOML.
    Every compiled file holds the same table: its name hashes the bundled data files and
    the code that reads them (`source_key`), libraries.toml among them."""
    if not _LIBRARIES:
        from lint_wb.spec.loader import bundled_libraries as parsed

        _LIBRARIES.append(parsed())
    table = _LIBRARIES[0]
    if isinstance(table, bytes):
        table = _LIBRARIES[0] = pickle.loads(table)
    return table


_KEYS: dict[int, tuple[Spec, str]] = {}

OPENAI_ROOT = "openai"
"""The module of the SDK's client classes (`analysis/sdk_names.CLIENT_CLASSES`) and of its
legacy module-level API (`openai.ChatCompletion`, `openai.api_base`)."""


def full_spec(spec: Spec | CompiledSpec) -> Spec:
    """The spec itself (a compiled one unpickled: the spec's classes are imported then)."""
    return spec.spec() if isinstance(spec, CompiledSpec) else spec


def client_roots_of(spec: Spec | CompiledSpec) -> frozenset[str]:
    """`CompiledSpec.client_roots`, also of a spec at hand (`fact_sources.client_roots`)."""
    if isinstance(spec, CompiledSpec):
        return spec.client_roots
    from lint_wb.analysis.fact_sources import client_roots

    return client_roots(spec.api)


def wandb_key_of(spec: Spec | CompiledSpec) -> str:
    """The variable W&B's key is read from (`Screening.wandb_key_variable`), of either form."""
    if isinstance(spec, CompiledSpec):
        return spec.screening.wandb_key_variable
    return spec.api.porting.wandb_key_variable


def compiled_key(spec: Spec) -> str | None:
    """The key of a spec a `CompiledSpec` handed out, or None for another one."""
    kept = _KEYS.get(id(spec))
    return kept[1] if kept is not None and kept[0] is spec else None


def compiled_spec(models_file: Path | None, folder: Path | None) -> CompiledSpec:
    """The spec with the bundled API facts and the catalog in `models_file` (None: the
    bundled one), from its compiled file in `folder` when there is one. Raises `SpecError`
    on a bad data or models file (nothing is compiled then)."""
    source = source_key(models_file)
    path = folder / source[:2] / f"{source}.pickle" if folder is not None and STORE else None
    loaded = _read(path) if path is not None else None
    if loaded is not None:
        return loaded
    made = _compile(models_file)
    if path is not None:
        _write(path, made)
    return made


def compiled_folder() -> Path | None:
    """Where compiled specs are kept: the cache folder's `spec`, if there is a cache folder."""
    from lint_wb.spec.snapshots import cache_dir

    try:
        return cache_dir() / "spec"
    except RuntimeError:  # no home folder: compiled anew each run
        return None


def prune_compiled() -> None:
    """Drop old compiled specs as the result cache drops old entries (by age and size; a
    spec still in use is compiled again)."""
    from lint_wb.cache import prune_folder

    folder = compiled_folder()
    if folder is not None:
        prune_folder(folder, "*.pickle")


Strings = tuple[str, ...]


def compiled_strings(
    name: str, make: Callable[[], tuple[Strings, ...]], code: Sequence[str], parts: int
) -> tuple[Strings, ...]:
    """`make()`, `parts` tuples of strings made from the bundled data files and the code in
    the files `code` (not from the models file), kept beside the compiled specs under a hash
    of all of them and `name`: a run then has them without loading the spec's classes and
    reading its data files."""
    folder = compiled_folder() if STORE else None
    path = None
    if folder is not None:
        hashed = [f"{name}\0{source_key(None)}\0".encode()]
        for file in code:
            hashed.append(f"{os.path.basename(file)}\0".encode())
            hashed.append(_bytes_of(file))
        key = hex_digest(b"".join(hashed))
        path = folder / key[:2] / f"{key}.pickle"
        kept = _read_strings(path, parts)
        if kept is not None:
            return kept
    made = make()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, pickle.dumps(made), WriteOptions(sync=False))
        except (OSError, WriteError):
            pass  # only a slower next run
    return made


def _read_strings(path: Path, parts: int) -> tuple[Strings, ...] | None:
    try:
        with open(path, "rb") as file:
            kept = pickle.load(file)
    except Exception:  # missing, unreadable or not ours: made again
        return None
    if (
        not isinstance(kept, tuple)
        or len(kept) != parts
        or not all(
            isinstance(part, tuple) and all(isinstance(item, str) for item in part) for part in kept
        )
    ):
        return None
    return kept


def source_key(models_file: Path | None, package: Path = PACKAGE) -> str:
    """A hash of what the spec is made from (the name of its compiled file). The package's
    files are known by their stat (`cache.package_fingerprint`): a warm run reads none."""
    from lint_wb.cache import package_fingerprint

    parts = [f"{FORMAT}\0{__version__}\0{package_fingerprint(package)}\0".encode()]
    if models_file is not None:
        parts.append(f"\0models\0{os.path.abspath(models_file)}\0".encode())
        parts.append(_bytes_of(str(models_file)))
    return hex_digest(b"".join(parts))


def _bytes_of(path: str) -> bytes:
    """A regular file's bytes; an unreadable one, a FIFO or a device (never read: it could
    block or never end) hashes as such, and loading it reports the error."""
    raw = read_raw(Path(path))
    if isinstance(raw, ReadError):
        return f"\0unreadable: {raw.message}".encode()
    return raw.data


def _compile(models_file: Path | None) -> CompiledSpec:
    from lint_wb.cache import spec_key
    from lint_wb.files.prefilter import host_of
    from lint_wb.spec.loader import bundled_libraries
    from lint_wb.spec.snapshots import load_spec

    spec = load_spec(models_file)
    api = spec.api
    hosts = {host_of(url) for url in (api.base_url, *api.other_wandb_base_urls)}
    sdks = {name.split(".")[0] for name in api.porting.provider_sdks}
    screening = Screening(
        wandb_hosts=tuple(sorted(hosts | set(api.near_miss_hosts))),
        client_modules=tuple(sorted(sdks | bundled_libraries().module_roots())),
        wandb_key_variable=api.porting.wandb_key_variable,
    )
    return CompiledSpec(spec_key(spec), screening, spec, bundled_libraries())


def _read(path: Path) -> CompiledSpec | None:
    try:
        with open(path, "rb") as file:
            version, key, screening, blob, libraries = pickle.load(file)
    except Exception:  # missing, unreadable or not ours: compile again
        return None
    if version != FORMAT or not isinstance(key, str):
        return None
    if not isinstance(blob, bytes) or not isinstance(libraries, bytes):
        return None
    return CompiledSpec(key, Screening(*screening), blob, libraries)


def _write(path: Path, made: CompiledSpec) -> None:
    try:
        blob = pickle.dumps(made.spec(), protocol=pickle.HIGHEST_PROTOCOL)
        libraries = pickle.dumps(bundled_libraries(), protocol=pickle.HIGHEST_PROTOCOL)
        table = (FORMAT, made.key, tuple(made.screening), blob, libraries)
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, pickle.dumps(table), WriteOptions(sync=False))
    except (OSError, WriteError, pickle.PicklingError):
        return  # only a slower next run
