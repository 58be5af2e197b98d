"""The OpenAPI schema is generated from the code, validates, and names every endpoint; the
documentation page shows it without JavaScript."""

import re

import pytest
from django.urls import URLPattern, URLResolver
from openapi_spec_validator import validate

from api.v1 import api

pytestmark = pytest.mark.django_db


def _routes() -> set[tuple[str, str]]:
    """Every (method, path) the API's URL patterns answer, in OpenAPI's path syntax."""
    patterns, _app, _namespace = api.urls
    routes = set()
    for pattern in patterns:
        assert isinstance(pattern, URLPattern) and not isinstance(pattern, URLResolver)
        route = "/api/v1/" + str(pattern.pattern)
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        # Ninja's view for a path closes over the PathView that holds its operations.
        closure = getattr(pattern.callback, "__closure__", None) or ()
        cells = [cell.cell_contents for cell in closure]
        path_view = next((c for c in cells if hasattr(c, "operations")), None)
        if path_view is None:  # the schema's own view
            continue
        for operation in path_view.operations:
            for method in operation.methods:
                routes.add((method.lower(), route))
    return routes


def test_the_schema_validates(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate(response.json())


def test_every_endpoint_is_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    documented = {(method, path) for path, methods in schema["paths"].items() for method in methods}
    routes = _routes()
    assert len(routes) >= 25
    assert routes == documented


def test_every_operation_documents_its_errors_and_summary(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary"), (method, path)
            assert "401" in operation["responses"] or "403" in operation["responses"]


def test_the_docs_page_lists_every_path(client):
    page = client.get("/api/v1/docs/").content.decode()
    schema = client.get("/api/v1/openapi.json").json()
    for path in schema["paths"]:
        assert path in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in main  # readable without JavaScript
