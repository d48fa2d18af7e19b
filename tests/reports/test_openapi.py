"""The OpenAPI description at /api/v1/schema/: valid JSON, both paths with their
parameters, and every field of real answers (success and errors) described."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from reports.openapi import EXAMPLE

pytestmark = pytest.mark.django_db


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), ref
        node = root
        for part in ref[2:].split("/"):
            node = node[part]
        schema = node
    return schema


_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "boolean": bool,
    "null": type(None),
}


def validate(value, schema: dict, root: dict, where: str = "$") -> None:
    """A small JSON Schema check (the keywords the description uses): type, enum,
    pattern, format date, minimum, required, properties, additionalProperties,
    propertyNames, items, $ref. Every key of an object must be described."""
    schema = _resolve(schema, root)
    types = schema.get("type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        ok = any(
            isinstance(value, _TYPES[t]) and not (t == "integer" and isinstance(value, bool))
            for t in types
        )
        assert ok, f"{where}: {value!r} is not {types}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if isinstance(value, str):
        if "pattern" in schema:
            assert re.search(schema["pattern"], value), f"{where}: {value!r}"
        if schema.get("format") == "date":
            datetime.date.fromisoformat(value)
    if isinstance(value, int) and "minimum" in schema:
        assert value >= schema["minimum"], where
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}: missing {key}"
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if "propertyNames" in schema:
                validate(key, schema["propertyNames"], root, f"{where} key {key}")
            if key in properties:
                validate(item, properties[key], root, f"{where}.{key}")
            else:
                assert extra is not False, f"{where}.{key} is not described"
                assert isinstance(extra, dict), f"{where}.{key} is not described"
                validate(item, extra, root, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            validate(item, schema["items"], root, f"{where}[{i}]")


@pytest.fixture
def schema(client):
    response = client.get(reverse("reports:api_schema"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_schema_is_openapi_31_with_both_paths(schema):
    """OpenAPI 3.1, the two paths of CONTRACTS section 3, each a GET with its
    parameters (code in the path; edition and date in the query) and its answers."""
    assert schema["openapi"].startswith("3.1")
    assert set(schema["paths"]) == {"/api/v1/stats/", "/api/v1/stats/{code}/"}
    params = schema["components"]["parameters"]
    for path, names, statuses in (
        ("/api/v1/stats/", ["edition", "date"], {"200", "400"}),
        ("/api/v1/stats/{code}/", ["code", "edition", "date"], {"200", "400", "404"}),
    ):
        operation = schema["paths"][path]["get"]
        got = [_resolve(p, schema)["name"] for p in operation["parameters"]]
        assert got == names
        assert set(operation["responses"]) == statuses
    assert params["code"]["in"] == "path" and params["code"]["required"] is True
    assert params["date"]["schema"]["format"] == "date"
    assert _resolve(params["edition"]["schema"], schema)["enum"] == ["2025", "legacy"]
    # The example of the description is itself a valid answer, and the check would
    # catch a field the description does not have.
    validate(EXAMPLE, {"$ref": "#/components/schemas/Stats"}, schema)
    with pytest.raises(AssertionError, match="not described"):
        validate({**EXAMPLE, "men": 3}, {"$ref": "#/components/schemas/Stats"}, schema)
    child = {**EXAMPLE["children"][0], "people": 1}
    with pytest.raises(AssertionError, match="not described"):
        validate({**EXAMPLE, "children": [child]}, {"$ref": "#/components/schemas/Stats"}, schema)


@pytest.mark.parametrize("level", ["country", "province", "district", "commune"])
def test_every_field_of_a_real_answer_is_described(client, schema, rated, level):
    """A real answer at each level (with ratings and children) validates against the
    description, which allows no field it does not describe."""
    from tests.reports.test_pages import api_url, places

    place = {"country": 0, "province": 1, "district": 4, "commune": 7}[level]
    place = places()[place]
    answer = client.get(api_url(place), {"edition": "legacy"}).json()
    assert answer["area"]["level"] == level
    assert answer["ratings"] and answer["children"]
    stats = schema["components"]["schemas"]["Stats"]
    assert set(stats["properties"]) == set(answer)
    validate(answer, {"$ref": "#/components/schemas/Stats"}, schema)


def test_error_answers_are_described(client, schema):
    """404 (unknown code) and 400 (bad date, bad edition) bodies match the Error
    schema of the description."""
    error = {"$ref": "#/components/schemas/Error"}
    for url, params, status in (
        (reverse("reports:stats_api_area", args=["99999"]), {}, 404),
        (reverse("reports:stats_api"), {"date": "21/11/2026"}, 400),
        (reverse("reports:stats_api"), {"edition": "x"}, 400),
    ):
        response = client.get(url, params)
        assert response.status_code == status
        body = response.json()
        validate(body, error, schema)
        assert body["status"] == status
