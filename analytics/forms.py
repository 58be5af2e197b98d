from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.forms import IdChoiceField, IdMultipleChoiceField

PRESETS = {"7d": 7, "30d": 30, "90d": 90, "12m": 365}
DEFAULT_PRESET = "30d"
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    preset: str = "custom"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def query(self) -> str:
        """The query string of exactly these dates: a preset would move with the calendar,
        and a link made for this period must keep giving its rows."""
        return urlencode(
            {"range": "custom", "start": self.start.isoformat(), "end": self.end.isoformat()}
        )


class DateRangeForm(forms.Form):
    """The period every panel shows: a preset ending today, or custom dates."""

    range = forms.ChoiceField(
        label=_("Period"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("7d", _("Last 7 days")),
            ("30d", _("Last 30 days")),
            ("90d", _("Last 90 days")),
            ("12m", _("Last 12 months")),
            ("custom", _("Custom dates")),
        ],
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        preset = data.get("range") or ""
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if preset in PRESETS or (not preset and not start and not end):
            preset = preset or DEFAULT_PRESET
            data["range_value"] = DateRange(
                self.today - timedelta(days=PRESETS[preset] - 1), self.today, preset
            )
            return data
        if not start or not end:
            raise forms.ValidationError(_("Give both a start and an end date for a custom period."))
        if start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        if end > self.today:
            raise forms.ValidationError(_("The end date must not be in the future."))
        if (end - start).days + 1 > MAX_DAYS:
            raise forms.ValidationError(
                _("A period can be at most %(days)s days long."), params={"days": MAX_DAYS}
            )
        data["range_value"] = DateRange(start, end, "custom")
        return data

    def date_range(self) -> DateRange:
        return self.cleaned_data["range_value"]


def date_range_from(params, today: date | None = None) -> tuple[DateRangeForm, DateRange | None]:
    data = params.copy()
    if not data.get("range"):
        data["range"] = "custom" if data.get("start") or data.get("end") else DEFAULT_PRESET
    form = DateRangeForm(data, today=today)
    return form, (form.date_range() if form.is_valid() else None)


class OutreachForm(forms.Form):
    """Whom to write to (members still at risk) and from which letter."""

    member: forms.ModelMultipleChoiceField = IdMultipleChoiceField(
        label=_("Members"),
        queryset=None,
        error_messages={"required": _("Choose at least one member to write to.")},
    )
    template: forms.ModelChoiceField = IdChoiceField(
        label=_("Letter"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose a letter to write from.")},
    )

    def __init__(self, *args, members, templates, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["member"]).queryset = members
        cast(forms.ModelChoiceField, self.fields["template"]).queryset = templates

    def clean_member(self):
        chosen = self.cleaned_data["member"]
        if len(chosen) > MAX_RECIPIENTS:
            raise forms.ValidationError(
                _("Write to at most %(n)s members at once: a personal letter goes to a few."),
                params={"n": MAX_RECIPIENTS},
            )
        return chosen


MAX_RECIPIENTS = 200
