"""The documentation page's content, read from the OpenAPI schema the code generates (so the
page can never disagree with the API)."""

import json
from dataclasses import dataclass, field
from typing import Any

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter] = field(default_factory=list)
    body: str = ""
    responses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.method}-{self.path}".replace("/", "-").replace("{", "").replace("}", "")


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(json.dumps(v) for v in schema["enum"])
    return str(schema.get("type", "object"))


def operations_by_tag(schema: dict[str, Any]) -> dict[str, list[Operation]]:
    groups: dict[str, list[Operation]] = {}
    for path, methods in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            spec = methods.get(method)
            if spec is None:
                continue
            operation = Operation(
                method=method.upper(),
                path=path,
                summary=spec.get("summary", ""),
                description=spec.get("description", ""),
            )
            for param in spec.get("parameters", []):
                operation.parameters.append(
                    Parameter(
                        name=param["name"],
                        where=param["in"],
                        required=bool(param.get("required")),
                        type=_type(param.get("schema", {})),
                        description=param.get("description")
                        or param.get("schema", {}).get("description", ""),
                    )
                )
            content = spec.get("requestBody", {}).get("content", {})
            if content:
                operation.body = _type(next(iter(content.values())).get("schema", {}))
            for status, response in spec.get("responses", {}).items():
                content = response.get("content", {})
                body = _type(next(iter(content.values())).get("schema", {})) if content else ""
                operation.responses.append((status, body))
            for tag in spec.get("tags", ["api"]):
                groups.setdefault(tag, []).append(operation)
    return groups


def schema_models(schema: dict[str, Any]) -> list[tuple[str, list[Parameter]]]:
    """Every schema of the components, with its properties."""
    models = []
    for name, spec in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(spec.get("required", []))
        models.append(
            (
                name,
                [
                    Parameter(
                        name=prop,
                        where="",
                        required=prop in required,
                        type=_type(prop_spec),
                        description=prop_spec.get("description", ""),
                    )
                    for prop, prop_spec in spec.get("properties", {}).items()
                ],
            )
        )
    return models
