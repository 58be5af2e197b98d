"""Site content written in two languages (docs/translation.md).

A translated field keeps the English text in its own column and each other language of
``settings.LANGUAGES`` in a sibling ``<field>_<lang>`` column declared next to it
(``title`` and ``title_ru``). Reading ``obj.title`` gives the text in the active language,
or the English one when that translation is empty, so templates, ``__str__`` and form
choices show the reader's language without knowing about it. Everything that stores or
edits the row (``save``, ``bulk_create``, model forms, the admin, ``full_clean``,
serialization) sees the English column itself; ``stored(obj, "title")`` reads it in code.

Models with translated fields also inherit ``TranslatedModel`` (``refresh_from_db``).
``QuerySet.values()`` and ``values_list()`` return the columns as stored; ``bulk_update``
reads the attribute, so it must not be given a translated field while a non-English
language is active.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # the stubs' name for "a string or a lazy translation"
    from django_stubs_ext import StrOrPromise

DEFAULT_LANGUAGE = "en"


def content_language() -> str:
    """The active language's code without region (``ru`` for ``ru-ru``), ``en`` when none."""
    return (get_language() or DEFAULT_LANGUAGE).split("-")[0].lower()


def translation_languages() -> list[str]:
    """The languages that have ``_<lang>`` columns: every one of LANGUAGES but English."""
    return [code for code, _name in settings.LANGUAGES if code != DEFAULT_LANGUAGE]


def pick(default: str, translations: dict[str, str], language: str | None = None) -> str:
    """The text for ``language`` (default: the active one) from ``translations``, or
    ``default`` (English) when it is missing or blank."""
    text = translations.get(language or content_language(), "")
    return text if text and text.strip() else default


class TranslatedAttribute(DeferredAttribute):
    """A data descriptor: reading gives the active language (with the English fallback),
    writing sets the English column."""

    def stored(self, instance: models.Model) -> Any:
        return super().__get__(instance, type(instance))

    def __get__(self, instance: models.Model | None, cls: type | None = None) -> Any:
        if instance is None:
            return self
        value = self.stored(instance)
        language = content_language()
        if language == DEFAULT_LANGUAGE:
            return value
        name = f"{self.field.attname}_{language}"
        if not hasattr(type(instance), name):
            return value
        return pick(value, {language: getattr(instance, name)}, language)

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class TranslatedModel:
    """Mixed into every model with translated fields (before ``models.Model``).
    ``refresh_from_db``, which is also how a deferred field is loaded, copies attributes
    from a fresh instance; it reads them with no language active, so it copies the stored
    English text and not the reader's."""

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        with translation.override(None):
            super().refresh_from_db(*args, **kwargs)  # type: ignore[misc]


class _TranslatedMixin:
    """Saving, validating and editing use the stored English text, never the reader's."""

    descriptor_class: type[DeferredAttribute] = TranslatedAttribute
    attname: str

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return stored(model_instance, self.attname)

    def value_from_object(self, obj: models.Model) -> Any:
        return stored(obj, self.attname)

    def clean(self, value: Any, model_instance: models.Model | None) -> Any:
        if model_instance is not None:
            value = stored(model_instance, self.attname)
        return super().clean(value, model_instance)  # type: ignore[misc]


class TranslatedCharField(_TranslatedMixin, models.CharField):
    pass


class TranslatedTextField(_TranslatedMixin, models.TextField):
    pass


def stored(obj: models.Model, name: str) -> Any:
    """The English text of the translated field ``name`` of ``obj`` (any other attribute
    as it is)."""
    descriptor = getattr(type(obj), name)
    if isinstance(descriptor, TranslatedAttribute):
        return descriptor.stored(obj)
    return getattr(obj, name)


def russian_char(verbose_name: "StrOrPromise", max_length: int) -> models.CharField:
    """The ``<field>_ru`` column of a translated ``CharField``: optional, same length."""
    return models.CharField(verbose_name, max_length=max_length, blank=True, help_text=RUSSIAN_HELP)


def russian_text(verbose_name: "StrOrPromise") -> models.TextField:
    """The ``<field>_ru`` column of a translated ``TextField``: optional."""
    return models.TextField(verbose_name, blank=True, help_text=RUSSIAN_HELP)


RUSSIAN_HELP = _(
    "Shown to readers who use the site in Russian; when empty they see the English text."
)
