"""Shared test factories (factory_boy): people, pilots and workgroups written straight to the
models, for tests that need the rows but not the pilots services' checks. Each test package's
conftest wraps them in the builders its tests name (`make_pilot`, `make_workgroup`, `pilot_of`,
`group`); tests of the pilot workflow itself build through the services instead."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from people.models import Person
from pilots.models import Approach, Pilot, PilotStatus, Workgroup, WorkgroupMember


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    external_id = factory.Sequence(lambda n: f"P-{n:05d}")
    full_name = factory.LazyAttribute(lambda o: o.external_id.title())
    email = factory.LazyAttribute(lambda o: f"{o.external_id.lower()}@example.com")


class PilotFactory(DjangoModelFactory):
    """A pilot in the given state; `review_after_weeks` sets the review date from the start."""

    class Meta:
        model = Pilot

    class Params:
        review_after_weeks = 26

    name = "Claims pilot"
    approach = Approach.WORK_REDEFINITION
    vision = "People find and fix what slows customers down."
    pain_point = "Claims wait weeks."
    demonstration_project = "Same-day claims triage."
    sponsor = factory.SubFactory(PersonFactory)
    planned_start = dt.date(2026, 12, 1)
    review_date = factory.LazyAttribute(
        lambda o: o.planned_start + dt.timedelta(weeks=o.review_after_weeks)
    )
    status = PilotStatus.DRAFT


class WorkgroupFactory(DjangoModelFactory):
    """A workgroup; `members=[person, …]` adds memberships in that order."""

    class Meta:
        model = Workgroup
        skip_postgeneration_save = True

    pilot = factory.SubFactory(PilotFactory)
    name = "Triage"
    supervisor = factory.SubFactory(PersonFactory)

    @factory.post_generation
    def members(workgroup, create, extracted, **kwargs):
        for person in extracted or ():
            WorkgroupMember.objects.create(workgroup=workgroup, person=person)


def make_workgroup(pilot, supervisor, *, name="Triage", members=(), cadence_days=14):
    """A workgroup of `pilot` coached by the user `supervisor`, with member users."""
    return WorkgroupFactory(
        pilot=pilot,
        name=name,
        supervisor=supervisor.person,
        cadence_days=cadence_days,
        members=[m.person for m in members],
    )
