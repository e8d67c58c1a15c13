"""Every API operation declares its answer: a JSON schema for JSON, a media type for a file or a
page, or 204 for none. A route added without a response model fails here."""

from __future__ import annotations

from typing import Any

from probation.app import create_app
from probation.config import Settings


def _described(response: dict[str, Any], components: dict[str, Any]) -> bool:
    content = response.get("content") or {}
    if not content:
        return False
    for media_type, body in content.items():
        schema = body.get("schema") or {}
        if "json" not in media_type:
            continue  # a file or a page: its media type is its description
        while "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[1]]
        if not (schema.get("properties") or schema.get("items") or schema.get("anyOf")):
            return False  # `{}` or a bare object says nothing about the answer
    return True


def test_every_operation_describes_its_successful_answer() -> None:
    app = create_app(Settings(database_url="sqlite://"))
    document = app.openapi()
    components = document.get("components", {}).get("schemas", {})
    undescribed = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answers = {code: r for code, r in operation["responses"].items() if code.startswith("2")}
            if "204" in answers:
                continue
            if not answers or not all(_described(r, components) for r in answers.values()):
                undescribed.append(f"{method.upper()} {path}")
    assert not undescribed, f"{len(undescribed)} operations without a declared answer: {undescribed}"
    app.state.engine.dispose()


def test_a_json_answer_schema_names_its_keys_and_refuses_others() -> None:
    app = create_app(Settings(database_url="sqlite://"))
    components = app.openapi()["components"]["schemas"]
    loose = [name for name, schema in components.items()
             if name.endswith("Answer") and schema.get("additionalProperties") is not False]
    assert not loose, f"answer models that allow undeclared keys: {loose}"
    app.state.engine.dispose()


def test_every_operation_describes_its_error_answers_as_problem_documents() -> None:
    """A refusal is RFC 9457 problem details (api/problems.py), not the framework's validation
    shape: every operation says so, and the problem schema names its fields."""
    app = create_app(Settings(database_url="sqlite://"))
    document = app.openapi()
    wrong = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            problem = responses.get("4XX", {}).get("content", {}).get("application/problem+json", {})
            fields = set(problem.get("schema", {}).get("properties", {}))
            if not {"type", "title", "status", "detail", "errors"} <= fields or "422" in responses:
                wrong.append(f"{method.upper()} {path}")
    assert not wrong, f"operations whose errors are not described as problems: {wrong}"
    assert "HTTPValidationError" not in document.get("components", {}).get("schemas", {})
    app.state.engine.dispose()
