from typing import Any, cast

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from config.translation import RUSSIAN_HELP

from .models import Rule, Sanction
from .selectors import rules_citable


class RuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Rule) -> str:
        return obj.citation


def _rule_field(required: bool = True) -> RuleChoiceField:
    return RuleChoiceField(
        queryset=Rule.objects.none(),
        required=required,
        label=_("Rule"),
        empty_label=None if required else _("— no rule —"),
    )


def _use_current_rules(form) -> None:
    """Cite the current rules; the choices are listed once (a Select would otherwise run
    the query twice when rendered)."""
    field = form.fields["rule"]
    field.queryset = rules_citable()
    if not form.is_bound:
        field.widget.choices = [choice for choice in field.choices]  # list() would add a COUNT


class FlagForm(forms.Form):
    rule = _rule_field()
    note = forms.CharField(
        label=_("Note for the moderators (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _use_current_rules(self)


class DecisionForm(forms.Form):
    """Approve or reject one queue item (a rule is required to reject a post)."""

    rule = _rule_field(required=False)
    message = forms.CharField(
        label=_("Message to the author"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _use_current_rules(self)


class BulkDecisionForm(DecisionForm):
    items = forms.TypedMultipleChoiceField(coerce=int, choices=(), label=_("Items"))
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], label=_("Decision")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        data = self.data.getlist("items") if hasattr(self.data, "getlist") else []
        cast(forms.ChoiceField, self.fields["items"]).choices = [
            (v, v) for v in data if str(v).isdigit()
        ]


class HideForm(forms.Form):
    rule = _rule_field()
    reason = forms.CharField(label=_("Message to the author"), max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _use_current_rules(self)


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(choices=Sanction.Kind.choices, label=_("Sanction"))
    days = forms.IntegerField(
        label=_("For how many days"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("For silences and suspensions."),
    )
    # A sanction always cites a rule clause; the message alone is not enough.
    rule = _rule_field()
    reason = forms.CharField(
        label=_("Message to the member"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _use_current_rules(self)

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        if data.get("kind") in (Sanction.Kind.SILENCE, Sanction.Kind.SUSPEND) and not data.get(
            "days"
        ):
            self.add_error("days", _("Say for how many days."))
        return data


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should the decision change?"),
        max_length=3000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class BlockedWordForm(forms.Form):
    word = forms.CharField(label=_("Word or phrase"), max_length=80)


def _russian(field: forms.CharField) -> forms.CharField:
    """The Russian twin of an English text field: optional, same limits."""
    return forms.CharField(
        label=format_lazy(_("In Russian: {label}"), label=field.label),
        required=False,
        max_length=field.max_length,
        widget=type(field.widget)(attrs=dict(field.widget.attrs, lang="ru")),
        help_text=RUSSIAN_HELP,
    )


class DocumentPublishForm(forms.Form):
    change_summary = forms.CharField(
        label=_("What changed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    change_summary_ru = _russian(change_summary)
    body = forms.CharField(
        label=_("Introduction (Markdown)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    body_ru = _russian(body)
    requires_reacceptance = forms.BooleanField(
        label=_("Members must accept this version before they post again"), required=False
    )


class RuleEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    title_ru = _russian(title)
    explanation = forms.CharField(
        label=_("Explanation (Markdown)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    explanation_ru = _russian(explanation)


class BaseRuleFormSet(forms.BaseFormSet):
    def rules(self) -> list[tuple[str, ...]]:
        """``(title, explanation, title_ru, explanation_ru)`` of the rules kept, in order
        (blank and deleted rows dropped). Call after ``is_valid()``."""
        return [
            (
                f.cleaned_data["title"],
                f.cleaned_data.get("explanation", ""),
                f.cleaned_data.get("title_ru", ""),
                f.cleaned_data.get("explanation_ru", ""),
            )
            for f in self.forms
            if f.cleaned_data.get("title") and not f.cleaned_data.get("DELETE")
        ]


# formset_factory returns a subclass of the formset it is given; the stubs say BaseFormSet.
RuleFormSet = cast(
    type[BaseRuleFormSet],
    forms.formset_factory(
        RuleEditForm,
        formset=BaseRuleFormSet,
        extra=2,
        can_delete=True,
        max_num=60,
        validate_max=True,
    ),
)
