"""Evidence pages: the comparison choice and the follow-up plan (posted from the pilot page),
the chart CSVs, the follow-up form reached by its one-time link (no login: the link is the
credential), and the HR admin's view of who was invited and how many answered."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotAllowed
from evidence import followups, services
from evidence.forms import AnswerForm, ComparisonForm, FollowUpPlanForm
from evidence.models import FollowUpInvitation, FollowUpWave
from evidence.permissions import can_see_invitations
from evidence.sections import comparison_context, followups_context
from evidence.selectors import wave_scores
from pilots.views import visible_pilot
from portfolio.exports import chart_export


def _refused(request, pk, error: DomainError):
    if isinstance(error, NotAllowed):
        raise PermissionDenied(error.message) from error
    messages.error(request, error.message)
    return redirect("pilots:detail", pk=pk)


@login_required
@require_POST
def comparison(request, pk):
    """Before the start: save the choice. After it: re-select, with a reason."""
    pilot = visible_pilot(request, pk)
    form = ComparisonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose workgroups from the list.")
        return redirect("pilots:detail", pk=pk)
    chosen = list(form.cleaned_data["workgroups"])
    try:
        if pilot.started_at is None:
            services.comparison_choose(pilot=pilot, workgroups=chosen, by=request.user)
            messages.success(request, "Comparison group saved; it freezes when the pilot starts.")
        else:
            frozen = services.comparison_reselect(
                pilot=pilot, workgroups=chosen, reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, f"Comparison group re-selected as version {frozen.version}.")
    except DomainError as error:
        return _refused(request, pk, error)
    return redirect(f"/pilots/{pk}/#evidence")


@login_required
@require_POST
def followup_plan(request, pk):
    pilot = visible_pilot(request, pk)
    form = FollowUpPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("offsets", ["Invalid plan."])))
        return redirect("pilots:detail", pk=pk)
    try:
        followups.followup_plan_update(
            pilot=pilot, offsets_weeks=form.cleaned_data["offsets"], by=request.user
        )
    except DomainError as error:
        return _refused(request, pk, error)
    messages.success(request, "Follow-up plan saved.")
    return redirect(f"/pilots/{pk}/#followups")


@login_required
def chart_csv(request, pk, key, fmt="csv"):
    pilot = visible_pilot(request, pk)
    built = {
        chart.key: chart
        for _, chart in comparison_context(pilot, request.user).get("event_charts", [])
    }
    score = followups_context(pilot, request.user).get("score_chart")
    if score is not None:
        built[score.key] = score
    if key not in built:
        raise Http404("No such chart.")
    return chart_export(built[key], f"pilot-{pilot.pk}-{key}", fmt)


def _no_trace(response):
    # The token is in the URL: never send it to another site as a Referer. Not "no-referrer":
    # browsers then send `Origin: null` with the form, and the CSRF check refuses it.
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
def answer(request, token):
    """The follow-up form. Opening it spends nothing (mail scanners open links); sending it
    spends the link and stores the answer."""
    try:
        invitation = followups.invitation_for(token)
    except followups.LinkRefused as refused:
        status = 404 if refused.code == "unknown_link" else 410
        return _no_trace(
            render(request, "evidence/answer_refused.html", {"error": refused}, status=status)
        )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            followups.followup_answer(token=token, **data)
        except DomainError as error:
            return _no_trace(
                render(request, "evidence/answer_refused.html", {"error": error}, status=410)
            )
        return _no_trace(
            render(request, "evidence/answer_thanks.html", {"pilot": invitation.wave.pilot})
        )
    context = {"form": form, "invitation": invitation, "pilot": invitation.wave.pilot}
    return _no_trace(
        render(request, "evidence/answer.html", context, status=400 if form.errors else 200)
    )


@login_required
def invitations(request):
    """HR admins: per wave sent, who was invited and the response rate (never who answered)."""
    if not can_see_invitations(request.user):
        raise PermissionDenied("Only HR admins see the follow-up invitations.")
    waves = list(
        FollowUpWave.objects.filter(sent_at__isnull=False)
        .select_related("pilot")
        .order_by("-sent_at", "id")[:50]
    )
    scores = wave_scores({w.pilot_id for w in waves})
    by_wave = {s.wave_id: s for found in scores.values() for s in found}
    invited = (
        FollowUpInvitation.objects.filter(wave__in=waves)
        .select_related("person")
        .order_by("person__full_name")
    )
    people: dict[int, list] = {}
    for invitation in invited:
        people.setdefault(invitation.wave_id, []).append(invitation)
    rows = [{"wave": w, "score": by_wave.get(w.pk), "invited": people.get(w.pk, [])} for w in waves]
    return render(request, "evidence/invitations.html", {"rows": rows})
