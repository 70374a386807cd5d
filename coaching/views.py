"""Web pages of coaching: My groups, the cycle page (a guided four-stage flow whose every
form posts back to it), and a workgroup's timeline for sponsors. Views are thin: forms shape
input, services decide, domain errors come back as form errors or messages."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coaching import services
from coaching.cadence import cadence_strip, days_since
from coaching.forms import (
    ActionForm,
    AdaptationForm,
    AddressForm,
    DataForm,
    OpportunityForm,
    ReasonForm,
    ReflectionForm,
)
from coaching.models import (
    Cycle,
    CycleAction,
    Opportunity,
    OpportunityStatus,
    Stage,
    workgroups_in_coaching_view,
)
from coaching.permissions import can_change_actions, can_coach
from coaching.selectors import (
    coached_groups,
    linkable_observations,
    overseen_groups,
    recent_reminders,
    with_cadence,
    workgroup_timeline,
)
from coaching.services import DONE_AT_FIELD, STAGE_ORDER
from core.errors import DomainError
from core.forms import errors_onto
from people.models import Person
from pilots.models import PilotStatus

# A portfolio leader oversees every running group: thousands in a large organisation. A
# supervisor's own groups are a handful and stay on one page.
OVERSEEN_PER_PAGE = 50

NEXT_STEP = {
    Stage.DATA: "Seek data",
    Stage.ACTION: "Log actions",
    Stage.REFLECTION: "Reflect",
    Stage.ADAPTATION: "Adapt",
}


def next_step(workgroup) -> dict:
    """The one thing the supervisor should do next for a group, as a label and a target."""
    cycle = workgroup.open_cycles[0] if workgroup.open_cycles else None
    if cycle is not None:
        label = NEXT_STEP[cycle.stage]
        if cycle.stage == Stage.ACTION and cycle.action_count:
            label = "Finish actions"
        url = reverse("coaching:cycle", args=[cycle.pk]) + f"#stage-{cycle.stage}"
        return {"label": f"{label} · cycle {cycle.number}", "url": url, "cycle": cycle}
    if workgroup.pilot.status == PilotStatus.RUNNING:
        url = reverse("coaching:cycle_start", args=[workgroup.pk])
        return {"label": "Start a cycle", "url": url, "post": True}
    charter = getattr(workgroup, "charter", None)
    if workgroup.pilot.status in (PilotStatus.DRAFT, PilotStatus.APPROVED) and not (
        charter and charter.signed_at
    ):
        url = reverse("pilots:charter", args=[workgroup.pk]) + "#sign"
        return {"label": "Sign your charter", "url": url}
    url = reverse("coaching:timeline", args=[workgroup.pk])
    return {"label": "See the timeline", "url": url, "idle": True}


@login_required
def mine(request):
    today = timezone.localdate()
    coached = list(coached_groups(request.user, today=today))
    for group in coached:
        group.next_step = next_step(group)
        group.days_since = days_since(group.cadence_from, today)
    # Groups that need something from the supervisor come first, overdue ones before all.
    coached.sort(key=lambda g: (not g.is_overdue, bool(g.next_step.get("idle"))))
    groups = overseen_groups(request.user, today=today)
    page = Paginator(groups, OVERSEEN_PER_PAGE).get_page(request.GET.get("page"))
    overseen = list(page.object_list)
    for group in overseen:
        group.days_since = days_since(group.cadence_from, today)
    context = {
        "coached": coached,
        "overseen": overseen,
        "page": page,
        "reminders": recent_reminders(request.user),
    }
    return render(request, "coaching/mine.html", context)


@login_required
@require_POST
def cycle_start(request, workgroup_id):
    workgroup = get_object_or_404(workgroups_in_coaching_view(request.user), pk=workgroup_id)
    try:
        cycle = services.cycle_start(workgroup=workgroup, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("coaching:mine")
    messages.success(request, f"Cycle {cycle.number} started.")
    return HttpResponseRedirect(reverse("coaching:cycle", args=[cycle.pk]) + "#stage-data")


def _visible_cycle(request, pk) -> Cycle:
    cycles = Cycle.objects.visible_to(request.user).select_related(
        "workgroup__pilot", "workgroup__supervisor", "previous"
    )
    return get_object_or_404(cycles, pk=pk)


def _stages(cycle: Cycle) -> list[dict]:
    position = STAGE_ORDER.index(cycle.stage) if cycle.stage in STAGE_ORDER else None
    stages = []
    for index, stage in enumerate(STAGE_ORDER[:-1]):
        done_at = getattr(cycle, DONE_AT_FIELD[stage])
        if done_at:
            state = "done"
        elif position == index:
            state = "current"
        else:
            state = "future"
        stages.append({"key": stage, "label": stage.label, "state": state, "done_at": done_at})
    return stages


def _forms(cycle: Cycle, people, observations) -> dict:
    """Unbound forms for the page, pre-filled with what was saved."""
    return {
        "data_form": DataForm(
            initial={
                "data_sought": cycle.data_sought,
                "context": cycle.context,
                "observation_ids": [o.pk for o in cycle.observations.all()],
            },
            observations=observations,
        ),
        "action_form": ActionForm(people=people),
        "reflection_form": ReflectionForm(
            initial={
                "learned": cycle.learned,
                "surprised": cycle.surprised,
                "confidence": cycle.confidence,
            }
        ),
        "adaptation_form": AdaptationForm(initial={"changes_next": cycle.changes_next}),
        "opportunity_form": OpportunityForm(),
        "address_form": AddressForm(),
        "reason_form": ReasonForm(),
        "drop_form": ReasonForm(),
    }


def _page_data(cycle: Cycle) -> tuple[list[Person], list]:
    workgroup = cycle.workgroup
    people = [workgroup.supervisor, *Person.objects.filter(memberships__workgroup=workgroup)]
    observations = list(
        linkable_observations(workgroup)
        .filter(is_current=True)
        .select_related("metric")
        .order_by("-period_end", "-id")[:20]
    )
    # Observations linked earlier stay ticked even when they are no longer among the latest.
    shown = {o.pk for o in observations}
    observations += [o for o in cycle.observations.select_related("metric") if o.pk not in shown]
    return people, observations


def _actions(cycle: Cycle, people, editing: tuple[int, ActionForm] | None) -> list:
    """The cycle's actions, each with its edit form (the refused one bound, as typed)."""
    actions = list(cycle.actions.select_related("owner"))
    for action in actions:
        if editing and editing[0] == action.pk:
            action.edit_form = editing[1]
        else:
            initial = {
                "description": action.description,
                "kind": action.kind,
                "owner": action.owner_id,
                "due_date": action.due_date,
            }
            action.edit_form = ActionForm(
                initial=initial, people=people, prefix=f"action-{action.pk}"
            )
    return actions


def _render_cycle(request, cycle: Cycle, status: int = 200, *, refused=None, editing=None, **bound):
    """The cycle page; `refused` is a form the page could not take, shown with its text and
    the reason wherever the form itself is no longer offered (a stale tab)."""
    people, observations = _page_data(cycle)
    workgroup = cycle.workgroup
    context = {
        "cycle": cycle,
        "workgroup": workgroup,
        "stages": _stages(cycle),
        "can_write": can_coach(request.user, workgroup),
        "can_change_actions": can_change_actions(request.user, cycle),
        "refused": refused,
        "is_latest": not workgroup.cycles.filter(number__gt=cycle.number).exists(),
        "actions": _actions(cycle, people, editing),
        "linked_observations": list(cycle.observations.select_related("metric")),
        "found_here": list(cycle.opportunities_found.select_related("addressed_in")),
        "open_elsewhere": list(
            workgroup.opportunities.filter(status=OpportunityStatus.FOUND)
            .exclude(found_in=cycle)
            .select_related("found_in")
        ),
        **_forms(cycle, people, observations),
        **bound,
    }
    response = render(request, "coaching/cycle.html", context, status=status)
    if request.htmx and status >= 400:
        # A refusal may mean the page was stale: show the whole cycle as it is now.
        response["HX-Retarget"] = response["HX-Reselect"] = "#cycle"
    return response


def _cycle_url(cycle: Cycle, anchor: str) -> str:
    return reverse("coaching:cycle", args=[cycle.pk]) + f"#{anchor}"


def _field_messages(error: DomainError) -> list[str]:
    return [message for messages_ in error.fields.values() for message in messages_]


# Where each form of the cycle page lives, so a refused one is shown in its own place.
FORM_PLACE = {
    "data_form": Stage.DATA,
    "action_form": Stage.ACTION,
    "edit_action_form": Stage.ACTION,
    "reflection_form": Stage.REFLECTION,
    "adaptation_form": Stage.ADAPTATION,
    "opportunity_form": "opportunities",
    "address_form": "opportunities",
    "drop_form": "opportunities",
    "reason_form": "top",
}


def _refused(form, form_name: str, error: DomainError | None) -> dict:
    """What the page says about a submission it did not take, with the text as typed."""
    typed = [
        (form[name].label, form.data.get(form.add_prefix(name), ""))
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
    ]
    reason = error.message if error else "Some answers need a correction."
    return {
        "place": FORM_PLACE[form_name],
        "form_name": form_name,
        "reason": " ".join([reason, *(_field_messages(error) if error else [])]),
        "typed": [(label, text) for label, text in typed if text.strip()],
    }


def _submit(request, cycle: Cycle, *, form, form_name: str, write: Callable, anchor: str):
    """Validate the form, call the service, redirect back to the anchor (htmx: answer the
    fresh page, whose part the form targets). On any refusal, show the same page with the
    form as typed and its errors (400, or the error's own status), plus the typed text and
    the reason where the form is no longer offered."""
    error = None
    if form.is_valid():
        try:
            message = write(form.cleaned_data)
        except DomainError as refusal:
            error = refusal
            errors_onto(form, error)
        else:
            messages.success(request, message)
            if request.htmx:
                return _render_cycle(request, _visible_cycle(request, cycle.pk))
            return HttpResponseRedirect(_cycle_url(cycle, anchor))
    fresh = _visible_cycle(request, cycle.pk)
    status = error.status if error else 400
    refused = _refused(form, form_name, error)
    if form_name == "edit_action_form":
        editing = (int(form.prefix.split("-")[1]), form)
        return _render_cycle(request, fresh, status, refused=refused, editing=editing)
    return _render_cycle(request, fresh, status, refused=refused, **{form_name: form})


def _stage_write(request, cycle: Cycle, stage: str, save: Callable) -> Callable:
    """Save a stage's form; with the "complete" button, also close the stage."""

    def write(data) -> str:
        save(cycle=cycle, by=request.user, **data)
        if "complete" in request.POST:
            services.cycle_complete_stage(cycle=cycle, by=request.user, stage=stage)
            if stage == Stage.ADAPTATION:
                return f"Cycle {cycle.number} completed: what changes next starts the next one."
            return f"{Stage(stage).label}: done."
        return "Saved."

    return write


@login_required
def cycle_page(request, pk):
    return _render_cycle(request, _visible_cycle(request, pk))


@login_required
@require_POST
def cycle_data(request, pk):
    cycle = _visible_cycle(request, pk)
    _, observations = _page_data(cycle)
    form = DataForm(request.POST, observations=observations)

    write = _stage_write(request, cycle, Stage.DATA, services.cycle_save_data)
    return _submit(request, cycle, form=form, form_name="data_form", write=write, anchor="stages")


@login_required
@require_POST
def cycle_action_add(request, pk):
    cycle = _visible_cycle(request, pk)
    people, _ = _page_data(cycle)
    form = ActionForm(request.POST, people=people)

    def write(data):
        services.cycle_add_action(cycle=cycle, by=request.user, **data)
        return "Action added."

    return _submit(
        request, cycle, form=form, form_name="action_form", write=write, anchor="stage-action"
    )


def _visible_action(request, cycle: Cycle, action_id: int) -> CycleAction:
    return get_object_or_404(cycle.actions.all(), pk=action_id)


@login_required
@require_POST
def cycle_action_edit(request, pk, action_id):
    cycle = _visible_cycle(request, pk)
    action = _visible_action(request, cycle, action_id)
    people, _ = _page_data(cycle)
    form = ActionForm(request.POST, people=people, prefix=f"action-{action.pk}")

    def write(data):
        services.cycle_update_action(action=action, by=request.user, **data)
        return "Action saved."

    return _submit(
        request, cycle, form=form, form_name="edit_action_form", write=write, anchor="stage-action"
    )


@login_required
@require_POST
def cycle_action_remove(request, pk, action_id):
    cycle = _visible_cycle(request, pk)
    action = _visible_action(request, cycle, action_id)
    try:
        services.cycle_remove_action(action=action, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return _render_cycle(request, _visible_cycle(request, pk), status=error.status)
    messages.success(request, f"Action removed: “{action.description[:80]}”.")
    if request.htmx:
        return _render_cycle(request, _visible_cycle(request, pk))
    return HttpResponseRedirect(_cycle_url(cycle, "stage-action"))


@login_required
@require_POST
def cycle_actions_done(request, pk):
    """Close the action stage (the other stages close with their own form's button)."""
    cycle = _visible_cycle(request, pk)
    try:
        services.cycle_complete_stage(cycle=cycle, by=request.user, stage=Stage.ACTION)
    except DomainError as error:
        messages.error(request, " ".join([error.message, *_field_messages(error)]))
        return _render_cycle(request, cycle, status=error.status)
    messages.success(request, "Actions done: time to reflect.")
    if request.htmx:
        return _render_cycle(request, _visible_cycle(request, pk))
    return HttpResponseRedirect(_cycle_url(cycle, "stages"))


@login_required
@require_POST
def cycle_reflection(request, pk):
    cycle = _visible_cycle(request, pk)
    write = _stage_write(request, cycle, Stage.REFLECTION, services.cycle_save_reflection)
    form = ReflectionForm(request.POST)
    return _submit(
        request, cycle, form=form, form_name="reflection_form", write=write, anchor="stages"
    )


@login_required
@require_POST
def cycle_adaptation(request, pk):
    cycle = _visible_cycle(request, pk)
    write = _stage_write(request, cycle, Stage.ADAPTATION, services.cycle_save_adaptation)
    form = AdaptationForm(request.POST)
    return _submit(
        request, cycle, form=form, form_name="adaptation_form", write=write, anchor="stages"
    )


@login_required
@require_POST
def cycle_abandon(request, pk):
    cycle = _visible_cycle(request, pk)

    def write(data):
        services.cycle_abandon(cycle=cycle, by=request.user, reason=data["reason"])
        return f"Cycle {cycle.number} abandoned."

    form = ReasonForm(request.POST)
    return _submit(request, cycle, form=form, form_name="reason_form", write=write, anchor="top")


@login_required
@require_POST
def opportunity_add(request, pk):
    cycle = _visible_cycle(request, pk)

    def write(data):
        services.opportunity_add(cycle=cycle, by=request.user, **data)
        return "Opportunity recorded."

    form = OpportunityForm(request.POST)
    return _submit(
        request,
        cycle,
        form=form,
        form_name="opportunity_form",
        write=write,
        anchor="opportunities",
    )


def _visible_opportunity(request, pk) -> Opportunity:
    return get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def opportunity_address(request, pk, cycle_pk):
    opportunity = _visible_opportunity(request, pk)
    cycle = _visible_cycle(request, cycle_pk)

    def write(data):
        services.opportunity_address(opportunity=opportunity, by=request.user, cycle=cycle, **data)
        return f"“{opportunity.title}” addressed."

    form = AddressForm(request.POST)
    return _submit(
        request, cycle, form=form, form_name="address_form", write=write, anchor="opportunities"
    )


@login_required
@require_POST
def opportunity_drop(request, pk, cycle_pk):
    opportunity = _visible_opportunity(request, pk)
    cycle = _visible_cycle(request, cycle_pk)

    def write(data):
        services.opportunity_drop(opportunity=opportunity, by=request.user, reason=data["reason"])
        return f"“{opportunity.title}” dropped."

    form = ReasonForm(request.POST)
    return _submit(
        request, cycle, form=form, form_name="drop_form", write=write, anchor="opportunities"
    )


@login_required
def timeline(request, workgroup_id):
    today = timezone.localdate()
    groups = with_cadence(
        workgroups_in_coaching_view(request.user).select_related("pilot", "supervisor"),
        today=today,
    )
    workgroup = get_object_or_404(groups, pk=workgroup_id)
    history = workgroup_timeline(workgroup)
    starts = [timezone.localdate(c.started_at) for c in history.cycles]
    origin = timezone.localdate(workgroup.pilot.started_at) if workgroup.pilot.started_at else None
    origin = min([d for d in [origin, *starts[:1]] if d] or [today])
    context = {
        "workgroup": workgroup,
        "history": history,
        "strip": cadence_strip(
            origin=origin, starts=starts, today=today, cadence_days=workgroup.cadence_days
        ),
        "origin": origin,
        "today": today,
        "days_since": days_since(workgroup.cadence_from, today),
    }
    return render(request, "coaching/timeline.html", context)
