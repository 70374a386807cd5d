"""Bodies a hostile or buggy client sends: nested 10,000 deep, text the database cannot store,
numbers no column holds, the wrong shape or content type, too many bytes."""

import json

import pytest

from people.models import Person
from tests.hostile.conftest import observation

pytestmark = pytest.mark.django_db

DEEP = "[" * 10_000 + "]" * 10_000
WRITES = [
    ("POST", "/api/v1/people/"),
    ("POST", "/api/v1/people/bulk/"),
    ("PATCH", "/api/v1/people/E2/"),
    ("PUT", "/api/v1/people/E2/"),
    ("POST", "/api/v1/org-units/"),
    ("POST", "/api/v1/org-units/bulk/"),
    ("POST", "/api/v1/observations/bulk/"),
    ("POST", "/api/v1/metric-definitions/"),
    ("POST", "/api/v1/webhooks/"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_json_nested_ten_thousand_deep_is_a_400(hr, data, send, method, path):
    response = send(hr, method, path, DEEP)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_json_nested_past_the_limit_is_a_400_naming_it(hr, data, send):
    body = '{"rows": ' + "[" * 40 + "]" * 40 + "}"
    response = send(hr, "POST", "/api/v1/people/bulk/", body)
    assert response.status_code == 400
    assert "nests deeper than" in response.json()["message"]


@pytest.mark.parametrize("bad", ["\\ud800", "\\udfff", "a\\u0000b", "\\u0000"])
def test_a_single_write_refuses_nul_and_lone_surrogates_naming_the_field(hr, data, send, bad):
    raw = '{"external_id": "N1", "full_name": "' + bad + '"}'
    response = send(hr, "POST", "/api/v1/people/", raw)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["full_name"]
    assert not Person.objects.filter(external_id="N1").exists()


@pytest.mark.parametrize("bad", ["\\ud800", "\\u0000"])
def test_a_bulk_row_with_unstorable_text_is_reported_by_index_and_field(hr, data, send, bad):
    raw = (
        '{"rows": [{"external_id": "N1", "full_name": "ok"},'
        ' {"external_id": "N2", "full_name": "x' + bad + '"}]}'
    )
    response = send(hr, "POST", "/api/v1/people/bulk/", raw)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_rows"
    assert [(e["index"], e["field"]) for e in body["errors"]] == [(1, "full_name")]
    assert not Person.objects.filter(external_id__in=["N1", "N2"]).exists()


def test_unstorable_text_in_a_key_or_an_id_is_refused(hr, data, send):
    assert send(hr, "POST", "/api/v1/people/", '{"external_id": "E\\u0000"}').status_code == 400
    assert send(hr, "PATCH", "/api/v1/people/E2/", '{"\\ud800": 1}').status_code == 400
    bulk = json.dumps({"rows": [observation(subject_id="E\x002")]})
    assert send(hr, "POST", "/api/v1/observations/bulk/", bulk).status_code == 400


@pytest.mark.parametrize(
    "value",
    [
        '"1e999999999"',
        "1e999999999",
        '"-1e999999999"',
        '"NaN"',
        '"Infinity"',
        "NaN",
        "Infinity",
        '"123456789012345678901234567890"',
        "123456789012345678901234567890",
        '"0x10"',
        '""',
        "null",
        "true",
        "[]",
        "{}",
    ],
)
def test_observation_values_no_column_holds_are_row_errors(hr, data, send, value):
    row = json.dumps(observation()).replace('"3.5"', value)
    response = send(hr, "POST", "/api/v1/observations/bulk/", '{"rows": [' + row + "]}")
    assert response.status_code == 400
    assert response.json()["code"] in ("invalid_rows", "parse_error")


def test_a_value_too_small_for_four_places_is_stored_as_zero(hr, data, send):
    row = json.dumps(observation()).replace('"3.5"', '"1e-999999999"')
    response = send(hr, "POST", "/api/v1/observations/bulk/", '{"rows": [' + row + "]}")
    assert response.json()["created"] == 1


@pytest.mark.parametrize(
    "subject",
    [("workgroup", "99999999999999999999999"), ("pilot", "-5"), ("pilot", "1.5"), ("person", "")],
)
def test_observation_subjects_that_cannot_exist_are_row_errors(hr, data, send, subject):
    row = observation(subject_type=subject[0], subject_id=subject[1])
    response = send(hr, "POST", "/api/v1/observations/bulk/", json.dumps({"rows": [row]}))
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        "[1, 2]",
        '"text"',
        "42",
        "null",
        '{"rows": "x"}',
        '{"rows": [[1]]}',
        '{"rows": [null]}',
        '{"rows": {"external_id": "X"}}',
        '{"rows": [{"external_id": {"a": 1}}]}',
        '{"rows": [{"external_id": ["E1"]}]}',
        '{"rows": [{"external_id": 12345678901234567890123}]}',
        '{"rows": [{"external_id": "X", "full_name": ["a"]}]}',
        '{"rows": [{"external_id": "X", "active": "yes"}]}',
    ],
)
def test_arrays_where_objects_belong_and_the_like_are_400s(hr, data, send, body):
    for path in ("/api/v1/people/bulk/", "/api/v1/org-units/bulk/", "/api/v1/observations/bulk/"):
        assert send(hr, "POST", path, body).status_code == 400, path
    if not body.startswith("{"):
        for method, path in [("POST", "/api/v1/people/"), ("PATCH", "/api/v1/people/E2/")]:
            assert send(hr, method, path, body).status_code == 400


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", '{"external_id": "N1", "full_name": "x"}'),
        ("application/x-www-form-urlencoded", "external_id=N1&full_name=x"),
        ("multipart/form-data; boundary=xx", "--xx--"),
        ("application/xml", "<person/>"),
        ("", '{"external_id": "N1"}'),
        ("application/json; charset=latin-1", '{"external_id": "N1", "full_name": "x"}'),
    ],
)
def test_wrong_content_types_are_refused(hr, data, send, content_type, body):
    response = send(hr, "POST", "/api/v1/people/", body, content_type=content_type)
    assert response.status_code in (201, 400, 415)


def test_bytes_that_are_not_utf8_are_a_400(hr, data, send):
    response = send(hr, "POST", "/api/v1/people/", b'{"external_id": "\xff\xfe"}')
    assert response.status_code == 400


def test_truncated_and_garbage_json_are_400s(hr, data, send):
    for body in ('{"external_id": ', "{'a': 1}", "\x00", "{" * 5, '{"a": 1}}'):
        assert send(hr, "POST", "/api/v1/people/", body).status_code == 400


def test_a_body_over_the_limit_is_a_413(hr, data, send, settings):
    settings.API_MAX_BODY_BYTES = 1000
    rows = [{"external_id": f"N{i}", "full_name": "x" * 50} for i in range(30)]
    response = send(hr, "POST", "/api/v1/people/bulk/", json.dumps({"rows": rows}))
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"
    scim = send(hr, "POST", "/scim/v2/Users", json.dumps({"rows": rows}))
    assert scim.status_code == 413
    assert scim.json()["status"] == "413"


def test_unicode_from_every_script_round_trips(hr, data, send):
    name = "Zoë Ñúñez 王小明 محمد 😀 \u200f"
    raw = json.dumps({"external_id": "Ü-1", "full_name": name})
    assert send(hr, "POST", "/api/v1/people/", raw).status_code == 201
    assert send(hr, "GET", "/api/v1/people/%C3%9C-1/").json()["full_name"] == name


def test_overlong_strings_are_field_errors(hr, data, send):
    raw = json.dumps({"external_id": "x" * 65, "full_name": "y" * 201})
    response = send(hr, "POST", "/api/v1/people/", raw)
    assert response.status_code == 400
    assert {"external_id", "full_name"} <= set(response.json()["fields"])
