import json

import pytest
from django.test import Client

from api.services import token_create
from tests.factories import MemberFactory
from tests.forum.factories import CategoryFactory

API = "/api/v1"


class ApiClient:
    """Requests to the API as a token's holder (or nobody), JSON in and out."""

    def __init__(self, secret: str | None = None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, params: dict | None = None, **headers: str):
        return self.client.get(API + path, params or {}, headers={**self.headers, **headers})

    def _send(self, method: str, path: str, data: dict | None, headers: dict) -> object:
        return getattr(self.client, method)(
            API + path,
            json.dumps(data or {}),
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def post(self, path: str, data: dict | None = None, **headers: str):
        return self._send("post", path, data, headers)

    def delete(self, path: str, data: dict | None = None, **headers: str):
        return self._send("delete", path, data, headers)


def api_as(member=None, scopes=("read", "write")) -> ApiClient:
    """An API client with a new token of ``member`` (a visitor's without one)."""
    if member is None:
        return ApiClient()
    _token, secret = token_create(actor=member, name="test", scopes=list(scopes))
    return ApiClient(secret)


@pytest.fixture
def category(db):
    return CategoryFactory(name="Billing", slug="billing")


@pytest.fixture
def private_category(db):
    return CategoryFactory(name="Ambassador lounge", slug="lounge", ambassadors_only=True)


@pytest.fixture
def ambassador(db):
    return MemberFactory(badge="ambassador")
