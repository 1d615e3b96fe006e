"""The API's OpenAPI 3.0 document, served at /api/openapi.json and tested with schemathesis."""

from __future__ import annotations

from typing import Any

from portal.api.keys import SCOPES

OPEN311 = "/open311/v2"
NATIVE = "/api/v1"
ERRORS = {
    "400": "A parameter is missing or invalid; one entry per field",
    "401": "No API key, or one that is wrong or revoked",
    "403": "The key lacks the operation's scope",
    "404": "No such service or request that this key may see",
    "409": "The request's state does not allow it (already rated, not yet resolved)",
    "413": "The body is too big",
    "415": "The body is neither form-encoded nor JSON",
    "429": "Too many calls this minute; Retry-After says when to call again",
    "503": "The database is unavailable; try again",
}
NULLABLE_TEXT = {"type": "string", "nullable": True}
REQUEST_ID = {"name": "service_request_id", "in": "path", "required": True,
              "schema": {"type": "string", "maxLength": 40},
              "description": "The receipt number, e.g. LX-20261201-000123"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(summary: str, scope: str, ok: dict[str, Any], *, ok_status: str = "200",
               parameters: list[dict[str, Any]] | None = None,
               body: dict[str, Any] | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary, "description": f"Needs the scope `{scope}`.",
        "security": [{"apiKey": []}, {"apiKeyQuery": []}],
        "parameters": [{"name": "lang", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": ["zh", "en"]},
                        "description": "Language of names and messages (default zh)"},
                       *(parameters or [])],
        "responses": {ok_status: ok, **{code: _json({"type": "array", "items": _ref("Error")},
                                                    text) for code, text in ERRORS.items()}},
        "x-scope": scope,
    }
    if body:
        operation["requestBody"] = body
    return operation


def _query(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string", **schema}}


POST_FIELDS: dict[str, Any] = {
    "service_code": {"type": "string", "maxLength": 40},
    "first_name": {"type": "string", "maxLength": 30},
    "last_name": {"type": "string", "maxLength": 30},
    "phone": {"type": "string", "maxLength": 20},
    "email": {"type": "string", "maxLength": 120},
    "description": {"type": "string", "maxLength": 2000},
    "id_number": {"type": "string", "maxLength": 18},
    "unit_code": {"type": "string", "maxLength": 60},
    "token": {"type": "string", "maxLength": 200},
}
SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["code", "description"],
              "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}},
    "Service": {"type": "object", "required": ["service_code", "service_name", "metadata",
                                               "type"],
                "properties": {"service_code": {"type": "string"},
                               "service_name": {"type": "string"},
                               "description": {"type": "string"},
                               "metadata": {"type": "boolean"},
                               "type": {"type": "string", "enum": ["realtime", "batch",
                                                                   "blackbox"]},
                               "keywords": {"type": "string"}, "group": {"type": "string"}}},
    "ServiceDefinition": {
        "type": "object", "required": ["service_code", "attributes"],
        "properties": {"service_code": {"type": "string"}, "attributes": {"type": "array", "items": {
            "type": "object", "required": ["variable", "code", "datatype", "required", "order"],
            "properties": {
                "variable": {"type": "boolean"}, "code": {"type": "string"},
                "datatype": {"type": "string", "enum": sorted(
                    {"string", "number", "datetime", "text", "singlevaluelist",
                     "multivaluelist"})},
                "required": {"type": "boolean"}, "datatype_description": {"type": "string"},
                "order": {"type": "integer"}, "description": {"type": "string"},
                "values": {"type": "array", "items": {
                    "type": "object", "required": ["key", "name"],
                    "properties": {"key": {"type": "string"}, "name": {"type": "string"}}}}}}}}},
    "Created": {"type": "object", "required": ["service_request_id"],
                "properties": {"service_request_id": {"type": "string"},
                               "service_notice": {"type": "string"},
                               "account_id": NULLABLE_TEXT, "token": NULLABLE_TEXT}},
    "Request": {
        "type": "object",
        "required": ["service_request_id", "status", "service_code", "requested_datetime"],
        "properties": {
            "service_request_id": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "detailed_status": {"type": "string"}, "status_notes": {"type": "string"},
            "service_name": {"type": "string"}, "service_code": {"type": "string"},
            "agency_responsible": {"type": "string"},
            "requested_datetime": {"type": "string", "format": "date-time"},
            "updated_datetime": {"type": "string", "format": "date-time"},
            "expected_datetime": {"type": "string", "format": "date-time"},
            "outcome": {"type": "string"},
            "address": NULLABLE_TEXT, "lat": {"type": "number", "nullable": True},
            "long": {"type": "number", "nullable": True}, "media_url": NULLABLE_TEXT,
            "steps": {"type": "array", "items": {
                "type": "object", "required": ["at", "step", "unit"],
                "properties": {"at": {"type": "string", "format": "date-time"},
                               "step": {"type": "string"}, "unit": {"type": "string"}}}}}},
    "Events": {
        "type": "object", "required": ["service_request_id", "status", "events", "next"],
        "properties": {
            "service_request_id": {"type": "string"}, "status": {"type": "string"},
            "next": {"type": "integer"},
            "events": {"type": "array", "items": {
                "type": "object", "required": ["seq", "at", "kind"],
                "properties": {"seq": {"type": "integer"},
                               "at": {"type": "string", "format": "date-time"},
                               "kind": {"type": "string"}, "from_status": NULLABLE_TEXT,
                               "to_status": NULLABLE_TEXT, "unit_code": NULLABLE_TEXT}}}}},
    "Rated": {"type": "object", "required": ["service_request_id", "rating", "rectification"],
              "properties": {"service_request_id": {"type": "string"},
                             "rating": {"type": "integer"},
                             "rectification": {"type": "boolean"}}},
    "Handoffs": {
        "type": "object", "required": ["service_request_id", "handoffs"],
        "properties": {
            "service_request_id": {"type": "string"},
            "handoffs": {"type": "array", "items": {
                "type": "object", "required": ["id", "kind", "state", "requested_at"],
                "properties": {"id": {"type": "integer"},
                               "kind": {"type": "string", "enum": ["transfer", "joint"]},
                               "state": {"type": "string"},
                               "from_unit_code": {"type": "string"},
                               "to_unit_code": {"type": "string"},
                               "requested_at": {"type": "string", "format": "date-time"},
                               "answered_at": {"type": "string", "format": "date-time",
                                               "nullable": True},
                               "return_category": NULLABLE_TEXT}}}}},
}


def document() -> dict[str, Any]:
    post_body = {"type": "object", "required": ["service_code"],
                 "properties": {**POST_FIELDS, "attribute": {
                     "type": "object", "description": "The service's fields by code",
                     "additionalProperties": {"oneOf": [
                         {"type": "string", "maxLength": 200},
                         {"type": "array", "items": {"type": "string", "maxLength": 200}}]}}}}
    form_body = {"type": "object", "required": ["service_code"], "properties": POST_FIELDS}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Service Agent Portal API", "version": "1.0",
                 "description": "Open311 GeoReport v2 and the portal's own calls. Scopes: "
                                + ", ".join(SCOPES)},
        "paths": {
            f"{OPEN311}/services.json": {"get": _operation(
                "Active service types", "services.read",
                _json({"type": "array", "items": _ref("Service")}, "The services"))},
            f"{OPEN311}/services/{{service_code}}.json": {"get": _operation(
                "A service's fields as attributes", "services.read",
                _json(_ref("ServiceDefinition"), "The service's definition"),
                parameters=[{"name": "service_code", "in": "path", "required": True,
                             "schema": {"type": "string", "maxLength": 40}}])},
            f"{OPEN311}/requests.json": {
                "post": _operation(
                    "Take in a work order as a case", "requests.write",
                    _json({"type": "array", "items": _ref("Created")}, "The case taken in"),
                    ok_status="201", body={"required": True, "content": {
                        "application/x-www-form-urlencoded": {"schema": form_body},
                        "application/json": {"schema": post_body}}}),
                "get": _operation(
                    "Requests the key may see, newest first (at most 1000)", "requests.read",
                    _json({"type": "array", "items": _ref("Request")}, "The requests"),
                    parameters=[
                        _query("service_request_id", "Receipt numbers, comma-separated"),
                        _query("service_code", "Only this service"),
                        _query("start_date", "Received at or after (ISO 8601)",
                               format="date-time"),
                        _query("end_date", "Received at or before (ISO 8601)",
                               format="date-time"),
                        _query("status", "open or closed", enum=["open", "closed"])])},
            f"{OPEN311}/requests/{{service_request_id}}.json": {"get": _operation(
                "One request, with its public steps", "requests.read",
                _json({"type": "array", "items": _ref("Request")}, "The request"),
                parameters=[REQUEST_ID])},
            f"{NATIVE}/requests/{{service_request_id}}/events": {"get": _operation(
                "The case's events after a cursor", "events.read",
                _json(_ref("Events"), "Events, oldest first, and the next cursor"),
                parameters=[REQUEST_ID,
                            {"name": "after", "in": "query", "required": False,
                             "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}},
                            {"name": "limit", "in": "query", "required": False,
                             "schema": {"type": "integer", "minimum": 1, "maximum": 200}}])},
            f"{NATIVE}/requests/{{service_request_id}}/rating": {"post": _operation(
                "The citizen's rating from the province's platform", "ratings.write",
                _json(_ref("Rated"), "The rating, recorded"), parameters=[REQUEST_ID],
                body={"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["rating"],
                    "properties": {"rating": {"type": "integer", "minimum": 1, "maximum": 5},
                                   "comment": {"type": "string", "maxLength": 500}}}}}})},
            f"{NATIVE}/requests/{{service_request_id}}/handoffs": {"get": _operation(
                "The case's hand-offs and where they stand", "handoffs.read",
                _json(_ref("Handoffs"), "The hand-offs, oldest first"),
                parameters=[REQUEST_ID])},
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "apiKeyQuery": {"type": "apiKey", "in": "query", "name": "api_key"}},
        },
    }
