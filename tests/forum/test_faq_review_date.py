"""The FAQ's review-by date box in Russian (issue 20, point 8): a date box takes ISO dates
only, so the Russian format (02.11.2026) would show it empty and lose the date on save."""

from datetime import date

from django.utils import translation

from forum.forms_qa import FaqEntryForm
from forum.models import FaqEntry


def test_the_review_by_box_holds_an_iso_date_in_russian():
    entry = FaqEntry(title="t", body="b", review_by=date(2026, 11, 2))
    with translation.override("ru"):
        html = str(FaqEntryForm(instance=entry)["review_by"])
    assert 'value="2026-11-02"' in html and 'type="date"' in html
