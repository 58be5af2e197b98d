"""Forms for asking, answering, commenting, moderating and the FAQ."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from uploads.widgets import MarkdownEditor

from .models import Category, FaqEntry, Question


class QuestionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        min_length=10,
        max_length=200,
        help_text=_("Say what you need in one sentence."),
    )
    body = forms.CharField(
        label=_("Details"),
        widget=MarkdownEditor(attrs={"rows": 10}),
        min_length=20,
        max_length=20000,
        help_text=_("Markdown: **bold**, `code`, [links](https://…)."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), to_field_name="slug"
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Up to five, separated by commas."),
    )

    def __init__(
        self, *args: Any, categories: QuerySet[Category] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if categories is not None:
            cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories

    def clean_tags(self) -> list[str]:
        names = [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]
        if len(names) > 5:
            raise forms.ValidationError(_("At most five tags."))
        return names


class QuestionEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), min_length=10, max_length=200)
    body = forms.CharField(
        label=_("Details"),
        widget=MarkdownEditor(attrs={"rows": 10}),
        min_length=20,
        max_length=20000,
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=300)
    reason = forms.CharField(label=_("Reason for the edit"), required=False, max_length=200)

    def clean_tags(self) -> list[str]:
        names = [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]
        if len(names) > 5:
            raise forms.ValidationError(_("At most five tags."))
        return names


def question_edit_initial(question: Question) -> dict[str, str]:
    """The edit form's starting values: the question as it is, its tags comma-separated."""
    return {
        "title": question.title,
        "body": question.body,
        "tags": ", ".join(t.name for t in question.tags.all()),
    }


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        widget=MarkdownEditor(attrs={"rows": 8}),
        min_length=10,
        max_length=20000,
    )

    def __init__(self, *args: Any, mention_tags: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if mention_tags:
            # The mention picker offers the experts in the question's tags first.
            self.fields["body"].widget.attrs["data-mention-tags"] = ",".join(mention_tags)


class PostEditForm(forms.Form):
    body = forms.CharField(
        label=_("Text"), widget=MarkdownEditor(attrs={"rows": 8}), min_length=2, max_length=20000
    )
    reason = forms.CharField(label=_("Reason for the edit"), required=False, max_length=200)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        widget=MarkdownEditor(attrs={"rows": 2}),
        min_length=2,
        max_length=2000,
    )


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), to_field_name="slug"
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class DuplicateForm(forms.Form):
    duplicate_of = forms.IntegerField(label=_("Number of the original question"), min_value=1)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Did this answer your question?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
    )
    would_have_contacted_support = forms.TypedChoiceField(
        label=_("Would you otherwise have contacted support?"),
        required=False,
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
    )


class FaqEntryForm(forms.ModelForm):
    class Meta:
        model = FaqEntry
        fields = ["category", "title", "body", "position", "review_by", "is_published"]
        widgets = {
            # a date box takes and shows ISO dates only: the Russian format would empty it
            "review_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": MarkdownEditor(attrs={"rows": 10}),
        }


# --- privileges (docs/privileges.md) --------------------------------------------------------


class RetagForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Up to five, separated by commas."),
    )
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=200)

    def clean_tags(self) -> list[str]:
        names = [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]
        if len(names) > 5:
            raise forms.ValidationError(_("At most five tags."))
        return names


class CloseVoteForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should it be closed?"),
        choices=[
            ("duplicate", _("It duplicates another question")),
            ("off_topic", _("It is off-topic here")),
        ],
        widget=forms.RadioSelect,
    )
    duplicate_of = forms.IntegerField(
        label=_("Number of the original question"),
        required=False,
        min_value=1,
        help_text=_("For a duplicate: the number in the original's address (/questions/123/)."),
    )
    note = forms.CharField(
        label=_("Why it is off-topic"),
        required=False,
        max_length=200,
        help_text=_("Shown on the closed question."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == "duplicate" and not data.get("duplicate_of"):
            self.add_error("duplicate_of", _("Name the question this one duplicates."))
        if data.get("reason") == "off_topic" and not data.get("note"):
            self.add_error("note", _("Say why it is off-topic."))
        return data


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note to the author"), required=False, max_length=200)
