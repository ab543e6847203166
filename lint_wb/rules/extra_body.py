"""WB202's move: keywords the SDK rejects but W&B honours go into `extra_body={...}`.

All the keywords of one call that move are moved by one fix, which every finding of the call
carries (as ruff does for the unused names of one import statement): fixes that each moved
one keyword would all add an `extra_body=` of their own in the same round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from lint_wb._cst import cst
from lint_wb.analysis import Keyword, Request, Resolver
from lint_wb.analysis.dicts import read_dict
from lint_wb.records import dataclass
from lint_wb.rules.base import FixProposal, Replacement, safe_fix
from lint_wb.rules.edits import add_dict_entry, without_args


@dataclass(frozen=True)
class Move:
    """A keyword written in the call that belongs in extra_body under `key`."""

    keyword: Keyword
    key: str

    @property
    def arg(self) -> cst.Arg:
        assert self.keyword.arg is not None
        return self.keyword.arg


@dataclass(frozen=True)
class MovePlan:
    """A fix moving keywords of a request into its extra_body."""

    fix: FixProposal
    moved: frozenset[str]
    """The keyword names the fix moves."""


def plan_moves(request: Request, moves: Sequence[Move], resolver: Resolver) -> MovePlan | None:
    """One fix moving every keyword of `moves` it can into extra_body, or None."""
    moves = _unambiguous([move for move in moves if move.keyword.is_direct])
    existing = request.arguments.get("extra_body")
    if existing is None:
        if not moves or not request.arguments.complete:
            return None  # an unresolved `**x` may hold an extra_body already
        new_call = _created(request.node, moves)
    else:
        target = existing.value if existing.arg is not None else None
        if not isinstance(target, cst.Dict) or existing.arg is None:
            return None
        present = read_dict(target, request.scope, resolver)
        if present is None or not present.closed:
            return None  # a key of a `**spread` or one that cannot be evaluated may be a move's
        moves = [move for move in moves if not present.has(move.key)]
        if not moves:
            return None
        new_call = _merged(request.node, existing.arg, target, moves)
    names = ", ".join(repr(move.keyword.name) for move in moves)
    fix = safe_fix(f"Move {names} into extra_body", Replacement(request.node, new_call))
    return MovePlan(fix, frozenset(move.keyword.name for move in moves))


def _unambiguous(moves: list[Move]) -> list[Move]:
    """Without the moves that land on one key (`k=` and `top_k=`): which was meant is unclear."""
    counts = Counter(move.key for move in moves)
    return [move for move in moves if counts[move.key] == 1]


def _created(call: cst.Call, moves: Sequence[Move]) -> cst.Call:
    """`extra_body={...}` with every moved keyword, where the first of them stood."""
    first, *rest = sorted(moves, key=lambda move: _position(call, move.arg))
    elements = [
        cst.DictElement(
            cst.SimpleString(f'"{move.key}"'),
            move.keyword.value,
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
        )
        for move in (first, *rest)
    ]
    elements[-1] = elements[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    new_arg = first.arg.with_changes(keyword=cst.Name("extra_body"), value=cst.Dict(elements))
    args = [new_arg if arg is first.arg else arg for arg in call.args]
    shifted = call.with_changes(args=args)
    return without_args(shifted, [move.arg for move in rest])


def _merged(
    call: cst.Call, extra_body: cst.Arg, target: cst.Dict, moves: Sequence[Move]
) -> cst.Call:
    new_dict = target
    for move in sorted(moves, key=lambda move: _position(call, move.arg)):
        new_dict = add_dict_entry(new_dict, move.key, move.keyword.value)
    new_arg = extra_body.with_changes(value=new_dict)
    args = [new_arg if arg is extra_body else arg for arg in call.args]
    return without_args(call.with_changes(args=args), [move.arg for move in moves])


def _position(call: cst.Call, arg: cst.Arg) -> int:
    return next(index for index, candidate in enumerate(call.args) if candidate is arg)
