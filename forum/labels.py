"""Counted words of the Jinja2 templates (``templates/jinja2/forum``): a plural needs
``ngettext`` with its number, which ``makemessages`` finds in Python code only. Registered as
globals of those templates by ``forum.receivers``. The list rows' texts hold ``<strong>``
from the catalogue, as the Django templates' ``blocktranslate`` did."""

from django.utils.safestring import SafeString
from django.utils.translation import pgettext

from config.jinja2 import kept_ngettext as ngettext


def answers_heading(n: int) -> str:
    return ngettext("%(counter)s answer", "%(counter)s answers", n) % {"counter": n}


def views_count(n: int) -> str:
    return ngettext("%(counter)s view", "%(counter)s views", n) % {"counter": n}


def followers_count(n: int) -> str:
    return ngettext("%(counter)s follower", "%(counter)s followers", n) % {"counter": n}


def row_votes(n: int) -> SafeString:
    text = ngettext("<strong>%(counter)s</strong> vote", "<strong>%(counter)s</strong> votes", n)
    return SafeString(text % {"counter": int(n)})


def row_answers(n: int) -> SafeString:
    text = ngettext(
        "<strong>%(counter)s</strong> answer", "<strong>%(counter)s</strong> answers", n
    )
    return SafeString(text % {"counter": int(n)})


def row_unread(n: int) -> str:
    """A list row's unread marker: answers since the member read it, or a new question."""
    if not n:
        return pgettext("a question not read yet", "new")
    return ngettext("%(counter)s new", "%(counter)s new", n) % {"counter": n}


GLOBALS = {
    "answers_heading": answers_heading,
    "views_count": views_count,
    "followers_count": followers_count,
    "row_votes": row_votes,
    "row_answers": row_answers,
    "row_unread": row_unread,
}
