from datetime import timedelta
from typing import Any, cast

from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .letters import placeholders_for, placeholders_unknown
from .models import CommunitySettings, LetterTemplate, Member, SummaryFrequency
from .notifications import EMAIL_GROUPS, KINDS
from .selectors import community_settings_get
from .services_club import INVITATION_SESSION_KEY
from .services_signup import member_after_signup
from .watching import WatchLevel


class SignupExtraForm(forms.Form):
    """Fields added to allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("How your name is shown. Your username is used when empty."),
    )
    accept_rules = forms.BooleanField(
        label=_("I have read and accept the community rules"),
        required=True,
        error_messages={"required": _("Please accept the community rules to join.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In a private community the sign-up is an application: staff's questions are asked
        # (not of someone who came through a staff invitation, who joins at once).
        self.questions: list[str] = []
        community = community_settings_get()
        request = getattr(allauth_context, "request", None)
        invited = bool(request is not None and request.session.get(INVITATION_SESSION_KEY))
        if community.private and not invited:
            self.questions = community.questions()
        for number, question in enumerate(self.questions):
            self.fields[f"answer_{number}"] = forms.CharField(
                label=question, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
            )

    def answers(self) -> list[dict[str, str]]:
        return [
            {"question": question, "answer": self.cleaned_data.get(f"answer_{number}", "")}
            for number, question in enumerate(self.questions)
        ]

    def signup(self, request: HttpRequest, user: Member) -> None:
        member_after_signup(
            request=request,
            member=user,
            display_name=self.cleaned_data.get("display_name", ""),
            answers=self.answers(),
        )


class CommunitySettingsForm(forms.ModelForm):
    """The staff settings page: private mode, the application questions and the thresholds of
    the privileges members earn (docs/privileges.md)."""

    class Meta:
        model = CommunitySettings
        fields = [
            "community_name",
            "tagline",
            "private",
            "application_questions",
            "application_questions_ru",
            "privilege_retag_level",
            "privilege_suggest_edit_level",
            "privilege_edit_level",
            "privilege_close_level",
            "close_votes_needed",
            "flag_weight_new",
            "flag_weight_basic",
            "flag_weight_regular",
            "flag_weight_leader",
        ]
        widgets = {
            "application_questions": forms.Textarea(attrs={"rows": 4}),
            "application_questions_ru": forms.Textarea(attrs={"rows": 4}),
        }

    # Left out of a post (an older form, a script): the setting stays as it was.
    OPTIONAL = (
        "privilege_retag_level",
        "privilege_suggest_edit_level",
        "privilege_edit_level",
        "privilege_close_level",
        "close_votes_needed",
        "flag_weight_new",
        "flag_weight_basic",
        "flag_weight_regular",
        "flag_weight_leader",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.OPTIONAL:
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.OPTIONAL:
            if data.get(name) in (None, "") and name not in self.errors:
                data[name] = getattr(self.instance, name)
        return data


class MembershipInvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))


class ProfileForm(forms.ModelForm):
    expertise = forms.CharField(
        label=_("Areas of expertise"),
        required=False,
        max_length=500,
        help_text=_("Tags, separated by commas, e.g. billing, api, mobile-app."),
    )

    class Meta:
        model = Member
        fields = ["display_name", "bio", "website", "preferred_language"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and not self.is_bound:
            self.initial["expertise"] = ", ".join(e.tag_slug for e in self.instance.expertise.all())

    def clean_expertise(self) -> list[str]:
        raw = self.cleaned_data.get("expertise", "")
        slugs = [slugify(part.strip())[:50] for part in raw.split(",")]
        slugs = [s for s in slugs if s]
        if len(slugs) > 20:
            raise forms.ValidationError(_("List at most 20 areas of expertise."))
        return slugs


class EmailPreferencesForm(forms.Form):
    digest_opt_in = forms.BooleanField(
        label=_("Weekly digest of unanswered questions in my areas"), required=False
    )
    # Not sent by older forms: the member's setting stays as it was.
    summary_frequency = forms.ChoiceField(
        label=_("Summary of what I missed, while I am away"),
        choices=SummaryFrequency.choices,
        required=False,
    )

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        prefs = member.email_preferences or {}
        # Kinds that share a label (e.g. an application approved / rejected) are one choice
        # for the member: one checkbox, saved to every kind behind it.
        self._groups: dict[str, list[str]] = {}
        by_label: dict[str, str] = {}
        for key, kind in sorted(KINDS.items()):
            first = by_label.setdefault(str(kind.label), key)
            self._groups.setdefault(first, []).append(key)
            if first == key:
                self.fields[f"kind_{key}"] = forms.BooleanField(
                    label=kind.label,
                    required=False,
                    initial=prefs.get(key, kind.email_default),
                )
        self.fields["digest_opt_in"].initial = member.digest_opt_in
        self.fields["summary_frequency"].initial = member.summary_frequency

    def preferences(self) -> dict[str, bool]:
        return {
            key: self.cleaned_data[f"kind_{first}"]
            for first, keys in self._groups.items()
            for key in keys
        }

    def preferences_all_off(self) -> dict[str, bool]:
        """Every kind off (the "turn all e-mail off" button)."""
        return dict.fromkeys((key for keys in self._groups.values() for key in keys), False)

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The check-boxes by group (``members.notifications.EMAIL_GROUPS``), with legends."""
        by_group: dict[str, list[forms.BoundField]] = {group: [] for group in EMAIL_GROUPS}
        for first in self._groups:
            group = KINDS[first].group
            by_group.setdefault(group if group in EMAIL_GROUPS else "community", []).append(
                self[f"kind_{first}"]
            )
        by_group["community"].append(self["digest_opt_in"])
        by_group["community"].append(self["summary_frequency"])
        return [(str(EMAIL_GROUPS[g]), fields) for g, fields in by_group.items() if fields]


class WatchLevelForm(forms.Form):
    """A member's level for a topic (a tag, a category, an idea status)."""

    level = forms.ChoiceField(label=_("Notifications"), choices=WatchLevel.choices)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=500)


class BookmarkForm(forms.Form):
    """A bookmark's note and reminder: a choice of the usual delays, or a date and time."""

    REMIND_CHOICES = [
        ("", _("No reminder")),
        ("hours", _("In 3 hours")),
        ("tomorrow", _("Tomorrow")),
        ("week", _("In a week")),
        ("at", _("At the date and time below")),
    ]
    DELAYS = {"hours": timedelta(hours=3), "tomorrow": timedelta(days=1), "week": timedelta(days=7)}
    # The browser's own date-and-time field sends ISO dates in every language.
    ISO = "%Y-%m-%dT%H:%M"

    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    remind = forms.ChoiceField(label=_("Remind me"), choices=REMIND_CHOICES, required=False)
    remind_at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        input_formats=[ISO],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        choice = data.get("remind") or ""
        at = data.get("remind_at")
        now = timezone.now()
        if choice == "at":
            if at is None:
                self.add_error("remind_at", _("Choose the date and time of the reminder."))
            elif at <= now:
                self.add_error("remind_at", _("Choose a reminder in the future."))
            elif at > now + timedelta(days=366):
                self.add_error("remind_at", _("Choose a reminder within a year."))
            data["when"] = at
        else:
            data["when"] = now + self.DELAYS[choice] if choice else None
        return data


# The largest primary key a database holds (a 64-bit integer): a larger number in a form is an
# invalid choice, never a query (SQLite raises OverflowError on it).
MAX_ID = 2**63 - 1


def _is_id(value: object) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    """A model chosen by its primary key, anything but a valid id an invalid choice."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Models chosen by their primary keys, anything but valid ids an invalid choice."""

    def clean(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else ():
            if not _is_id(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:40]},
                )
        return super().clean(value)


class LetterTemplateForm(forms.ModelForm):
    """A letter's texts in both languages; placeholders that would not be filled are an
    error (a typo in ``{name}`` would otherwise reach every member as written)."""

    class Meta:
        model = LetterTemplate
        fields = ["name", "subject", "body", "subject_ru", "body_ru", "signer"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
            "body_ru": forms.Textarea(attrs={"rows": 12}),
        }
        field_classes = {"signer": IdChoiceField}

    def __init__(self, *args, signers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = placeholders_for(self.instance.purpose)
        if self.instance.purpose == LetterTemplate.Purpose.WELCOME:
            signer = cast(forms.ModelChoiceField, self.fields["signer"])
            signer.queryset = signers if signers is not None else Member.objects.none()
            signer.help_text = _(
                "The letter is sent in their name and replies go to their address; "
                "without one it is signed by the community's team."
            )
        else:
            del self.fields["signer"]  # an outreach letter is signed by whoever sends it

    def clean(self):
        data = super().clean() or {}
        for field in ("subject", "body", "subject_ru", "body_ru"):
            unknown = placeholders_unknown(data.get(field) or "", self.allowed)
            if unknown:
                self.add_error(
                    field,
                    _("Unknown placeholder: %(names)s. You can use: %(allowed)s.")
                    % {
                        "names": ", ".join("{" + n + "}" for n in unknown),
                        "allowed": ", ".join("{" + n + "}" for n in self.allowed),
                    },
                )
        return data


class MentionSuggestForm(forms.Form):
    """What the mention picker asks: the name typed after ``@`` and the tags of the post's
    question (slugs separated by commas), whose experts come first."""

    q = forms.CharField(required=False, max_length=150, strip=True)
    tags = forms.CharField(required=False, max_length=500)

    def clean_tags(self) -> list[str]:
        tags = self.cleaned_data["tags"].split(",")
        return [slugify(tag)[:50] for tag in tags if tag.strip()][:10]


class CommunitySettingsAdminForm(CommunitySettingsForm):
    """The admin's form of the settings: every field, the thresholds optional as above."""

    class Meta(CommunitySettingsForm.Meta):
        fields = [
            *CommunitySettingsForm.Meta.fields[:5],
            "deleted_member_posts",
            *CommunitySettingsForm.Meta.fields[5:],
        ]
