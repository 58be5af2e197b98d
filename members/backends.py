from allauth.account.auth_backends import AuthenticationBackend

from config.db import model_copy
from config.pagecache import local_members


class MemberAuthenticationBackend(AuthenticationBackend):
    """allauth's backend (login by username or e-mail) that also refuses suspended and banned
    members, so a sanction holds for every way of logging in, the admin included."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return not (getattr(user, "is_suspended", False) or getattr(user, "is_banned", False))

    def get_user(self, user_id):
        """The signed-in member of a request, from this process's snapshot while the site
        generation holds (any save of a member, a group or a sanction bumps it): one query
        less on every signed-in page. Each request gets its own copy."""
        member = local_members.get("member", user_id, lambda: self._load(user_id))
        return model_copy(member) if member is not None else None

    def _load(self, user_id):
        member = super().get_user(user_id)
        if member is not None:
            member.is_moderator  # noqa: B018 - worked out once, kept with the snapshot
        return member
