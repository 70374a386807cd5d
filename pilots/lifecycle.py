"""The pilot lifecycle as a table of allowed moves, and the one function that takes a move:
it checks the state and the actor, changes the status and records who, when and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.errors import StateConflict
from pilots.models import Pilot, PilotStatus, PilotTransition

S = PilotStatus


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    needs_reason: bool = False


MOVES: dict[str, Move] = {
    move.name: move
    for move in [
        Move("approve", "Approve", frozenset({S.DRAFT}), S.APPROVED),
        Move("start", "Start", frozenset({S.APPROVED}), S.RUNNING),
        Move("review", "Begin review", frozenset({S.RUNNING}), S.REVIEWING),
        Move(
            "stop",
            "Stop",
            frozenset({S.DRAFT, S.APPROVED, S.RUNNING, S.REVIEWING}),
            S.STOPPED,
        ),
        # The decisions recorded at review (see services.pilot_decide).
        Move("scale", "Scale", frozenset({S.REVIEWING}), S.SCALED),
        Move("adapt", "Adapt and continue", frozenset({S.REVIEWING}), S.RUNNING),
    ]
}

# Said in the record of a self-approval, so whoever reads the pilot's history sees it.
SELF_APPROVED = (
    "(Self-approved by the sponsor: the organisation allows it and has no other portfolio leader.)"
)

ENDED = frozenset({S.SCALED, S.STOPPED})
# States whose details (name, vision, dates, workgroups, charters) may still change.
EDITABLE = frozenset({S.DRAFT, S.APPROVED})


def may_take(user, pilot: Pilot, move: Move) -> bool:
    """Who may take a move is a permissions question (pilots.permissions.can_take_move)."""
    from pilots.permissions import can_take_move

    return can_take_move(user, pilot, move.name)


def moves_from(status: str) -> list[Move]:
    return [move for move in MOVES.values() if status in move.sources]


def available_moves(user, pilot: Pilot) -> list[Move]:
    """The moves the user may take on the pilot now (for the buttons on the pilot page)."""
    return [move for move in moves_from(pilot.status) if may_take(user, pilot, move)]


def check(pilot: Pilot, name: str, *, by) -> Move:
    """The move if the pilot's state and the actor allow it; a clear error otherwise."""
    move = MOVES[name]
    if pilot.status not in move.sources:
        allowed = ", ".join(sorted(move.sources))
        raise StateConflict(
            f"Cannot {move.label.lower()} a pilot that is {pilot.status}: only from {allowed}.",
            code="invalid_transition",
        )
    from pilots.permissions import require_move

    require_move(by, pilot, move.name, move.label.lower())
    return move


def take(
    pilot: Pilot, name: str, *, by, at: dt.datetime, reason: str = "", also: tuple = ()
) -> PilotTransition:
    """Move the pilot and record the move: the only place a pilot's status changes. `also`
    names fields the caller set with the move (started_at…), saved in the same write so the
    audit history shows one change. A sponsor's own approval is recorded as such."""
    from pilots.permissions import is_self_approval

    move = check(pilot, name, by=by)
    self_approved = name == "approve" and is_self_approval(by, pilot)
    if self_approved:
        reason = " ".join(filter(None, [reason.strip(), SELF_APPROVED]))
    transition = PilotTransition.objects.create(
        pilot=pilot,
        from_status=pilot.status,
        to_status=move.target,
        by=by,
        at=at,
        reason=reason,
        self_approved=self_approved,
    )
    pilot.status = move.target
    pilot._change_reason = reason  # the why of the move, in the pilot's history too
    pilot.save(update_fields=["status", *also, "updated_at"])
    return transition
