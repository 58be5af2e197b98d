from allauth.account.auth_backends import AuthenticationBackend

from .selectors import member_row


class MemberAuthenticationBackend(AuthenticationBackend):
    """allauth's backend (login by username or e-mail) that also refuses suspended and banned
    members, so a sanction holds for every way of logging in, the admin included. A signed-in
    member's row comes from the cache (``member_row``: no query at each request)."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return not (getattr(user, "is_suspended", False) or getattr(user, "is_banned", False))

    def get_user(self, user_id):
        member = member_row(user_id)
        return member if member is not None and self.user_can_authenticate(member) else None
