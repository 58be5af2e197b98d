"""The staff-edited list of blocked words."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from members.models import Member

from ..models import BlockedWord
from ..permissions import check_can_manage_blocked_words
from .audit import audit_log_write
from .screening import blocked_words_cache_clear


def blocked_word_add(*, actor: Member, word: str) -> BlockedWord:
    check_can_manage_blocked_words(actor)
    word = " ".join(word.split()).lower()
    if not word:
        raise ValidationError(_("Enter a word or phrase."))
    try:
        with transaction.atomic():
            obj = BlockedWord.objects.create(word=word, created_by=actor)
            audit_log_write(actor=actor, action="blocked_word_add", target=obj, reason=word)
            blocked_words_cache_clear()
    except IntegrityError:
        raise ValidationError(_("This word is already blocked.")) from None
    return obj


def blocked_word_remove(*, actor: Member, word: BlockedWord) -> None:
    check_can_manage_blocked_words(actor)
    with transaction.atomic():
        audit_log_write(actor=actor, action="blocked_word_remove", target=word, reason=word.word)
        word.delete()
        blocked_words_cache_clear()
