"""Hypothesis throws hostile input at every POST form of the main pages, as the person who
may use it: no answer is ever a server error, and a refused input says why on the page.

Forms are discovered from the rendered pages (tests/security/forms_crawl.py), so new forms on
these pages are fuzzed without editing this file. Each example runs in a rolled-back savepoint.
"""

from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coaching.models import Cycle, Stage
from pilots.models import Workgroup
from tests.security.forms_crawl import Field, Form, forms_on

pytestmark = pytest.mark.django_db

EXAMPLES_PER_FORM = 25
FUZZED: Counter = Counter()

NASTY = [
    "", " ", "0", "-1", "1e309", "NaN", "-0", "99999999999999999999999999", "0.00000000001",
    "2026-02-30", "0000-00-00", "9999-12-31", "31/12/2026", "\x00", "a\x00b", "\u202e",
    "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "' OR 1=1 --", "../../etc/passwd",
    "😀" * 50, "x" * 6000, "%s%s%n", "None", "null", "[]", "{}", "9" * 400,
]  # fmt: skip
ERROR_SIGNS = ("errorlist", "msg-error", 'role="alert"', "error")
SKIP_ACTIONS = ("/accounts/logout/",)


def _value(field: Field):
    # Any text a browser can send: every character except lone surrogates (not UTF-8 at all).
    text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
    nasty = st.sampled_from(NASTY) | text
    if field.kind in {"select", "radio", "checkbox"} and field.choices:
        one = st.sampled_from(field.choices) | nasty
        return st.lists(one, max_size=4) if field.multiple else one
    if field.kind == "number":
        return st.integers(-(10**20), 10**20).map(str) | nasty
    if field.kind == "date":
        return st.dates().map(str) | nasty
    return nasty


CSV_HEADER = "metric,subject_type,subject_id,period_start,period_end,value,source"
CSV_CELL = st.sampled_from(NASTY[:-3] + ["tickets-closed", "person", "P-CAROL", "2026-07-01"])
CSV_TEXT = st.tuples(
    st.sampled_from([CSV_HEADER, "metric,value", "", "\ufeff" + CSV_HEADER]),
    st.lists(st.lists(CSV_CELL, min_size=0, max_size=8).map(",".join), max_size=5),
).map(lambda t: "\n".join([t[0], *t[1]]))
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"])
UPLOAD = st.one_of(
    st.binary(max_size=600),
    st.tuples(CSV_TEXT, ENCODINGS).map(lambda t: t[0].encode(t[1], errors="replace")),
).map(lambda data: SimpleUploadedFile("fuzz.csv", data, "text/csv"))


def _body(form: Form):
    # Like a browser: hidden and text fields are always sent (maybe empty); unticked boxes
    # and unselected choices are left out (None).
    fields = {}
    for name, f in form.fields.items():
        if f.kind == "hidden":
            fields[name] = st.just(f.choices[0] if f.choices else "")
        elif f.kind == "file":
            fields[name] = UPLOAD
        elif f.kind in {"select", "radio", "checkbox"}:
            fields[name] = st.none() | _value(f)
        elif f.kind != "submit":
            fields[name] = _value(f)
    return st.fixed_dictionaries(fields).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


class _Rollback(Exception):
    pass


def _post(client: Client, action: str, body: dict):
    try:
        with transaction.atomic():
            response = client.post(action, body)
            raise _Rollback(response)
    except _Rollback as done:
        return done.args[0]


def _fuzz(client: Client, form: Form) -> None:
    @settings(max_examples=EXAMPLES_PER_FORM, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck), database=None)  # fmt: skip
    @given(body=_body(form))
    def run(body):
        FUZZED[form.action] += 1
        response = _post(client, form.action, body)
        assert response.status_code < 500, f"{form.action} {body!r}: {response.status_code}"
        if response.status_code in (200, 400, 409, 422):
            text = response.content.decode(errors="replace")
            assert any(sign in text for sign in ERROR_SIGNS), (
                f"{form.action} refused {body!r} without saying why"
            )

    run()


def _stage_cycles(cast) -> list[Cycle]:
    """One open cycle of carol's in each stage, so every stage form is on some page."""
    side = cast.sides["A"]
    cycles = [side.cycle]
    for n, stage in enumerate([Stage.ACTION, Stage.REFLECTION, Stage.ADAPTATION], start=2):
        workgroup = Workgroup.objects.create(
            pilot=side.pilot, name=f"Fuzz group {n}", supervisor=side.supervisor
        )
        cycles.append(Cycle.objects.create(workgroup=workgroup, number=1, stage=stage))
    return cycles


def _pages(cast) -> list[tuple[str, str]]:
    side = cast.sides["A"]
    pages = [("carol", "/coaching/")]
    pages += [("carol", f"/coaching/cycles/{c.pk}/") for c in _stage_cycles(cast)]
    pages += [
        ("bob", f"/metrics/pilots/{side.pilot.pk}/rebaseline/"),
        ("bob", f"/pilots/{side.pilot.pk}/"),
        ("bob", f"/pilots/{side.pilot.pk}/edit/"),
        ("alice", "/pilots/new/"),
        ("alice", "/portfolio/settings/"),
        ("hilda", "/integrations/"),
        ("hilda", "/integrations/webhooks/"),
        ("hilda", "/metrics/imports/"),
        ("hilda", "/people/"),
        ("hilda", f"/people/{side.member.external_id}/"),
    ]
    return pages


def test_no_form_answers_hostile_input_with_a_server_error(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fuzzed_forms = 0
    for username, page in _pages(cast):
        client = Client()
        client.force_login(cast.users[username])
        response = client.get(page)
        if response.status_code != 200:
            continue  # the page is not built yet (or not for this role)
        for form in forms_on(response.content.decode(), page):
            if form.action.startswith(SKIP_ACTIONS):
                continue
            _fuzz(client, form)
            fuzzed_forms += 1
    assert fuzzed_forms >= 5, "the main forms were not found on their pages"
