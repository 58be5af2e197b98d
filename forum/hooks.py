"""What the forum lets the apps above it add to its pages and hear of, without knowing them.

Higher apps append in their ``AppConfig.ready`` (see ``members.hooks`` for the same idea with
signals); the forum renders what was registered.

- ``register_question_page_extra(template_name)``: a Jinja2 template (``templates/jinja2/``)
  included in a question's head, after the follow button. Its context is the head's:
  ``question``, ``user``, ``request``, ``csrf_input``, ``is_staff``, ``is_moderator``,
  ``can_comment``. Members' question pages share one render (docs/caching.md): the extras are
  in a hole rendered for each member. Visitors' question pages are cached under the question's
  scope (``config.cache``): an extra showing other data touches that scope when it changes,
  and must not query per viewer.

The signals below are sent by the forum's services inside their transaction: a receiver that
writes rows writes them in it (they vanish with a rollback), and work for after the commit
goes through ``transaction.on_commit``. Receivers call services and hold no logic.
"""

from django.dispatch import Signal

QUESTION_PAGE_EXTRAS: list[str] = []


def register_question_page_extra(template_name: str) -> None:
    if template_name not in QUESTION_PAGE_EXTRAS:
        QUESTION_PAGE_EXTRAS.append(template_name)


# A question became visible (posted, or approved by a moderator). Argument: ``question``.
question_published = Signal()

# An answer became visible (posted, or approved). Argument: ``answer``.
answer_published = Signal()

# A comment on another app's post (not a question's or an answer's) was edited, so that app
# can tell the members the edit newly mentions. Argument: ``comment``.
comment_edited = Signal()

# An answer was accepted (not re-sent when it already was). Arguments: ``answer``, ``actor``.
answer_accepted = Signal()
