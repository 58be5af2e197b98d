"""Home page sections contributed by apps: callables ``(request) -> dict`` with ``template``
and its context, appended in ``AppConfig.ready``. Each must run a constant number of queries.

The sections are rendered once per *kind* of viewer (``home_viewer_kind``) and shared by
every viewer of that kind, so a section may depend on nothing else about the viewer: list
published content, with private categories by the kind's rights (no viewer's own held
posts, votes or name)."""

HOME_SECTIONS: list = []


def home_viewer_kind(user) -> tuple:
    """What the sections may depend on: signed in, moderator, staff, the program badge
    (ambassadors see the ambassador-only categories)."""
    if not user.is_authenticated:
        return ("visitor",)
    return ("member", bool(user.is_moderator), bool(user.is_staff), user.badge or "")


def home_sections(request) -> list[dict]:
    return [section(request) for section in HOME_SECTIONS]
