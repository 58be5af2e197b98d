"""Counted words of the idea board's Jinja2 rows (``templates/jinja2/ideas``): a plural needs
``ngettext`` with its number, which ``makemessages`` finds in Python code only (the same
messages as the Django templates' ``blocktranslate``). Registered by ``ideas.receivers``."""

from config.jinja2 import kept_ngettext as ngettext


def idea_votes_word(n: int) -> str:
    return ngettext("vote", "votes", n)


def idea_comments(n: int) -> str:
    return ngettext("%(n)s comment", "%(n)s comments", n) % {"n": n}


def idea_recent_votes(n: int) -> str:
    return ngettext("%(n)s vote this fortnight", "%(n)s votes this fortnight", n) % {"n": n}


GLOBALS = {
    "idea_votes_word": idea_votes_word,
    "idea_comments": idea_comments,
    "idea_recent_votes": idea_recent_votes,
}
