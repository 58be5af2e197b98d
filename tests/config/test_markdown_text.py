"""``html_text`` of a stored body gives what ``plain_text`` gives of its source: the question
page's structured data reads the stored HTML instead of parsing the Markdown again."""

from hypothesis import given
from hypothesis import strategies as st

from config.markdown import html_text, plain_text, render_markdown

TRICKY = [
    "Plain *words* and **strong** ones, `code` & <b>html</b>.",
    "# Title\n\n- one\n- two\n\n```python\nprint('<x>')\n```",
    "<script>alert(1)</script> after <style>p{}</style> text <iframe>inside</iframe>",
    "[a link](https://example.com) ![an image](https://example.com/a.png)",
    "<a href='javascript:x'>j</a> <img src=x onerror=alert(1)>",
    "a &amp; b &lt; c > d \"quoted\" 'single'",
    "Русский текст с *выделением* и ссылкой https://example.com",
    "> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |",
]


def test_html_text_matches_plain_text_on_tricky_bodies():
    for source in TRICKY:
        assert html_text(render_markdown(source), 2000) == plain_text(source, 2000)


@given(st.text(alphabet=st.sampled_from(list("ab <>&*_`#[]()!\n-|/'\"=:;\\éя")), max_size=200))
def test_html_text_matches_plain_text(source):
    assert html_text(render_markdown(source), 120) == plain_text(source, 120)
