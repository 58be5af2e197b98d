from allauth.account.auth_backends import AuthenticationBackend


class MemberAuthenticationBackend(AuthenticationBackend):
    """allauth's backend (login by username or e-mail) that also refuses suspended and banned
    members, so a sanction holds for every way of logging in, the admin included."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return not (getattr(user, "is_suspended", False) or getattr(user, "is_banned", False))
