"""Reading one table of a data file key by key, with one-line errors naming file and entry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast, get_args


class SpecError(ValueError):
    """A data file lint-wb cannot use: bad TOML, a missing, unknown or ill-typed key.

    The message is one line naming the file and the entry, fit to show a user as is.
    """


def one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _describe(value: object) -> str:
    kinds = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    kind = kinds.get(type(value), "a list" if isinstance(value, list) else "a table")
    import datetime  # a date comes from TOML, which loaded it: a run reading no TOML does not

    if isinstance(value, datetime.date):
        kind = "a date"
    text = repr(value)
    return f"{kind} {text if len(text) <= 40 else text[:37] + '...'}"


class Entry:
    """A TOML table read key by key; `finish()` rejects the keys nobody asked for."""

    def __init__(self, file: str, label: str, table: object) -> None:
        if not isinstance(table, dict):
            raise SpecError(f"{file}: {label}: expected a table, found {_describe(table)}")
        self.file = file
        self.label = label
        self._table: dict[str, object] = table
        self._seen: set[str] = set()

    def error(self, problem: str) -> SpecError:
        return SpecError(one_line(f"{self.file}: {self.label}: {problem}"))

    def finish(self) -> None:
        for key in self._table:
            if key not in self._seen:
                import difflib  # only for a data file with an unknown key

                known = sorted(self._seen)
                close = difflib.get_close_matches(key, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise self.error(f"unknown key '{key}'{hint}; known keys: {', '.join(known)}")

    def key_names(self) -> list[str]:
        """The keys the table holds, for tables whose keys are data (a name -> value map)."""
        return list(self._table)

    def raw(self, key: str) -> object | None:
        self._seen.add(key)
        return self._table.get(key)

    def required(self, key: str) -> object:
        value = self.raw(key)
        if value is None:
            raise self.error(f"missing required key '{key}'")
        return value

    def string(self, key: str) -> str:
        return self._as_string(key, self.required(key))

    def opt_string(self, key: str) -> str | None:
        value = self.raw(key)
        return None if value is None else self._as_string(key, value)

    def _as_string(self, key: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"'{key}' must be a non-empty string, found {_describe(value)}")
        return value

    def date(self, key: str) -> str:
        return self._as_date(key, self.required(key))

    def opt_date(self, key: str) -> str | None:
        value = self.raw(key)
        return None if value is None else self._as_date(key, value)

    def _as_date(self, key: str, value: object) -> str:
        import datetime  # (see `_describe`)

        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        raise self.error(f"'{key}' must be a date (YYYY-MM-DD), found {_describe(value)}")

    def strings(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, list):
            raise self.error(f"'{key}' must be a list of strings, found {_describe(value)}")
        items = tuple(self._as_string(key, item) for item in value)
        duplicates = sorted({item for item in items if items.count(item) > 1})
        if duplicates:
            raise self.error(f"'{key}' lists '{duplicates[0]}' twice")
        return items

    def opt_int(self, key: str, minimum: int) -> int | None:
        value = self.raw(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.error(f"'{key}' must be an integer >= {minimum}, found {_describe(value)}")
        return value

    def opt_number(self, key: str) -> float | None:
        value = self.raw(key)
        if value is None:
            return None
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise self.error(f"'{key}' must be a number, found {_describe(value)}")
        return float(value)

    def boolean(self, key: str) -> bool:
        value = self.opt_bool(key)
        if value is None:
            raise self.error(f"missing required key '{key}'")
        return value

    def opt_bool(self, key: str) -> bool | None:
        value = self.raw(key)
        if value is not None and not isinstance(value, bool):
            raise self.error(f"'{key}' must be true or false, found {_describe(value)}")
        return value

    def choice(self, key: str, kind: object) -> str:
        value = self.string(key)
        allowed = cast("tuple[str, ...]", get_args(kind))
        if value not in allowed:
            raise self.error(f"'{key}' must be one of {', '.join(allowed)}, found '{value}'")
        return value

    def opt_choice(self, key: str, kind: object) -> str | None:
        return None if self.raw(key) is None else self.choice(key, kind)

    def sub(self, key: str) -> Entry:
        return Entry(self.file, f"{self._prefix()}[{key}]", self.required(key))

    def opt_sub(self, key: str) -> Entry | None:
        value = self.raw(key)
        return None if value is None else Entry(self.file, f"{self.label} '{key}'", value)

    def array(self, key: str, name: str) -> Iterator[Entry]:
        """The tables of an array of tables `[[key]]`, each labelled `name #n` (1-based)."""
        value = self.raw(key)
        if value is None:
            return
        if not isinstance(value, list):
            raise self.error(
                f"'{key}' must be an array of tables ([[{key}]]), found {_describe(value)}"
            )
        for number, table in enumerate(value, start=1):
            yield Entry(self.file, f"{name} #{number}", table)

    def named(self, key: str, name: str) -> Iterator[tuple[str, Entry]]:
        """The sub-tables of `[key.<name>]`, each labelled `name '<key>'`."""
        value = self.raw(key)
        if value is None:
            return
        if not isinstance(value, dict):
            raise self.error(f"'{key}' must be a table of tables, found {_describe(value)}")
        for entry_name, table in value.items():
            if not entry_name.isidentifier():
                raise self.error(f"'{key}.{entry_name}' is not a keyword name")
            yield entry_name, Entry(self.file, f"{name} '{entry_name}'", table)

    def _prefix(self) -> str:
        return "" if self.label == "top level" else f"{self.label} "
