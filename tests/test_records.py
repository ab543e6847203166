"""`lint_wb.records.dataclass` behaves as `dataclasses.dataclass`, made when first needed."""

from __future__ import annotations

import copy
import dataclasses
import os
import pickle
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lint_wb import records

PARAMS: list[dict[str, Any]] = [
    {},
    {"frozen": True},
    {"frozen": True, "eq": False},
    {"frozen": True, "order": True},
    {"eq": False},
    {"unsafe_hash": True},
    {"repr": False},
]


def point_class(decorate: Callable[..., Any], params: dict[str, Any]) -> Any:
    """The same class body, decorated by `decorate(**params)`."""

    class Point:
        """A point."""

        x: int
        y: int = 0
        tags: list[str] = dataclasses.field(default_factory=list, compare=False)

        def norm(self) -> int:
            return abs(self.x) + abs(self.y)

    return decorate(**params)(Point)


def outcome(action: Callable[[], Any]) -> tuple[str, Any]:
    """What `action` gives (an object's address left out), or the type of what it raises."""
    try:
        value = action()
        return ("value", re.sub(" at 0x[0-9a-f]+", "", value) if isinstance(value, str) else value)
    except Exception as error:
        return ("raises", type(error).__name__)


def behaviour(cls: Any, make: Callable[..., Any]) -> list[tuple[str, Any]]:
    """Everything a dataclass user may ask of `cls` and of its instances (made by `make`)."""
    one, same, other = make(cls, 1, 2), make(cls, 1, 2), make(cls, 3)
    return [
        outcome(lambda: dataclasses.is_dataclass(cls)),
        outcome(lambda: [f.name for f in dataclasses.fields(cls)]),
        outcome(lambda: repr(one)),
        outcome(lambda: one == same),
        outcome(lambda: one != other),
        outcome(lambda: one == (1, 2)),
        outcome(lambda: one == dataclasses.replace(same, tags=["not compared"])),
        outcome(lambda: hash(one) == hash(same)),
        outcome(lambda: one < other),
        outcome(lambda: sorted([other, one]) == [one, other]),
        outcome(lambda: dataclasses.asdict(one)),
        outcome(lambda: dataclasses.astuple(other)),
        outcome(lambda: repr(dataclasses.replace(one, y=5))),
        outcome(lambda: one.norm()),
        outcome(lambda: cls.__match_args__),
        outcome(lambda: repr(cls.__dataclass_params__)),
        outcome(lambda: setattr(one, "x", 9)),
        outcome(lambda: delattr(other, "y")),
        outcome(lambda: (one.x, other.__dict__.get("y"))),
        outcome(lambda: repr(pickle.loads(pickle.dumps(same)))),
        outcome(lambda: repr(copy.deepcopy(same))),
        outcome(lambda: make(cls)),
        outcome(lambda: (cls.y, hasattr(cls, "tags"))),  # a default's class attribute
    ]


def constructed(cls: Any, *args: Any) -> Any:
    return cls(*args)


def unpickled(cls: Any, *args: Any) -> Any:
    """An instance as `pickle` makes one (no `__init__`): a worker's result, say."""
    if len(args) < 1:
        raise TypeError("x is required")
    instance = object.__new__(cls)
    instance.__dict__.update(x=args[0], y=args[1] if len(args) > 1 else 0, tags=[])
    return instance


@pytest.mark.parametrize("params", PARAMS, ids=repr)
@pytest.mark.parametrize("make", [constructed, unpickled], ids=lambda f: f.__name__)
def test_a_deferred_class_behaves_as_a_dataclass(
    params: dict[str, Any], make: Callable[..., Any]
) -> None:
    eager = point_class(dataclasses.dataclass, params)
    deferred = point_class(records.dataclass, params)
    assert not records.made(deferred)
    assert behaviour(deferred, make) == behaviour(eager, make)
    assert records.made(deferred)


@pytest.mark.parametrize(
    "first_use",
    [
        lambda cls: cls(1),
        lambda cls: dataclasses.fields(cls),
        lambda cls: dataclasses.is_dataclass(cls),
        lambda cls: cls.__dataclass_params__,
        lambda cls: cls.__match_args__,
        lambda cls: unpickled(cls, 1) == unpickled(cls, 1),
        lambda cls: hash(unpickled(cls, 1)),
        lambda cls: repr(unpickled(cls, 1)),
        lambda cls: setattr(unpickled(cls, 1), "x", 2),
        lambda cls: dataclasses.replace(unpickled(cls, 1), x=2),
    ],
)
def test_a_class_is_made_a_dataclass_by_its_first_use(first_use: Callable[[Any], Any]) -> None:
    deferred = point_class(records.dataclass, {"frozen": True})
    deferred.norm(deferred(1))  # a method of its own is no use of the dataclass
    outcome(lambda: first_use(deferred))
    assert records.made(deferred)
    assert isinstance(vars(deferred)["__dataclass_fields__"], dict)


def test_a_class_nobody_uses_is_never_made() -> None:
    deferred = point_class(records.dataclass, {"frozen": True})
    assert deferred.norm.__name__ == "norm"
    assert deferred.__doc__ == "A point."
    assert not records.made(deferred)


@pytest.mark.parametrize(
    "use",
    [hash, repr, lambda point: point == point, lambda point: type(point).__dataclass_params__],
    ids=["hash", "repr", "eq", "params"],
)
def test_making_what_compares_and_prints_asks_no_signature(
    use: Callable[[Any], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The classes made only for what `dataclasses` writes in them have a docstring: else
    `dataclasses` writes one from `inspect.signature`, whose first use compiles the
    tokenizer's patterns and parses with `ast` (3% of a warm pre-commit run)."""
    import inspect

    deferred = point_class(records.dataclass, {"frozen": True})
    point = deferred(1)
    asked: list[object] = []
    signature = inspect.signature

    def noted(*args: Any, **kwargs: Any) -> inspect.Signature:
        asked.append(args[0])  # not raised: Python ignores an error in finding __repr__
        return signature(*args, **kwargs)

    monkeypatch.setattr(inspect, "signature", noted)
    use(point)
    assert asked == []
    assert deferred.__doc__ == "A point."


def test_subclasses_and_super_calls() -> None:
    @records.dataclass(frozen=True)
    class Base:
        """A base."""

        a: int

    @records.dataclass(frozen=True)
    class Child(Base):
        """A deferred subclass."""

        b: int = 2

    assert not records.made(Base)
    assert repr(Child(1)) == "test_subclasses_and_super_calls.<locals>.Child(a=1, b=2)"
    assert records.made(Base)

    @dataclasses.dataclass(frozen=True)
    class EagerChild(Base):
        """A subclass made at once: it reads its base's fields."""

        c: int = 3

    class Plain(Base):
        """Not a dataclass: its own `__init__` calls the base's."""

        def __init__(self) -> None:
            super().__init__(7)

    assert [f.name for f in dataclasses.fields(EagerChild)] == ["a", "c"]
    assert Plain().a == 7
    with pytest.raises(dataclasses.FrozenInstanceError):
        Child(1).a = 2  # type: ignore[misc]


def test_a_dataclass_made_at_once_on_a_deferred_base() -> None:
    @records.dataclass(frozen=True)
    class Base:
        """A base nobody used yet."""

        a: int

    @dataclasses.dataclass(frozen=True)
    class EagerChild(Base):
        """Made at once: it reads its base's fields and parameters."""

        c: int = 3

    assert repr(EagerChild(1)) == (
        "test_a_dataclass_made_at_once_on_a_deferred_base.<locals>.EagerChild(a=1, c=3)"
    )
    assert records.made(Base)


@pytest.mark.parametrize("params", [{}, {"frozen": True}, {"unsafe_hash": True}], ids=repr)
def test_a_class_with_its_own_eq_gets_the_hash_dataclasses_gives_it(
    params: dict[str, Any],
) -> None:
    """Python sets `__hash__` to None in a class that defines `__eq__`; `dataclasses` may
    set it again."""

    def own_eq(decorate: Callable[..., Any]) -> Any:
        class Key:
            """Compared by its own `__eq__`."""

            name: str

            def __eq__(self, other: object) -> bool:
                return isinstance(other, Key) and other.name.lower() == self.name.lower()

        return decorate(**params)(Key)

    def make(cls: Any, *args: Any) -> Any:
        return cls(str(args)) if args else cls()  # the last: no name, a TypeError

    eager, deferred = own_eq(dataclasses.dataclass), own_eq(records.dataclass)
    assert behaviour(deferred, make) == behaviour(eager, make)


def test_a_class_with_methods_of_its_own_keeps_them() -> None:
    @records.dataclass(frozen=True)
    class Own:
        """Defines `__repr__` and `__eq__` itself."""

        a: int

        def __repr__(self) -> str:
            return "own"

        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = object.__hash__

    assert repr(Own(1)) == "own"
    assert Own(1) == Own(2)
    assert hash(Own(1)) != 0


def test_threads_asking_at_once_make_the_class_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[tuple[str, bool]] = []
    real = dataclasses.dataclass

    def counting(cls: type, **params: Any) -> Any:
        # twins bear its name; the first step's prints nothing (`records.COMPARED` later)
        made.append((cls.__qualname__, params.get("repr", True)))
        return real(cls, **params)

    deferred = point_class(records.dataclass, {"frozen": True, "order": True})
    monkeypatch.setattr(records.dataclasses, "dataclass", counting)
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def use() -> None:
        start.wait()
        try:
            assert sorted([deferred(2), deferred(1)])[0].x == 1
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    first_steps = [twin for twin in made if twin == (deferred.__qualname__, False)]
    assert len(first_steps) == 1  # (and one twin that prints and compares: COMPARED)


UNPICKLED_FIRST = """
import dataclasses, pickle, sys
from lint_wb import records
from lint_wb.findings import Location
location = pickle.loads(sys.stdin.buffer.read())
assert not records.made(Location)
assert dataclasses.replace(location, column=3) == Location(1, 3)
assert location < Location(2, 0) and hash(location) == hash(Location(1, 2))
print(repr(location))
"""


def test_an_instance_unpickled_in_a_new_process_is_a_dataclass_instance() -> None:
    """A worker's result comes back as pickled instances of classes the main process may not
    have made yet."""
    from lint_wb.findings import Location

    data = pickle.dumps(Location(1, 2))
    output = subprocess.run(
        [sys.executable, "-c", UNPICKLED_FIRST], input=data, capture_output=True, check=True
    ).stdout
    assert output.decode().strip() == "Location(row=1, column=2)"


def test_a_thread_using_a_class_while_another_makes_it_never_finds_it_half_made() -> None:
    """Made for a twin and set over the stand-ins, the methods are never missing from the
    class meanwhile: a missing `__init__` is `object.__init__`, and making an instance then
    raises `TypeError: C() takes no arguments`. Threads switch every microsecond here, over
    many fresh classes, so that the other thread meets the class while it is being made."""
    failures: list[BaseException] = []
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _ in range(60):
            deferred = point_class(records.dataclass, {"frozen": True})
            start = threading.Barrier(2)

            def use(cls: Any = deferred, start: threading.Barrier = start) -> None:
                start.wait()
                try:
                    for _ in range(300):
                        assert cls(1).x == 1
                except BaseException as error:
                    failures.append(error)

            other = threading.Thread(target=use)
            other.start()
            use()
            other.join()
    finally:
        sys.setswitchinterval(previous)
    assert not failures, failures[0]


def fields_class(decorate: Callable[..., Any], params: dict[str, Any], base: type = object) -> Any:
    """A class of every kind of field `_frozen_init` writes for, decorated."""

    class Fields(base):  # type: ignore[misc,valid-type]
        """Fields."""

        plain: int
        given: str = "g"
        made: list[int] = dataclasses.field(default_factory=lambda: [1])
        made_later: dict[str, int] = dataclasses.field(init=False, default_factory=dict)
        fixed: int = dataclasses.field(init=False, default=7)
        unseen: tuple[int, ...] = dataclasses.field(default=(), repr=False, compare=False)

    return decorate(**params)(Fields)


def init_behaviour(cls: Any) -> list[tuple[str, Any]]:
    import inspect

    def refused(*args: Any, **kwargs: Any) -> str:
        try:
            cls(*args, **kwargs)
        except TypeError as error:
            return str(error)
        return "accepted"

    return [
        outcome(lambda: str(inspect.signature(cls))),
        outcome(lambda: cls.__init__.__annotations__),
        outcome(lambda: (cls.__init__.__qualname__, cls.__init__.__name__)),
        outcome(lambda: cls.__init__.__module__),
        outcome(lambda: vars(cls(1))),
        outcome(lambda: vars(cls(1, "h", [2], ()))),
        outcome(lambda: cls(1).made is not cls(1).made),
        outcome(lambda: refused()),
        outcome(lambda: refused(1, made_later={})),
        outcome(lambda: repr(cls(1))),
        outcome(lambda: cls(1) == cls(1, unseen=(3,))),
        outcome(lambda: (cls.fixed, cls.given, hasattr(cls, "made"))),
    ]


@pytest.fixture
def written_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The classes whose `__init__` `records` writes itself (`_frozen_init`)."""
    written: list[str] = []
    write = records._frozen_init

    def noted(cls: type, fields: Any) -> Any:
        written.append(cls.__qualname__)
        return write(cls, fields)

    monkeypatch.setattr(records, "_frozen_init", noted)
    return written


@pytest.mark.parametrize("params", [{"frozen": True}, {"frozen": True, "eq": False}], ids=repr)
def test_a_frozen_class_gets_the_init_dataclasses_writes(
    params: dict[str, Any], written_here: list[str]
) -> None:
    """A plain frozen class's `__init__` is written by `records` (one function compiled, not
    three): it is the one `dataclasses` writes, to its signature and error messages."""
    deferred = fields_class(records.dataclass, params)
    stdlib = fields_class(dataclasses.dataclass, params)
    assert init_behaviour(deferred) == init_behaviour(stdlib)
    assert written_here == [deferred.__qualname__]


def with_post_init(decorate: Callable[..., Any]) -> Any:
    class Checked:
        """Checked."""

        value: int

        def __post_init__(self) -> None:
            object.__setattr__(self, "value", self.value * 2)

    return decorate(frozen=True)(Checked)


def test_a_frozen_class_with_a_post_init_or_a_dataclass_base_is_made_by_dataclasses(
    written_here: list[str],
) -> None:
    assert vars(with_post_init(records.dataclass)(2)) == {"value": 4}
    assert vars(with_post_init(dataclasses.dataclass)(2)) == {"value": 4}
    on_base, stdlib = (
        fields_class(decorate, {"frozen": True}, decorate(frozen=True)(type("Base", (), {})))
        for decorate in (records.dataclass, dataclasses.dataclass)
    )
    assert init_behaviour(on_base) == init_behaviour(stdlib)
    assert written_here == ["Base"]  # a plain frozen class itself: not those on it


def with_setting_descriptor(decorate: Callable[..., Any]) -> Any:
    class Doubled:
        """A descriptor that stores twice what is set through it (default 0)."""

        def __get__(self, instance: Any, owner: Any = None) -> int:
            return 0 if instance is None else int(vars(instance).get("stored", 0))

        def __set__(self, instance: Any, value: int) -> None:
            vars(instance)["stored"] = value * 2

    class Described:
        """Described."""

        value: int = Doubled()  # type: ignore[assignment]

    return decorate(frozen=True)(Described)


def test_a_frozen_class_with_a_setting_descriptor_is_made_by_dataclasses(
    written_here: list[str],
) -> None:
    """`_frozen_init` stores the fields in `__dict__`, where `dataclasses`'s `__init__` goes
    through `object.__setattr__`, which calls a descriptor's `__set__`: such a class is left to
    `dataclasses`."""
    deferred, stdlib = (
        with_setting_descriptor(decorate) for decorate in (records.dataclass, dataclasses.dataclass)
    )
    assert vars(deferred(3)) == vars(stdlib(3)) == {"stored": 6}
    assert deferred(3).value == stdlib(3).value == 6
    assert written_here == []


# ---------------------------------------------------------------------- dataclasses' inspect

FRESH_PROBE = """
import sys
from lint_wb import records
import dataclasses
print("inspect" in sys.modules, type(dataclasses.inspect).__name__)

@dataclasses.dataclass
class Point:
    x: int

print(Point.__doc__, "inspect" in sys.modules)
"""


STAND_IN_ONLY = pytest.mark.skipif(
    not records.INSPECT_STANDS_IN, reason="dataclasses loads inspect itself from Python 3.12"
)


@STAND_IN_ONLY
def test_dataclasses_is_loaded_without_inspect_and_gets_it_when_it_asks() -> None:
    """records imports `dataclasses` with a stand-in for `inspect`: a class without a
    docstring still gets its signature as one, from the real module loaded then."""
    ran = subprocess.run(
        [sys.executable, "-c", FRESH_PROBE], capture_output=True, text=True, check=True
    )
    assert ran.stdout.splitlines() == ["False _InspectOnUse", "Point(x: int) True"]


def test_the_stand_in_asked_while_it_stands_gives_the_real_inspect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Asked for anything while it is still `sys.modules["inspect"]` (a module that
    `dataclasses` imports asks), it loads the real module in its place."""
    stand_in = records._InspectOnUse("inspect")
    monkeypatch.setitem(sys.modules, "inspect", stand_in)
    signature = stand_in.signature
    loaded = sys.modules["inspect"]
    assert loaded is not stand_in and signature is loaded.signature


def test_no_stand_in_where_dataclasses_loads_inspect_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From Python 3.12 the first dataclass loads `inspect` anyway: `dataclasses` is imported
    as it is, with nothing put in `sys.modules`."""
    monkeypatch.setattr(records, "INSPECT_STANDS_IN", False)
    for name in ("dataclasses", "inspect"):
        monkeypatch.delitem(sys.modules, name)
    put: list[object] = []
    monkeypatch.setattr(records, "_InspectOnUse", lambda name: put.append(name))
    assert records._import_dataclasses() is sys.modules["dataclasses"]
    assert put == [] and sys.modules["dataclasses"].inspect is sys.modules["inspect"]


WARM_PROBE = """
import atexit, sys
from lint_wb.files import known
known.RACY_NS = 0  # the files the test just wrote count as old enough to be trusted
atexit.register(lambda: print("inspect:", "inspect" in sys.modules, file=sys.stderr))
sys.argv = ["lint-wb", *sys.argv[1:]]
from lint_wb.cli.console import console_main
console_main()
"""


@STAND_IN_ONLY
def test_a_warm_run_of_a_few_files_loads_no_inspect(tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(
        "from openai import OpenAI\n"
        "client = OpenAI(base_url='https://api.inference.wandb.ai/v1', api_key='k')\n"
        "client.chat.completions.create(model='gpt-4', messages=[], temperature=3)\n",
        encoding="utf-8",
    )
    (tmp_path / "plain.py").write_text("VALUE = 1\n", encoding="utf-8")
    env = {**os.environ, "LINT_WB_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-c", WARM_PROBE, "--force-exclude", "client.py", "plain.py"]
    runs = [
        subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [run.stderr.splitlines()[-1] for run in runs] == ["inspect: True", "inspect: False"]
    assert runs[0].stdout == runs[1].stdout and "WB301" in runs[1].stdout
