"""Real responses checked against the OpenAPI schema front ends generate their clients from
(/api/schema/): the body must validate against the operation's documented response, $refs,
`nullable`, `required` and formats included (OpenAPI 3.0 read rules).

`nullable: true` beside an `allOf` (drf-spectacular's nullable nested object) is read as tools
generating clients and schemathesis read it: the value may be null; openapi-schema-validator
alone would apply the `allOf` to the null too."""

from __future__ import annotations

import functools
import json

from django.test import Client
from openapi_schema_validator import OAS30ReadValidator


def _nulls_allowed(node):
    if isinstance(node, list):
        return [_nulls_allowed(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nulls_allowed(value) for key, value in node.items()}
    if node.get("nullable") is True and "type" not in node:
        rest = {key: value for key, value in node.items() if key != "nullable"}
        return {"anyOf": [rest, {"enum": [None], "nullable": True}]}
    return node


@functools.cache
def api_schema() -> dict:
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200, response.content[:300]
    return _nulls_allowed(json.loads(response.content))


def conformance_errors(response, method: str, path_template: str) -> list[str]:
    """What in `response` the schema does not allow (an empty list: it conforms)."""
    schema = api_schema()
    operation = schema["paths"][path_template][method.lower()]
    documented = operation["responses"].get(str(response.status_code))
    if documented is None:
        return [f"status {response.status_code} is not documented (has {sorted(operation['responses'])})"]
    body_schema = documented.get("content", {}).get("application/json", {}).get("schema")
    if body_schema is None:
        return []
    validator = OAS30ReadValidator(
        {**body_schema, "components": schema["components"]}, format_checker=OAS30ReadValidator.FORMAT_CHECKER
    )
    body = json.loads(response.content)
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}" for e in validator.iter_errors(body)
    ]


def assert_conforms(response, method: str, path_template: str) -> None:
    errors = conformance_errors(response, method, path_template)
    assert not errors, (method, path_template, response.status_code, errors[:5])
