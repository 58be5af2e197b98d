"""Who the API takes you for."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from ..access import acting
from ..models import Scope
from ..permissions import request_token, scopes_allowed_for
from ..schemas import ErrorOut, MeOut

router = Router(tags=["me"])


@router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut, 403: ErrorOut},
    summary="The member and scopes your requests act with",
)
def me(request: HttpRequest) -> dict[str, Any]:
    member = acting(request, Scope.READ)
    token = request_token(request)
    return {
        "member": member,
        "token_name": token.name if token else None,
        "scopes": token.scopes if token else scopes_allowed_for(member),
    }
