"""Who may do what with metrics and baselines, and whose rows a person reads. The pages, the
API and the QuerySets' `visible_to` all ask here, so a page and an endpoint cannot disagree.

- HR admins and portfolio leaders read every person's observations and baselines.
- A pilot's sponsor reads every baseline of that pilot (they decide on re-baselining).
- Everybody else reads only their own.
Machine clients are judged by their scopes, in the API (`hrapi.permissions`), not here."""

from django.db.models import Q

from core.roles import is_hr_admin, sees_portfolio
from pilots.models import Pilot
from pilots.permissions import can_manage


def reads_everyones_metrics(user) -> bool:
    return is_hr_admin(user) or sees_portfolio(user)


def can_read_metrics_of(user, person) -> bool:
    """A person's observations and protected metrics: theirs, or the organisation's readers'."""
    if reads_everyones_metrics(user):
        return True
    return user.is_authenticated and person.user_id is not None and person.user_id == user.pk


def is_sponsor_login(user, pilot: Pilot) -> bool:
    """The sponsor in their own login (a superuser manages the pilot but is not its sponsor)."""
    return user.is_authenticated and pilot.sponsor.user_id == user.pk


def sees_every_baseline_of(user, pilot: Pilot) -> bool:
    """The sponsor, portfolio leaders and HR admins read every supervisor's baselines of a
    pilot; a supervisor only their own; other people who can see the pilot none."""
    return reads_everyones_metrics(user) or is_sponsor_login(user, pilot)


def readable_baselines(user) -> Q | None:
    """The baselines `user` reads, as a filter (None: all of them)."""
    if reads_everyones_metrics(user):
        return None
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(person__user=user) | Q(pilot__sponsor__user=user)


def readable_observations(user) -> Q | None:
    """The observations `user` reads, as a filter (None: all of them): their own only."""
    from metrics.models import SubjectType
    from people.models import Person

    if reads_everyones_metrics(user):
        return None
    if not user.is_authenticated:
        return Q(pk__in=[])
    mine = Person.objects.filter(user=user).values("pk")
    return Q(subject_type=SubjectType.PERSON, subject_id__in=mine)


def can_rebaseline(user, pilot: Pilot) -> bool:
    """ "A sponsor may re-baseline with a reason": whoever runs the pilot (its sponsor, or a
    superuser, as for every other decision about the pilot)."""
    return can_manage(user, pilot)
