"""Letters staff write on the site and members receive: the placeholders of their texts and
how they are filled, and the default texts a new template starts from.

Placeholders are filled by a fixed substitution, never by a template engine: ``{name}`` is
replaced by the value the code put under ``name`` in a dict, and nothing else in the text is
read (no attribute access, indexing, filters or tags, unlike ``str.format`` or Django
templates). A text written on the site can therefore reach nothing but those few values.
The letters are plain text e-mails, so nothing is escaped either.
"""

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.translation import pick, stored

from .models import LetterTemplate, Member

PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")
# Anything in braces, for telling staff about a placeholder that will not be filled.
BRACED = re.compile(r"\{([^{}\n]{1,60})\}")

# name → what it is, shown next to the text box
OUTREACH_PLACEHOLDERS = {
    "name": gettext_lazy("the member's name"),
    "last_question": gettext_lazy("the title of their last question (empty if they asked none)"),
    "tags": gettext_lazy(
        "the tags they wrote about, comma-separated (“the topics you know” if none)"
    ),
    "manager": gettext_lazy("the name of who writes (you)"),
    "community": gettext_lazy("the community's name"),
}
WELCOME_PLACEHOLDERS = {
    "name": gettext_lazy("the newcomer's name"),
    "manager": gettext_lazy("the name of the manager who signs the letter"),
    "community": gettext_lazy("the community's name"),
}


def placeholders_for(purpose: str) -> dict:
    if purpose == LetterTemplate.Purpose.WELCOME:
        return WELCOME_PLACEHOLDERS
    return OUTREACH_PLACEHOLDERS


def placeholders_unknown(text: str, allowed: dict) -> list[str]:
    """The ``{…}`` names in ``text`` that will not be filled (a typo staff should see)."""
    return sorted({m for m in BRACED.findall(text) if m not in allowed})


def letter_fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each known ``{name}`` replaced by its value; anything else as written."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def letter_for(template: LetterTemplate, language: str, values: dict[str, str]) -> Letter:
    """The template in ``language`` (the English text where its translation is empty),
    filled with ``values``."""
    translations = {"ru": template.subject_ru}
    subject = pick(stored(template, "subject"), translations, language)
    body = pick(stored(template, "body"), {"ru": template.body_ru}, language)
    # a subject is one line, whatever a value holds
    return Letter(" ".join(letter_fill(subject, values).split())[:250], letter_fill(body, values))


def manager_name(signer: Member | None, community: str) -> str:
    if signer is not None:
        return signer.name
    return _("The %(community)s team") % {"community": community}


# --- the texts a new template starts from -----------------------------------------------


def _default_outreach() -> tuple[str, str]:
    subject = _("{name}, we miss you in {community}")
    body = _(
        "Hello {name},\n\n"
        "I noticed we have not seen you in {community} for a while, and I wanted to write "
        "to you myself.\n\n"
        "People are discussing {tags} right now, and your experience would help them.\n\n"
        "Did something keep you away, or is there something we could do better? Just reply "
        "to this e-mail: it comes straight to me, and I read every answer.\n\n"
        "{manager}"
    )
    return subject, body


def _default_welcome() -> tuple[str, str]:
    subject = _("Welcome to {community}, {name}")
    body = _(
        "Hello {name},\n\n"
        "Thank you for joining {community}!\n\n"
        "You have been with us for a day or two now, and we would love to know what you "
        "think: what brought you here, what do you think of the product so far, and what "
        "would you change first?\n\n"
        "Just reply to this e-mail: a person reads every answer.\n\n"
        "{manager}"
    )
    return subject, body


DEFAULTS = {
    LetterTemplate.Purpose.OUTREACH: _default_outreach,
    LetterTemplate.Purpose.WELCOME: _default_welcome,
}


def letter_template_default(purpose: str) -> LetterTemplate:
    """An unsaved template with the default texts in English and Russian."""
    build = DEFAULTS[LetterTemplate.Purpose(purpose)]
    name = str(LetterTemplate.Purpose(purpose).label)  # for staff, in their language
    with translation.override("en"):
        subject, body = build()
    with translation.override("ru"):
        subject_ru, body_ru = build()
    template = LetterTemplate(purpose=purpose, name=name, subject_ru=subject_ru, body_ru=body_ru)
    template.subject, template.body = subject, body
    return template
