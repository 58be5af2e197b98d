"""The words of a query: what both the PostgreSQL and the SQLite search match on."""

import re
import threading
from functools import lru_cache

import snowballstemmer

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


def fold(text: str) -> str:
    """Lower case, ё read as е: how the SQLite search compares text (``veche_fold`` in SQL)."""
    return text.lower().replace("ё", "е")


_CYRILLIC = re.compile("[а-я]")
_STEMMERS = {lang: snowballstemmer.stemmer(lang) for lang in ("english", "russian")}
_STEMMING = threading.Lock()  # a Snowball stemmer keeps the word it works on


@lru_cache(maxsize=4096)
def stem(term: str) -> str:
    """The word's Snowball stem (Russian or English, by its letters), folded: "exporting" and
    "export", «счетов» and «счёт» meet in the SQLite search's substring matching."""
    word = fold(term)
    with _STEMMING:
        stemmed = _STEMMERS["russian" if _CYRILLIC.search(word) else "english"].stemWord(word)
    return fold(stemmed) or word
