"""Who may do what, written from the product's rules (not from what the code happens to do).

The product brief (PRODUCT.md, kept beside the repository, not in it) states these rules; the
ones this matrix encodes are quoted here so the file reads on its own:
- "People and roles": leaders sponsor pilots and see the portfolio; supervisors coach a
  workgroup, log cycles and see their own protected metrics; HR admins keep people, metric
  definitions and API clients; an API client is a machine with a scoped token. "A supervisor
  sees only the groups they coach; a sponsor sees their pilots; a leader with portfolio
  rights sees all; nobody sees another supervisor's metrics without a role that allows it."
- "Pilots": the supervisor acknowledges the charter, the sponsor confirms the assurance.
- "Metrics and baseline protection": observations are append-only (a correction is a new
  observation); a frozen baseline is never edited; HR reads protected values.
- "REST API for HR systems (contract)": tokens belong to named clients with scopes.

`expected(principal, obj, action, side)` answers ALLOW, DENY or OPEN (those rules do not
decide; the cell is still exercised for server errors and for mass assignment, but its
outcome is not asserted). Side "A" is the pilot bob sponsors, carol coaches and erin is in.
"""

from enum import Enum


class Expect(Enum):
    ALLOW = "allow"
    DENY = "deny"
    OPEN = "open"


ALLOW, DENY, OPEN = Expect.ALLOW, Expect.DENY, Expect.OPEN

HUMANS = ["anonymous", "erin", "carol", "bob", "alice", "hilda", "mallory"]
CLIENTS = [
    "client:people:read",
    "client:people:write",
    "client:metrics:read",
    "client:metrics:write",
    "client:pilots:read",
    "client:scim",
]
PRINCIPALS = HUMANS + CLIENTS

ROLE_OF = {
    "anonymous": "anonymous",
    "erin": "member",
    "carol": "supervisor",
    "bob": "sponsor",
    "alice": "portfolio leader",
    "hilda": "HR admin",
    "mallory": "no role",
}

READS = {"list", "read"}
PILOT_SIDE = {"pilot", "workgroup", "charter", "cycle", "opportunity"}
METRIC_SIDE = {"observation", "baseline", "protected_metrics"}
HR_DATA = {"person", "org_unit"}


def _client_scope(principal: str, family: str, action: str) -> Expect:
    """Machine clients see the whole organisation, within their token's scopes."""
    needed = f"{family}:read" if action in READS else f"{family}:write"
    return ALLOW if principal == f"client:{needed}" else DENY


def _pilot_side(principal: str, obj: str, action: str, own: bool) -> Expect:
    if principal.startswith("client:"):
        verdict = _client_scope(principal, "pilots", action)
        # HR systems act on pilots only where the API contract says so; creating is undecided.
        return OPEN if verdict is ALLOW and action not in READS else verdict
    if action in READS:
        if principal == "erin" and own and obj in {"cycle", "opportunity"}:
            return OPEN  # whether members read their group's cycles is not decided
        # A sponsor sees their pilots, a supervisor the groups they coach, a member theirs,
        # a portfolio leader all; HR admins and people without a role see none.
        if principal == "alice" or (own and principal in {"bob", "carol", "erin"}):
            return ALLOW
        return DENY
    return _pilot_side_write(principal, obj, action, own)


def _pilot_side_write(principal: str, obj: str, action: str, own: bool) -> Expect:
    if principal in {"anonymous", "mallory", "hilda", "erin"}:
        return DENY
    if obj in {"cycle", "opportunity"}:
        # Only the supervisor who coaches the workgroup runs its cycles.
        return ALLOW if (principal == "carol" and own) else DENY
    if obj == "pilot" and action == "create":
        return ALLOW if principal in {"alice", "bob"} else DENY  # leaders sponsor pilots
    if obj == "charter":
        # The supervisor acknowledges (update), the sponsor confirms the assurance (lifecycle).
        signer = "carol" if action == "update" else "bob"
        return ALLOW if (own and principal == signer) else DENY
    if principal == "bob":
        return ALLOW if own else DENY
    if principal == "alice":
        return OPEN  # "sees the portfolio" is a read right; "People and roles" says no more
    return DENY  # supervisors do not edit pilots or workgroups


def _metric_side(principal: str, obj: str, action: str, own: bool) -> Expect:
    if action not in READS and obj in {"baseline", "protected_metrics"}:
        return DENY  # frozen baselines and computed protection are never written from outside
    if action in {"update", "lifecycle"} and obj == "observation":
        return DENY  # append-only: a correction is a new observation
    if principal.startswith("client:"):
        return _client_scope(principal, "metrics", action)
    if action not in READS:
        return ALLOW if principal == "hilda" else DENY  # HR imports observations
    if principal == "hilda" or (principal == "carol" and own):
        return ALLOW  # HR reads protected figures; supervisors their own
    if principal in {"bob", "alice"}:
        return OPEN  # sponsors and leaders: "a role that allows it" is not defined further
    return DENY  # another supervisor, members, people without a role, anonymous


def _hr_data(principal: str, action: str) -> Expect:
    if principal.startswith("client:"):
        return _client_scope(principal, "people", action)
    if principal == "anonymous":
        return DENY
    if action in READS:
        return ALLOW if principal == "hilda" else OPEN  # the directory for staff is undecided
    return ALLOW if principal == "hilda" else DENY


def expected(principal: str, obj: str, action: str, side: str, channel: str = "api") -> Expect:
    own = side == "A"
    if channel == "web" and principal.startswith("client:"):
        return DENY  # bearer tokens open the API only, never a web page
    if obj in PILOT_SIDE:
        return _pilot_side(principal, obj, action, own)
    if obj in METRIC_SIDE:
        return _metric_side(principal, obj, action, own)
    if obj in HR_DATA:
        return _hr_data(principal, action)
    if obj == "api_client":
        # Only HR admins manage API clients; no token can manage tokens.
        return ALLOW if principal == "hilda" else DENY
    raise ValueError(f"no rule for {obj}")
