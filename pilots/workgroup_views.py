"""The pilot page's workgroup forms: add a workgroup, a member, a tie or a competing
initiative, and remove them. Each posts here and returns to the pilot page; a form that fails
validation is shown again in its place with its messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotAllowed
from core.forms import errors_onto
from pilots import lifecycle, readiness, workgroups
from pilots.forms import InitiativeForm, MemberForm, TieForm, WorkgroupEditForm, WorkgroupForm
from pilots.models import CompetingInitiative, Tie, Workgroup
from pilots.views import render_page, visible_pilot


def _page(pilot_id: int, anchor: str = "") -> str:
    return reverse("pilots:detail", args=[pilot_id]) + anchor


def _visible_workgroup(request, workgroup_id) -> Workgroup:
    return get_object_or_404(
        Workgroup.objects.visible_to(request.user).select_related("pilot__sponsor"),
        pk=workgroup_id,
    )


def _submit(request, *, pilot_id, key, form, write, done: str, anchor: str = ""):
    """Validate, call the service, and either go back to the page or show the form again."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            errors_onto(form, error)
        else:
            messages.success(request, done)
            return redirect(_page(pilot_id, anchor))
    return render_page(request, pilot_id, bound={key: form}, status=400)


@login_required
@require_POST
def workgroup_add(request, pk):
    pilot = visible_pilot(request, pk)

    def write(data):
        group = workgroups.workgroup_create(pilot=pilot, by=request.user, **data)
        _warn_conflicts(request, group, [group.supervisor_id])

    return _submit(
        request,
        pilot_id=pilot.pk,
        key="workgroup",
        form=WorkgroupForm(request.POST),
        write=write,
        done="Workgroup added; its supervisor can now sign the charter.",
        anchor="#workgroups",
    )


@login_required
@require_POST
def workgroup_edit(request, workgroup_id):
    group = _visible_workgroup(request, workgroup_id)
    form = WorkgroupEditForm(
        request.POST,
        instance=Workgroup.objects.get(pk=group.pk),
        prefix=f"wg{group.pk}",
        supervisor_open=group.pilot.status in lifecycle.EDITABLE,
    )

    def write(data):
        workgroups.workgroup_update(workgroup=group, by=request.user, **data)
        _warn_conflicts(request, group, [group.supervisor_id])

    return _submit(
        request,
        pilot_id=group.pilot_id,
        key=("edit", group.pk),
        form=form,
        write=write,
        done=f"Workgroup {group.name} saved.",
        anchor=f"#workgroup-{group.pk}",
    )


@login_required
@require_POST
def workgroup_remove(request, workgroup_id):
    group = _visible_workgroup(request, workgroup_id)
    if not request.POST.get("confirm"):
        messages.error(request, f"Tick the box to confirm that {group.name} is removed.")
        return redirect(_page(group.pilot_id, f"#workgroup-{group.pk}"))
    try:
        workgroups.workgroup_remove(workgroup=group, by=request.user)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Workgroup {group.name} removed.")
    return redirect(_page(group.pilot_id, "#workgroups"))


def _warn_conflicts(request, group, person_ids) -> None:
    """Say at once what Start would refuse later: someone already in another running pilot."""
    for problem in readiness.seat_conflicts(person_ids, pilot=group.pilot):
        messages.warning(request, f"{problem} The pilot cannot start until this is resolved.")


@login_required
@require_POST
def member_add(request, workgroup_id):
    group = _visible_workgroup(request, workgroup_id)
    form = MemberForm(request.POST)
    if not form.is_valid():
        problems = [message for errors in form.errors.values() for message in errors]
        messages.error(request, " ".join(problems) or "Choose a person to add.")
        return redirect(_page(group.pilot_id, f"#workgroup-{group.pk}"))
    try:
        workgroups.workgroup_member_add(
            workgroup=group, by=request.user, person=form.cleaned_data["person"]
        )
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{form.cleaned_data['person'].full_name} joined {group.name}.")
        _warn_conflicts(request, group, [form.cleaned_data["person"].pk])
    return redirect(_page(group.pilot_id, f"#workgroup-{group.pk}"))


@login_required
@require_POST
def member_remove(request, workgroup_id, person_id):
    group = _visible_workgroup(request, workgroup_id)
    membership = get_object_or_404(group.memberships.select_related("person"), person_id=person_id)
    return _remove(
        request,
        group,
        lambda: workgroups.workgroup_member_remove(
            workgroup=group, by=request.user, person=membership.person
        ),
        f"{membership.person.full_name} left {group.name}.",
    )


@login_required
@require_POST
def tie_add(request, workgroup_id):
    group = _visible_workgroup(request, workgroup_id)
    return _submit(
        request,
        pilot_id=group.pilot_id,
        key=("tie", group.pk),
        form=TieForm(request.POST, prefix=f"tie{group.pk}"),
        write=lambda data: workgroups.tie_add(workgroup=group, by=request.user, **data),
        done="Tie recorded.",
        anchor=f"#workgroup-{group.pk}",
    )


@login_required
@require_POST
def tie_remove(request, tie_id):
    tie = get_object_or_404(Tie, pk=tie_id)
    group = _visible_workgroup(request, tie.workgroup_id)
    return _remove(
        request, group, lambda: workgroups.tie_remove(tie=tie, by=request.user), "Tie removed."
    )


@login_required
@require_POST
def initiative_add(request, workgroup_id):
    group = _visible_workgroup(request, workgroup_id)
    return _submit(
        request,
        pilot_id=group.pilot_id,
        key=("initiative", group.pk),
        form=InitiativeForm(request.POST, prefix=f"initiative{group.pk}"),
        write=lambda data: workgroups.competing_initiative_add(
            workgroup=group, by=request.user, **data
        ),
        done="Competing initiative recorded.",
        anchor=f"#workgroup-{group.pk}",
    )


@login_required
@require_POST
def initiative_remove(request, initiative_id):
    initiative = get_object_or_404(CompetingInitiative, pk=initiative_id)
    group = _visible_workgroup(request, initiative.workgroup_id)
    return _remove(
        request,
        group,
        lambda: workgroups.competing_initiative_remove(initiative=initiative, by=request.user),
        "Competing initiative removed.",
    )


def _remove(request, group, write, done: str):
    try:
        write()
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(_page(group.pilot_id, f"#workgroup-{group.pk}"))
