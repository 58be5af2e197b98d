"""Words of the page header (``templates/jinja2/chrome/header.html``) that carry a name or a
number: ``makemessages`` finds a plural or a placeholder in Python code only. Registered as
globals of the Jinja2 templates by ``members.receivers``."""

from django.utils.translation import gettext

from config.jinja2 import kept_ngettext as ngettext


def account_menu_label(name: str) -> str:
    return gettext("Account menu of %(name)s") % {"name": name}


def unread_notifications_label(n: int) -> str:
    text = ngettext("%(counter)s unread notification", "%(counter)s unread notifications", n)
    return text % {"counter": n}


GLOBALS = {
    "account_menu_label": account_menu_label,
    "unread_notifications_label": unread_notifications_label,
}
