"""Goal pages: the goals tree, a goal's page (its path, sub-goals, contributors and the
pilots serving it with their value and efficiency), the goal form, contributes-to links,
and the goals a pilot serves. Views are thin: forms shape input, services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.forms import errors_onto
from core.health import figures_freshness
from goals import services
from goals.filters import GoalFilter
from goals.forms import ContributionForm, GoalForm, PilotGoalsForm
from goals.models import Goal, GoalContribution
from goals.permissions import can_create_goals, can_manage_goal, can_read_goals, can_set_pilot_goals
from goals.progress import progress_book
from pilots.models import Pilot
from portfolio.models import OrganisationSettings
from portfolio.selectors import pilot_totals


def _readers_only(user) -> None:
    if not can_read_goals(user):
        raise PermissionDenied("Goals are for people with a role in Redefine.")


def _visible_goal(request, pk) -> Goal:
    _readers_only(request.user)
    goals = Goal.objects.visible_to(request.user).with_tree_fields().for_list()
    return get_object_or_404(goals, pk=pk)


@login_required
def tree(request):
    _readers_only(request.user)
    goals = Goal.objects.visible_to(request.user).with_tree_fields().for_list()
    filters = GoalFilter(request.GET or None, queryset=goals)
    shown = list(filters.qs if filters.is_bound and filters.is_valid() else goals)
    book = progress_book()
    top = min((goal.tree_depth for goal in shown), default=0)
    rows = [{"goal": g, "progress": book[g.pk], "indent": g.tree_depth - top} for g in shown]
    context = {
        "rows": rows,
        "filters": filters,
        "filtered": any(request.GET.get(name) for name in filters.form.fields),
        "can_create": can_create_goals(request.user),
    }
    return render(request, "goals/tree.html", context)


def _pilots_serving(request, goal: Goal, settings) -> tuple[list[dict], int]:
    """The serving pilots the viewer may see, with their totals; and how many are hidden."""
    ids = [pilot.pk for pilot in goal.pilots.all()]
    pilots = list(Pilot.objects.visible_to(request.user).filter(pk__in=ids).order_by("name", "id"))
    totals = pilot_totals([p.pk for p in pilots], settings=settings)
    rows = [{"pilot": p, "totals": totals.get(p.pk)} for p in pilots]
    return rows, len(ids) - len(pilots)


@login_required
def detail(request, pk):
    goal = _visible_goal(request, pk)
    book = progress_book()
    children = list(
        Goal.objects.filter(parent=goal).select_related("owner", "org_unit").order_by("title", "id")
    )
    contributors = list(
        goal.contributions_in.select_related("from_goal__org_unit").order_by("from_goal__title")
    )
    settings = OrganisationSettings.load()
    serving, hidden = _pilots_serving(request, goal, settings)
    manager = can_manage_goal(request.user, goal)
    context = {
        "goal": goal,
        "progress": book[goal.pk],
        "ancestors": list(Goal.objects.ancestors(goal).select_related("org_unit")),
        "children": [{"goal": c, "progress": book[c.pk]} for c in children],
        "contributors": [{"link": c, "progress": book[c.from_goal_id]} for c in contributors],
        "contributes_to": list(goal.contributions.select_related("to_goal__org_unit")),
        "serving": serving,
        "hidden_pilots": hidden,
        "can_manage": manager,
        "contribution_form": ContributionForm(goal=goal, user=request.user) if manager else None,
        "currency": settings.currency,
        "figures": figures_freshness() if serving else None,
    }
    return render(request, "goals/detail.html", context)


@login_required
def create(request):
    _readers_only(request.user)
    if not can_create_goals(request.user):
        raise PermissionDenied(
            "Only heads of org units, HR admins and portfolio leaders set goals."
        )
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else None
    form = GoalForm(request.POST or None, user=request.user, initial=initial)
    return _save_goal(
        request, form, None, lambda data: services.goal_create(by=request.user, **data)
    )


@login_required
def edit(request, pk):
    goal = _visible_goal(request, pk)
    if not can_manage_goal(request.user, goal):
        raise PermissionDenied("You may not change this goal.")
    form = GoalForm(request.POST or None, instance=Goal.objects.get(pk=goal.pk), user=request.user)

    def write(data):
        return services.goal_update(goal=goal, by=request.user, data=data)

    return _save_goal(request, form, goal, write)


def _save_goal(request, form, goal, write):
    """The goal form page: on a valid POST `write(cleaned_data)` saves through the service and
    the page moves to the goal; a refusal comes back on the form (400), as does bad input."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = write(form.cleaned_data)
        except DomainError as error:
            errors_onto(form, error)
        else:
            messages.success(request, "Goal saved.")
            return redirect("goals:detail", pk=saved.pk)
    status = 400 if form.is_bound else 200
    return render(request, "goals/form.html", {"form": form, "goal": goal}, status=status)


@login_required
@require_POST
def delete(request, pk):
    goal = _visible_goal(request, pk)
    try:
        services.goal_delete(goal=goal, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("goals:detail", pk=goal.pk)
    messages.success(request, f"Goal “{goal.title}” deleted.")
    return redirect("goals:tree")


@login_required
@require_POST
def contribution_add(request, pk):
    goal = _visible_goal(request, pk)
    form = ContributionForm(request.POST, goal=goal, user=request.user)
    if not form.is_valid():
        problems = [e for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(problems))
        return redirect("goals:detail", pk=goal.pk)
    try:
        services.contribution_add(from_goal=goal, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Link saved.")
    return redirect("goals:detail", pk=goal.pk)


@login_required
@require_POST
def contribution_remove(request, pk, to_goal):
    goal = _visible_goal(request, pk)
    link = get_object_or_404(GoalContribution, from_goal=goal, to_goal_id=to_goal)
    try:
        services.contribution_remove(contribution=link, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Link removed.")
    return redirect("goals:detail", pk=goal.pk)


@login_required
def pilot_goals(request, pilot_id):
    pilot = get_object_or_404(Pilot.objects.visible_to(request.user), pk=pilot_id)
    if not can_set_pilot_goals(request.user, pilot):
        raise PermissionDenied("Only the pilot's sponsor names the goals it serves.")
    initial = {"goals": list(pilot.goals.values_list("pk", flat=True))}
    form = PilotGoalsForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.pilot_goals_set(pilot=pilot, goals=form.cleaned_data["goals"], by=request.user)
        messages.success(request, "The goals this pilot serves are saved.")
        return redirect("pilots:detail", pk=pilot.pk)
    return render(request, "goals/pilot_goals.html", {"form": form, "pilot": pilot})
