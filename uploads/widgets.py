"""The Markdown editor every post form uses: the text box, the upload button and drop zone
(by button, drag-and-drop or paste, through static/js/editor.js), and the live preview
(htmx). Without JavaScript the text box still posts, "Upload a file" opens a page that
returns the Markdown to paste, and "Preview" opens the preview in a new tab."""

from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


class MarkdownEditor(forms.Textarea):
    # Jinja2 (templates/jinja2/), the text box too: in Django's templates the widget cost a
    # millisecond of every page with an answer box.
    template = "components/markdown_editor.html"
    # The draft this editor keeps (uploads.models.Draft), set per form by ``keep_draft``.
    draft_key = ""

    def __init__(self, attrs: dict[str, Any] | None = None, *, uploads: bool = True) -> None:
        super().__init__({"class": "markdown-editor-input", **(attrs or {})})
        self.uploads = uploads

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        widget_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        context = {
            "widget": widget,
            "name": name,
            "widget_id": widget_id,
            "uploads": self.uploads,
            "draft_key": self.draft_key,
        }
        html = render_to_string(self.template, context, using="jinja2")
        return mark_safe(html)  # noqa: S308 (our template)


def keep_draft(form: forms.Form, field: str, key: str) -> None:
    """Make the editor of ``form[field]`` save what is typed as the draft ``key``
    (static/js/drafts.js); the form's ``title`` field, if any, is kept with it."""
    widget = form.fields[field].widget
    if isinstance(widget, MarkdownEditor):
        widget.draft_key = key
