"""The words of a query: what both the PostgreSQL and the SQLite search match on."""

import re

_WORD_RE = re.compile(r"\w+", re.UNICODE)

STOP_WORDS = set(
    "the and for with from that this what when where which how why who can could would should "
    "does did not are was were has have had you your our there their them then than into "
    "about any all some get got use using able want need like just also only very"
    " как что это для при или его она они мне меня мой моя где когда почему если нет все"
    " так уже ещё еще там тут чем кто".split()
)


def terms_of(text: str, *, limit: int = 8) -> list[str]:
    """The distinct meaningful words of a query (no stop words, at least 3 letters)."""
    words = [
        w.lower()
        for w in _WORD_RE.findall(text or "")
        if len(w) >= 3 and w.lower() not in STOP_WORDS
    ]
    seen: list[str] = []
    for w in words:
        if w not in seen:
            seen.append(w)
    return seen[:limit]


def stem(term: str) -> str:
    """A crude stem so "errors"/"error" and "ошибки"/"ошибка" meet in LIKE matching."""
    if len(term) > 5:
        return term[: max(4, len(term) - 2)]
    if len(term) > 3:
        return term[:-1]
    return term
