"""The rows of the authorization matrix: every endpoint that reads or changes an object.

A row names the object type and action it exercises, how to build its URL and body for a
side of the cast, what text proves the object was shown (`marker`), and which fields of
which object must never change whatever the answer (`protected`: mass assignment). Rows
whose URL does not resolve yet are skipped, so endpoints are picked up as they land.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from pilots.models import Pilot
from tests.matrix.cast import Cast
from tests.matrix.rules import Expect

Build = Callable[[Cast, str], object]


@dataclass(frozen=True)
class Endpoint:
    channel: str  # "api" or "web"
    obj: str
    action: str  # list, read, create, update, lifecycle
    method: str
    path: Build
    body: Build | None = None
    marker: Build | None = None
    protected: Build | None = None  # → list of (instance, [field, ...]) that must not change
    note: str = field(default="")
    # A page narrower than its object's general rule (e.g. the portfolio is for leaders):
    # (principal, side) → Expect, or None to fall back to rules.expected.
    rule: Callable | None = None
    # Checked after every request whatever its answer: (cast, side) → a problem or None.
    invariant: Build | None = None
    # For machine clients: the one scope that opens this endpoint (overrides the object's rule).
    scope: str | None = None

    @property
    def id(self) -> str:
        suffix = f"-{self.note}" if self.note else ""
        return f"{self.channel}-{self.obj}-{self.action}{suffix}"


def s(cast: Cast, side: str):
    return cast.sides[side]


def other(side: str) -> str:
    return "B" if side == "A" else "A"


def _pilot_protected(cast, side):
    return [(s(cast, side).pilot, ["status", "sponsor_id", "started_at", "premature_stop"])]


def _pilot_mass_assignment(cast, side):
    return {
        "name": f"Renamed {side}",
        "status": "scaled",
        "sponsor": s(cast, other(side)).pilot.sponsor.external_id,
        "sponsor_id": s(cast, other(side)).pilot.sponsor_id,
        "id": 999_999,
        "started_at": "2020-01-01T00:00:00Z",
        "premature_stop": True,
    }


def _new_pilot(cast, side):
    return {
        "name": f"New pilot {side}",
        "approach": "job_redesign",
        "vision": "v",
        "pain_point": "p",
        "demonstration_project": "d",
        "planned_start": "2027-01-04",
        "review_date": "2027-07-05",
        "patience_horizon_weeks": 26,
        "status": "running",
        "started_at": "2020-01-01T00:00:00Z",
        "premature_stop": True,
    }


def _new_pilots_are_drafts(cast, side):
    """Whoever creates a pilot, it starts as a draft: status and timestamps are not inputs."""
    created = Pilot.objects.filter(name__in=[f"New pilot {side}", f"Pilot form {side}"])
    wrong = created.exclude(status="draft", started_at=None, premature_stop=False)
    return f"created with protected fields set: {list(wrong.values('status'))}" if wrong else None


def _observation(cast, side):
    return {
        "metric": cast.metric.key,
        "subject_type": "person",
        "subject_id": s(cast, side).supervisor.external_id,
        "period_start": "2026-07-01",
        "period_end": "2026-07-31",
        "value": "12.5",
        "source": "matrix",
    }


def _person_protected(cast, side):
    return [(s(cast, side).supervisor, ["user_id", "external_id"])]


def _baseline_protected(cast, side):
    return [(s(cast, side).baseline, ["value", "observation_count", "frozen_at", "version"])]


API_ROOT = "/api/v1"

API = [
    # --- pilots and their parts -------------------------------------------------------------
    Endpoint("api", "pilot", "list", "get", lambda c, x: f"{API_ROOT}/pilots/",
             marker=lambda c, x: s(c, x).pilot.name),
    Endpoint("api", "pilot", "read", "get", lambda c, x: f"{API_ROOT}/pilots/{s(c, x).pilot.pk}/",
             marker=lambda c, x: s(c, x).pilot.name),
    Endpoint("api", "pilot", "create", "post", lambda c, x: f"{API_ROOT}/pilots/",
             body=_new_pilot, invariant=_new_pilots_are_drafts, note="mass-assignment"),
    Endpoint("api", "pilot", "update", "patch",
             lambda c, x: f"{API_ROOT}/pilots/{s(c, x).pilot.pk}/",
             body=_pilot_mass_assignment, protected=_pilot_protected, note="mass-assignment"),
    Endpoint("api", "pilot", "lifecycle", "post",
             lambda c, x: f"{API_ROOT}/pilots/{s(c, x).pilot.pk}/review/",
             body=lambda c, x: {"reason": "matrix"}),
    Endpoint("api", "workgroup", "list", "get", lambda c, x: f"{API_ROOT}/workgroups/",
             marker=lambda c, x: s(c, x).workgroup.name),
    Endpoint("api", "cycle", "list", "get", lambda c, x: f"{API_ROOT}/cycles/",
             marker=lambda c, x: f'"id":{s(c, x).cycle.pk},'),
    Endpoint("api", "cycle", "read", "get", lambda c, x: f"{API_ROOT}/cycles/{s(c, x).cycle.pk}/",
             marker=lambda c, x: f'"id":{s(c, x).cycle.pk}'),
    Endpoint("api", "opportunity", "list", "get", lambda c, x: f"{API_ROOT}/opportunities/",
             marker=lambda c, x: s(c, x).opportunity.title),
    Endpoint("api", "opportunity", "read", "get",
             lambda c, x: f"{API_ROOT}/opportunities/{s(c, x).opportunity.pk}/",
             marker=lambda c, x: s(c, x).opportunity.title),
    # --- metrics ----------------------------------------------------------------------------
    Endpoint("api", "observation", "list", "get",
             lambda c, x: f"{API_ROOT}/observations/?source=matrix-{x}",
             marker=lambda c, x: f"matrix-{x}"),
    Endpoint("api", "observation", "create", "post", lambda c, x: f"{API_ROOT}/observations/bulk/",
             body=lambda c, x: {"rows": [_observation(c, x)]}, note="bulk"),
    Endpoint("api", "baseline", "list", "get",
             lambda c, x: f"{API_ROOT}/baselines/?person={s(c, x).supervisor.external_id}",
             marker=lambda c, x: '"value":"40'),
    Endpoint("api", "baseline", "update", "patch",
             lambda c, x: f"{API_ROOT}/baselines/{s(c, x).baseline.pk}/",
             body=lambda c, x: {"value": "1", "version": 9}, protected=_baseline_protected),
    Endpoint("api", "baseline", "lifecycle", "delete",
             lambda c, x: f"{API_ROOT}/baselines/{s(c, x).baseline.pk}/",
             protected=_baseline_protected, note="delete"),
    Endpoint("api", "protected_metrics", "read", "get",
             lambda c, x: f"{API_ROOT}/people/{s(c, x).supervisor.external_id}/protected-metrics/"
             "?period_start=2026-09-01&period_end=2026-11-30",
             marker=lambda c, x: c.metric.key),
    # --- HR data ----------------------------------------------------------------------------
    Endpoint("api", "person", "list", "get",
             lambda c, x: f"{API_ROOT}/people/?external_id={s(c, x).supervisor.external_id}",
             marker=lambda c, x: s(c, x).supervisor.external_id),
    Endpoint("api", "person", "read", "get",
             lambda c, x: f"{API_ROOT}/people/{s(c, x).supervisor.external_id}/",
             marker=lambda c, x: s(c, x).supervisor.external_id),
    Endpoint("api", "person", "create", "post", lambda c, x: f"{API_ROOT}/people/",
             body=lambda c, x: {"external_id": f"P-NEW-{x}", "full_name": "New", "id": 1,
                                "email": "new@example.com"}),
    Endpoint("api", "person", "update", "patch",
             lambda c, x: f"{API_ROOT}/people/{s(c, x).supervisor.external_id}/",
             body=lambda c, x: {"full_name": "Renamed", "user": 1, "id": 999_999},
             protected=_person_protected, note="mass-assignment"),
    Endpoint("api", "person", "lifecycle", "delete",
             lambda c, x: f"{API_ROOT}/people/{s(c, x).member.external_id}/", note="deactivate"),
    Endpoint("web", "person", "list", "get",
             lambda c, x: f"/people/?q={s(c, x).supervisor.external_id}",
             marker=lambda c, x: f'data-person="{s(c, x).supervisor.external_id}"'),
    Endpoint("web", "person", "read", "get",
             lambda c, x: f"/people/{s(c, x).supervisor.external_id}/",
             marker=lambda c, x: s(c, x).supervisor.email),
    Endpoint("web", "person", "lifecycle", "post",
             lambda c, x: f"/people/{s(c, x).member.external_id}/deactivate/",
             body=lambda c, x: {"reason": "matrix"}, note="deactivate"),
    Endpoint("web", "person", "update", "post",
             lambda c, x: f"/people/{s(c, x).member.external_id}/roles/",
             body=lambda c, x: {"role": "hr_admin", "change": "grant"}, note="grant-role"),
    Endpoint("api", "org_unit", "list", "get", lambda c, x: f"{API_ROOT}/org-units/",
             marker=lambda c, x: s(c, x).org_unit.external_id),
    Endpoint("api", "org_unit", "read", "get",
             lambda c, x: f"{API_ROOT}/org-units/{s(c, x).org_unit.external_id}/",
             marker=lambda c, x: s(c, x).org_unit.external_id),
    Endpoint("api", "org_unit", "create", "post", lambda c, x: f"{API_ROOT}/org-units/",
             body=lambda c, x: {"external_id": f"OU-NEW-{x}", "name": "New unit"}),
    Endpoint("api", "org_unit", "update", "patch",
             lambda c, x: f"{API_ROOT}/org-units/{s(c, x).org_unit.external_id}/",
             body=lambda c, x: {"name": "Renamed unit"}),
]  # fmt: skip

WEB = [
    # --- coaching ---------------------------------------------------------------------------
    Endpoint("web", "cycle", "list", "get", lambda c, x: "/coaching/",
             marker=lambda c, x: s(c, x).workgroup.name, note="my-groups"),
    Endpoint("web", "cycle", "list", "get",
             lambda c, x: f"/coaching/workgroups/{s(c, x).workgroup.pk}/timeline/",
             marker=lambda c, x: s(c, x).workgroup.name, note="timeline"),
    Endpoint("web", "cycle", "read", "get", lambda c, x: f"/coaching/cycles/{s(c, x).cycle.pk}/",
             marker=lambda c, x: s(c, x).workgroup.name),
    Endpoint("web", "cycle", "create", "post",
             lambda c, x: f"/coaching/workgroups/{s(c, x).workgroup.pk}/start/",
             body=lambda c, x: {}),
    Endpoint("web", "cycle", "lifecycle", "post",
             lambda c, x: f"/coaching/cycles/{s(c, x).cycle.pk}/data/",
             body=lambda c, x: {"data_sought": "matrix data", "context": ""}),
    Endpoint("web", "cycle", "lifecycle", "post",
             lambda c, x: f"/coaching/cycles/{s(c, x).cycle.pk}/abandon/",
             body=lambda c, x: {"reason": "matrix"}, note="abandon"),
    Endpoint("web", "opportunity", "create", "post",
             lambda c, x: f"/coaching/cycles/{s(c, x).cycle.pk}/opportunities/",
             body=lambda c, x: {"title": "Matrix opportunity", "estimated_value": "10"}),
    Endpoint("web", "opportunity", "lifecycle", "post",
             lambda c, x: f"/coaching/cycles/{s(c, x).cycle.pk}/opportunities/"
             f"{s(c, x).opportunity.pk}/drop/", body=lambda c, x: {"reason": "matrix"}),
    # --- API clients ------------------------------------------------------------------------
    Endpoint("web", "api_client", "list", "get", lambda c, x: "/integrations/",
             marker=lambda c, x: s(c, x).api_client.name),
    Endpoint("web", "api_client", "create", "post", lambda c, x: "/integrations/",
             body=lambda c, x: {"name": f"Matrix new {x}", "scopes": ["people:read"]}),
    Endpoint("web", "api_client", "lifecycle", "post",
             lambda c, x: f"/integrations/{s(c, x).api_client.pk}/revoke/", body=lambda c, x: {},
             note="revoke"),
]  # fmt: skip


def _leaders_page(principal: str, side: str):
    """The portfolio is for leaders: alice sees every pilot, bob only his own."""
    if principal == "alice" or (principal == "bob" and side == "A"):
        return Expect.ALLOW
    if principal in {"carol", "erin"} and side == "A":
        return Expect.OPEN  # their own pilot may or may not be shown to them
    return Expect.DENY


def _hr_only(principal: str, side: str):
    return Expect.ALLOW if principal == "hilda" else Expect.DENY


def _rebaseline(principal: str, side: str):
    # "A sponsor may re-baseline with a reason": only the sponsor, only their own pilot.
    if principal == "alice":
        return Expect.OPEN
    return Expect.ALLOW if (principal == "bob" and side == "A") else Expect.DENY


def _csv_upload(cast, side):
    header = "metric,subject_type,subject_id,period_start,period_end,value,source\n"
    who = s(cast, side).supervisor.external_id
    row = f"{cast.metric.key},person,{who},2026-07-01,2026-07-31,5,m\n"
    return {"file": SimpleUploadedFile("m.csv", (header + row).encode(), "text/csv")}


WEB += [
    # --- portfolio --------------------------------------------------------------------------
    Endpoint("web", "pilot", "list", "get", lambda c, x: "/portfolio/",
             marker=lambda c, x: s(c, x).pilot.name, rule=_leaders_page, note="portfolio"),
    Endpoint("web", "pilot", "read", "get", lambda c, x: f"/portfolio/pilots/{s(c, x).pilot.pk}/",
             marker=lambda c, x: s(c, x).pilot.name, rule=_leaders_page, note="charts"),
    Endpoint("web", "pilot", "read", "get",
             lambda c, x: f"/portfolio/pilots/{s(c, x).pilot.pk}/charts/value-vs-efficiency.csv",
             rule=_leaders_page, note="chart-csv"),
    # --- metrics ----------------------------------------------------------------------------
    Endpoint("web", "observation", "list", "get", lambda c, x: "/metrics/imports/",
             rule=_hr_only, note="imports"),
    Endpoint("web", "observation", "create", "post", lambda c, x: "/metrics/imports/",
             body=_csv_upload, rule=_hr_only, note="csv-import"),
    Endpoint("web", "baseline", "create", "post",
             lambda c, x: f"/metrics/pilots/{s(c, x).pilot.pk}/rebaseline/",
             body=lambda c, x: {"person": s(c, x).supervisor.pk, "metric": c.metric.pk,
                                "reason": "matrix"},
             protected=_baseline_protected, rule=_rebaseline, note="rebaseline"),
]  # fmt: skip


def _pilot_form(cast, side, **extra):
    return {
        "name": f"Pilot form {side}",
        "approach": "job_redesign",
        "vision": "v",
        "pain_point": "p",
        "demonstration_project": "d",
        "planned_start": "2027-01-04",
        "review_date": "2027-07-05",
        "patience_horizon_weeks": "26",
        "baseline_window_weeks": "12",
        "grace_period_days": "90",
        **extra,
    }


def _pilot_form_mass_assignment(cast, side):
    return _pilot_form(
        cast, side,
        sponsor=str(s(cast, other(side)).pilot.sponsor_id),
        status="scaled", started_at="2020-01-01 00:00", premature_stop="on", id="999999",
    )  # fmt: skip


def _workgroup_protected(cast, side):
    return [(s(cast, side).workgroup, ["pilot_id", "supervisor_id"])]


WEB += [
    # --- pilots -----------------------------------------------------------------------------
    Endpoint("web", "pilot", "list", "get", lambda c, x: "/pilots/",
             marker=lambda c, x: s(c, x).pilot.name),
    Endpoint("web", "pilot", "read", "get", lambda c, x: f"/pilots/{s(c, x).pilot.pk}/",
             marker=lambda c, x: s(c, x).pilot.name),
    Endpoint("web", "pilot", "create", "post", lambda c, x: "/pilots/new/",
             body=lambda c, x: _pilot_form(c, x, status="running", premature_stop="on"),
             invariant=_new_pilots_are_drafts, note="mass-assignment"),
    Endpoint("web", "pilot", "update", "post", lambda c, x: f"/pilots/{s(c, x).pilot.pk}/edit/",
             body=_pilot_form_mass_assignment, protected=_pilot_protected,
             note="mass-assignment"),
    Endpoint("web", "pilot", "lifecycle", "post",
             lambda c, x: f"/pilots/{s(c, x).pilot.pk}/move/review/",
             body=lambda c, x: {"reason": "matrix"}, protected=lambda c, x: [
                 (s(c, x).pilot, ["sponsor_id", "premature_stop"])], note="review"),
    Endpoint("web", "pilot", "lifecycle", "post",
             lambda c, x: f"/pilots/{s(c, x).pilot.pk}/decide/",
             body=lambda c, x: {"decision": "scale", "lessons_learned": "m"}, note="decide"),
    Endpoint("web", "workgroup", "create", "post",
             lambda c, x: f"/pilots/{s(c, x).pilot.pk}/workgroups/",
             body=lambda c, x: {"name": "Matrix group", "supervisor": s(c, x).member.pk,
                                "cadence_days": "14"}),
    Endpoint("web", "workgroup", "update", "post",
             lambda c, x: f"/pilots/workgroups/{s(c, x).workgroup.pk}/members/",
             body=lambda c, x: {"person": s(c, other(x)).member.pk, "workgroup": 1},
             protected=_workgroup_protected, note="member-add"),
    Endpoint("web", "workgroup", "update", "post",
             lambda c, x: f"/pilots/workgroups/{s(c, x).workgroup.pk}/ties/",
             body=lambda c, x: {"counterpart": "Finance", "frequency": "3", "strength": "2"},
             protected=_workgroup_protected, note="tie-add"),
    Endpoint("web", "charter", "read", "get",
             lambda c, x: f"/pilots/charters/{s(c, x).workgroup.pk}/",
             marker=lambda c, x: s(c, x).workgroup.name),
    Endpoint("web", "charter", "update", "post",
             lambda c, x: f"/pilots/charters/{s(c, x).workgroup.pk}/",
             body=lambda c, x: {"open_minded": "on", "risk_tolerant": "on",
                                "customer_commitment": "on"}, note="sign"),
    Endpoint("web", "charter", "lifecycle", "post",
             lambda c, x: f"/pilots/charters/{s(c, x).workgroup.pk}/assurance/",
             body=lambda c, x: {}, note="assurance"),
]  # fmt: skip

API += [
    Endpoint("api", "workgroup", "read", "get",
             lambda c, x: f"{API_ROOT}/workgroups/{s(c, x).workgroup.pk}/",
             marker=lambda c, x: s(c, x).workgroup.name),
    Endpoint("api", "workgroup", "create", "post", lambda c, x: f"{API_ROOT}/workgroups/",
             body=lambda c, x: {"pilot": s(c, x).pilot.pk, "name": "Matrix group",
                                "supervisor": s(c, x).member.external_id, "cadence_days": 14}),
    Endpoint("api", "pilot", "lifecycle", "post",
             lambda c, x: f"{API_ROOT}/pilots/{s(c, x).pilot.pk}/stop/",
             body=lambda c, x: {"reason": "matrix"}, note="stop"),
]  # fmt: skip


def _scim_only(principal: str, side: str):
    """SCIM answers only its own bearer tokens (scope "scim"); sessions never reach it."""
    return Expect.DENY


API += [
    # --- SCIM 2.0 (RFC 7644): Users are people, Groups are access groups -------------------
    Endpoint("api", "person", "list", "get",
             lambda c, x: f'/scim/v2/Users?filter=userName eq "{s(c, x).supervisor.external_id}"',
             marker=lambda c, x: s(c, x).supervisor.external_id, rule=_scim_only,
             scope="scim", note="scim"),
    Endpoint("api", "person", "read", "get", lambda c, x: f"/scim/v2/Users/{s(c, x).supervisor.pk}",
             marker=lambda c, x: s(c, x).supervisor.external_id, rule=_scim_only, scope="scim",
             note="scim"),
    Endpoint("api", "person", "create", "post", lambda c, x: "/scim/v2/Users",
             body=lambda c, x: {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                                "userName": f"new-{x}@example.com", "externalId": f"P-SCIM-{x}",
                                "name": {"formatted": "New Person"}, "active": True},
             rule=_scim_only, scope="scim", note="scim"),
    Endpoint("api", "org_unit", "list", "get", lambda c, x: "/scim/v2/Groups",
             rule=_scim_only, scope="scim", note="scim"),  # access groups: no org unit to show
]  # fmt: skip

ENDPOINTS = API + WEB


# --- separation of duties (issue 13): on each side's draft pilot ---------------------------


def _approver(principal: str, side: str):
    """Approval takes a portfolio leader other than the sponsor: alice, never bob (the
    organisation setting for self-approval is off, and alice leads the portfolio)."""
    return Expect.ALLOW if principal == "alice" else Expect.DENY


def _nobody(principal: str, side: str):
    """The sponsor is never a supervisor or member of their pilot's workgroups."""
    return Expect.DENY


def _draft_protected(cast, side):
    return [(s(cast, side).draft, ["status", "sponsor_id"])]


def _sponsor_of(cast, side):
    return s(cast, side).draft.sponsor


SEPARATION = [
    Endpoint("api", "pilot", "lifecycle", "post",
             lambda c, x: f"{API_ROOT}/pilots/{s(c, x).draft.pk}/approve/",
             body=lambda c, x: {"reason": "matrix"}, rule=_approver, note="approve"),
    Endpoint("web", "pilot", "lifecycle", "post",
             lambda c, x: f"/pilots/{s(c, x).draft.pk}/move/approve/",
             body=lambda c, x: {"reason": "matrix"}, rule=_approver, note="approve"),
    Endpoint("api", "workgroup", "create", "post", lambda c, x: f"{API_ROOT}/workgroups/",
             body=lambda c, x: {"pilot": s(c, x).draft.pk, "name": "Sponsor's own group",
                                "supervisor": _sponsor_of(c, x).external_id},
             protected=_draft_protected, rule=_nobody, note="sponsor-supervises"),
    Endpoint("web", "workgroup", "create", "post",
             lambda c, x: f"/pilots/{s(c, x).draft.pk}/workgroups/",
             body=lambda c, x: {"name": "Sponsor's own group",
                                "supervisor": _sponsor_of(c, x).pk, "cadence_days": "14"},
             protected=_draft_protected, rule=_nobody, note="sponsor-supervises"),
    Endpoint("web", "workgroup", "update", "post",
             lambda c, x: f"/pilots/workgroups/{s(c, x).draft_workgroup.pk}/members/",
             body=lambda c, x: {"person": _sponsor_of(c, x).pk},
             rule=_nobody, note="sponsor-joins"),
    Endpoint("web", "charter", "update", "post",
             lambda c, x: f"/pilots/charters/{s(c, x).draft_workgroup.pk}/",
             body=lambda c, x: {"open_minded": "on", "risk_tolerant": "on",
                                "customer_commitment": "on"}, note="sign-draft"),
    Endpoint("web", "charter", "lifecycle", "post",
             lambda c, x: f"/pilots/charters/{s(c, x).draft_workgroup.pk}/assurance/",
             body=lambda c, x: {}, note="assurance-draft"),
]  # fmt: skip

ENDPOINTS += SEPARATION
