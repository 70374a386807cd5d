"""Pilot pages: the list, the guided create/edit form, the pilot page with its lifecycle
actions, and the supervisor's charter. Views are thin: forms shape input, services decide,
domain errors come back as form errors or messages. Workgroup forms are in workgroup_views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotAllowed
from core.forms import errors_onto
from goals.permissions import can_set_pilot_goals
from goals.services import pilot_goals_set
from pilots import lifecycle, readiness, services, workgroups
from pilots.filters import PilotFilter
from pilots.forms import (
    CharterSignForm,
    DecisionForm,
    InitiativeForm,
    MemberForm,
    MoveForm,
    PilotForm,
    TieForm,
    WorkgroupEditForm,
    WorkgroupForm,
)
from pilots.models import Pilot, PilotStatus, Workgroup
from pilots.permissions import (
    can_choose_sponsor,
    can_create_pilot,
    can_manage,
    can_sign_charter,
)
from pilots.selectors import pilot_history
from pilots.selfcontainment import assess_pilot, assess_workgroup

# Sections other apps add to the pilot page (template names, rendered in order with the
# page's context). Add yours here rather than editing the page.
EXTRA_SECTIONS: list[str] = [
    "metrics/_pilot_baselines_section.html",
    "evidence/_pilot_section_include.html",
    "goals/_pilot_goals_section.html",
]

# Moves with their own form on the page: the decision at review.
DECIDED = {"scale", "adapt"}
# Moves the page asks to confirm, with what it says when the box was left empty.
CONFIRMED = {
    "stop": "Tick the box to confirm that the pilot stops for good.",
    "review": "Tick the box to confirm that the review begins.",
}

PILOTS_PER_PAGE = 50
HISTORY_PER_PAGE = 100


def visible_pilot(request, pk, queryset=None) -> Pilot:
    queryset = queryset if queryset is not None else Pilot.objects.all()
    return get_object_or_404(queryset.visible_to(request.user), pk=pk)


@login_required
def index(request):
    pilots = Pilot.objects.visible_to(request.user).for_list()
    filters = PilotFilter(request.GET or None, queryset=pilots, request=request)
    shown = filters.qs if filters.is_bound and filters.is_valid() else pilots
    # Newest first, as Pilot.Meta says: a query with counts (GROUP BY) ignores Meta.ordering,
    # and pages need a stable order.
    shown = shown.order_by("-created_at", "-id")
    page = Paginator(shown, PILOTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "pilots": page.object_list,
        "query": query.urlencode(),
        "filtered": any(query.get(name) for name in filters.form.fields),
        "can_create": can_create_pilot(request.user),
    }
    return render(request, "pilots/index.html", context)


def _set_goals(request, pilot: Pilot, chosen) -> None:
    """The goals the pilot serves, when the person saving the form is its sponsor (a
    portfolio leader setting up a pilot for another sponsor leaves that to the sponsor)."""
    if can_set_pilot_goals(request.user, pilot):
        pilot_goals_set(pilot=pilot, goals=chosen, by=request.user)
    elif chosen:
        messages.info(request, "The sponsor names the goals the pilot serves.")


@login_required
def create(request):
    if not can_create_pilot(request.user):
        raise PermissionDenied("Only leaders set up pilots.")
    choose = can_choose_sponsor(request.user)
    form = PilotForm(request.POST or None, choose_sponsor=choose, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen_goals = data.pop("goals", [])
        try:
            with transaction.atomic():
                pilot = services.pilot_create(by=request.user, **data)
                _set_goals(request, pilot, chosen_goals)
        except DomainError as error:
            errors_onto(form, error)
        else:
            messages.success(request, "Pilot created as a draft. Add its workgroups next.")
            return redirect("pilots:detail", pk=pilot.pk)
    return render(request, "pilots/form.html", {"form": form, "pilot": None})


@login_required
def edit(request, pk):
    pilot = visible_pilot(request, pk)
    if not can_manage(request.user, pilot):
        raise PermissionDenied("Only the pilot's sponsor may edit it.")
    if pilot.status not in lifecycle.EDITABLE:
        messages.info(
            request,
            f"A {pilot.get_status_display().lower()} pilot's plan is settled; its workgroups' "
            "names, cadence and members can still change on this page.",
        )
        return redirect("pilots:detail", pk=pilot.pk)
    form = PilotForm(
        request.POST or None, instance=Pilot.objects.get(pk=pilot.pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.pilot_update(pilot=pilot, by=request.user, data=form.cleaned_data)
                _set_goals(request, pilot, form.cleaned_data.get("goals", []))
        except DomainError as error:
            errors_onto(form, error)
        else:
            messages.success(request, "Pilot saved.")
            return redirect("pilots:detail", pk=pilot.pk)
    return render(request, "pilots/form.html", {"form": form, "pilot": pilot})


@login_required
def detail(request, pk):
    return render_page(request, pk)


def render_page(request, pk, *, bound: dict | None = None, status: int = 200):
    """The pilot page; `bound` carries a form that failed validation back to its place."""
    pilot = visible_pilot(request, pk, Pilot.objects.for_page())
    bound = bound or {}
    manager = can_manage(request.user, pilot)
    groups = list(pilot.workgroups.all())
    for group in groups:
        group.assessment = assess_workgroup(group)
        group.is_mine = can_sign_charter(request.user, group)
        group.tie_form = bound.get(("tie", group.pk)) or TieForm(prefix=f"tie{group.pk}")
        group.initiative_form = bound.get(("initiative", group.pk)) or InitiativeForm(
            prefix=f"initiative{group.pk}"
        )
        # No prefix: the member form posts `person` whatever the group; ids stay unique.
        group.member_form = MemberForm(auto_id=f"member-{group.pk}-%s")
        group.edit_form = bound.get(("edit", group.pk)) or WorkgroupEditForm(
            instance=group,
            prefix=f"wg{group.pk}",
            supervisor_open=pilot.status in lifecycle.EDITABLE,
        )
    moves = [m for m in lifecycle.available_moves(request.user, pilot) if m.name not in DECIDED]
    checklist = (
        readiness.start_checklist(pilot, groups) if pilot.status in lifecycle.EDITABLE else []
    )
    if readiness.blocking(checklist):
        moves = [m for m in moves if m.name != "start"]  # offered once the checklist allows it
    assessment = assess_pilot([g.assessment for g in groups])
    context = {
        "pilot": pilot,
        "workgroups": groups,
        "assessment": assessment,
        "checklist": checklist,
        "checklist_blocked": bool(readiness.blocking(checklist)),
        "needs_acknowledgement": assessment is not None
        and assessment.score < readiness.CONTAINMENT_ACK_BELOW,
        "horizon_ends": pilot.patience_horizon_ends,
        "can_manage": manager,
        "editable": pilot.status in lifecycle.EDITABLE,
        "members_open": manager and pilot.status in lifecycle.EDITABLE | {PilotStatus.RUNNING},
        "moves": moves,
        "move_form": bound.get("move") or MoveForm(),
        "decision_form": bound.get("decision") or DecisionForm(),
        "can_decide": manager and pilot.status == PilotStatus.REVIEWING,
        "before_horizon": services.before_horizon(pilot, timezone.now()),
        "workgroup_form": bound.get("workgroup") or WorkgroupForm(),
        "transitions": pilot.transitions.select_related("by__person").order_by("at", "id"),
        "decisions": pilot.decisions.select_related("decided_by__person").prefetch_related(
            "spread_to"
        ),
        "extra_sections": EXTRA_SECTIONS,
    }
    return render(request, "pilots/detail.html", context, status=status)


def _history(request, pilot):
    from metrics.selectors import pilot_baselines_for

    return pilot_history(pilot, baselines=pilot_baselines_for(pilot, user=request.user))


@login_required
def history(request, pk):
    """The pilot's whole history, for whoever may see the pilot (baseline figures as the
    baselines section shows them)."""
    pilot = visible_pilot(request, pk, Pilot.objects.select_related("sponsor"))
    page = Paginator(_history(request, pilot), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "pilots/history.html", {"pilot": pilot, "page": page})


@login_required
@require_POST
def move(request, pk, name):
    """Approve, start, begin review or stop, as the page's buttons ask."""
    pilot = visible_pilot(request, pk)
    form = MoveForm(request.POST)
    actions = {
        "approve": services.pilot_approve,
        "start": services.pilot_start,
        "review": services.pilot_review,
        "stop": services.pilot_stop,
    }
    if name not in actions or not form.is_valid():
        return render_page(request, pk, bound={"move": form}, status=400)
    if name in CONFIRMED and not form.cleaned_data["confirm"]:
        form.add_error("confirm", CONFIRMED[name])
        return render_page(request, pk, bound={"move": form}, status=400)
    arguments = {"reason": form.cleaned_data["reason"]}
    if name == "start":
        arguments["override_reason"] = form.cleaned_data["override_reason"]
    if name == "approve":
        arguments["acknowledge_low_containment"] = form.cleaned_data["acknowledge_low_containment"]
    try:
        actions[name](pilot=pilot, by=request.user, **arguments)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        errors_onto(form, error)
        messages.error(request, error.message)
        return render_page(request, pk, bound={"move": form}, status=error.status)
    messages.success(request, f"Pilot {pilot.get_status_display().lower()}.")
    return redirect("pilots:detail", pk=pk)


@login_required
@require_POST
def decide(request, pk):
    pilot = visible_pilot(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.pilot_decide(pilot=pilot, by=request.user, **form.cleaned_data)
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            errors_onto(form, error)
        else:
            messages.success(request, f"Decision recorded: the pilot is {pilot.status}.")
            return redirect("pilots:detail", pk=pk)
    return render_page(request, pk, bound={"decision": form}, status=400)


def _visible_workgroup(request, workgroup_id) -> Workgroup:
    return get_object_or_404(
        Workgroup.objects.visible_to(request.user).select_related(
            "pilot__sponsor", "supervisor", "charter"
        ),
        pk=workgroup_id,
    )


@login_required
def charter(request, workgroup_id):
    """The supervisor reads the expectations and signs; others see the charter's status."""
    workgroup = _visible_workgroup(request, workgroup_id)
    may_sign = can_sign_charter(request.user, workgroup)
    form = CharterSignForm(request.POST or None)
    if request.method == "POST":
        if not may_sign:
            raise PermissionDenied("Only the workgroup's supervisor may sign its charter.")
        if form.is_valid():
            try:
                workgroups.charter_sign(workgroup=workgroup, by=request.user, **form.cleaned_data)
            except DomainError as error:
                errors_onto(form, error)
            else:
                messages.success(request, "Charter signed. Thank you for coaching this group.")
                return redirect("pilots:charter", workgroup_id=workgroup.pk)
    context = {
        "workgroup": workgroup,
        "pilot": workgroup.pilot,
        "charter": workgroup.charter,
        "form": form,
        "may_sign": may_sign and workgroup.pilot.status in lifecycle.EDITABLE,
    }
    return render(request, "pilots/charter.html", context)


@login_required
@require_POST
def assurance(request, workgroup_id):
    workgroup = _visible_workgroup(request, workgroup_id)
    try:
        workgroups.charter_confirm_assurance(workgroup=workgroup, by=request.user)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Assurance confirmed for {workgroup.supervisor.full_name}.")
    return redirect("pilots:detail", pk=workgroup.pilot_id)
