"""Every operation's refusals in the schema: the one error shape (core/api/errors.py) as each
operation's `default` response, so a client generated from /api/schema/ knows what a 400, 401,
403, 404, 409, 429 or 503 carries, and a schema-conformance check accepts them as documented.
A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""

from __future__ import annotations

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "description": "A stable code, declared in an app's errors.py."},
                "message": {"type": "string", "description": "Translated for the reader."},
                # Field name → messages; a nested input's field holds its own object or list.
                "fields": {"type": "object", "additionalProperties": {}},
            },
        }
    },
}
DEFAULT_RESPONSE = {
    "description": "Refused: the one error shape (400 invalid input, 401, 403, 404 out of scope, 409, "
    "413, 429 with Retry-After, 503 with Retry-After).",
    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}},
}
METHODS = {"get", "put", "post", "patch", "delete", "head", "options"}


def document_errors(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in METHODS:
                operation.setdefault("responses", {}).setdefault("default", DEFAULT_RESPONSE)
    return result
