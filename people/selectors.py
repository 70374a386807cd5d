"""Reads of the people app that the pages and the API share: a person's history."""

from core.audit import Entry, Names, entries, newest_first, prepare
from people.models import Person


def person_history(person: Person) -> list[Entry]:
    """Every change of the person's record, newest first (two queries, plus one per kind of
    name shown: logins, API clients, org units, managers)."""
    names = Names()
    records = prepare(Person, person.history.all(), names)
    names.fetch()
    return newest_first(entries(Person, records, names, lambda record, _: record.full_name))
