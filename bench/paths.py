"""The mixed workload's reads: a long list of GET paths, drawn once from the bench database's
raw material (bench_mixed_prepare) with a fixed seed, that wrk's Lua script picks from at
random for every request. A path appears as often as users would ask for it: question pages
over thousands of questions with a long tail, list pages deep into the pagination, tag
pages, varied English and Russian searches, and the landing pages."""

import itertools
import random
import re
import urllib.parse
from collections import Counter
from typing import Any

# Share of reads per kind of page (sums to 1).
MIX = {
    "question": 0.47,
    "list": 0.15,
    "tag": 0.10,
    "search": 0.10,
    "home": 0.07,
    "faq": 0.04,
    "ideas": 0.02,
    "roadmap": 0.02,
    # Integrations reading the REST API (issue 16): its list endpoints and a question.
    "api": 0.03,
}
# Popularity falls off as 1 / rank ** ZIPF: a few questions are hot, most are read now and then.
ZIPF = 0.8
LIST_PAGES = 50
LIST_VARIANTS = [
    ("", 0.55),
    ("sort=active", 0.2),
    ("sort=votes", 0.1),
    ("status=unanswered", 0.1),
    ("status=unsolved", 0.05),
]
# The API's list reads, after /api/v1/ (visitors' requests: no token).
API_LISTS = [
    ("questions", 0.4),
    ("questions?sort=active", 0.1),
    ("questions?status=unanswered", 0.1),
    ("ideas", 0.15),
    ("faq", 0.1),
    ("tags", 0.05),
    ("members", 0.05),
]
API_QUESTION_SHARE = 0.2
SEARCH_EN = 200
SEARCH_RU = 100
_CYRILLIC = re.compile(r"[а-яё]", re.I)
_WORD = re.compile(r"[^\W\d_]{4,}", re.U)
_STOP = {
    "what",
    "when",
    "with",
    "does",
    "from",
    "that",
    "this",
    "after",
    "your",
    "have",
    "where",
    "which",
    "почему",
    "после",
    "когда",
    "найти",
}


def zipf_cumulative(count: int, exponent: float = ZIPF) -> list[float]:
    """Cumulative weights for ``random.choices`` (a bisect per draw, not a scan)."""
    return list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))


def search_queries(titles: list[str], rng: random.Random) -> tuple[list[str], list[str]]:
    """A few hundred distinct queries of one to three words taken from seeded titles."""
    words: dict[str, Counter] = {"en": Counter(), "ru": Counter()}
    for title in titles:
        for word in _WORD.findall(title.lower()):
            if word not in _STOP:
                words["ru" if _CYRILLIC.search(word) else "en"][word] += 1
    queries: dict[str, list[str]] = {}
    for language, wanted in (("en", SEARCH_EN), ("ru", SEARCH_RU)):
        vocabulary = [w for w, _n in words[language].most_common(200)]
        found: set[str] = set()
        for _attempt in range(wanted * 20):
            if len(found) >= wanted or not vocabulary:
                break
            size = rng.choice([1, 1, 2, 2, 2, 3])
            found.add(" ".join(rng.sample(vocabulary, min(size, len(vocabulary)))))
        queries[language] = sorted(found)
    return queries["en"], queries["ru"]


def _with_query(url: str, query: str) -> str:
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def read_paths(material: dict[str, Any], *, lines: int, seed: int = 11) -> dict[str, Any]:
    """``lines`` GET paths in a shuffled order, and a summary of what they cover."""
    rng = random.Random(seed)
    urls = material["urls"]
    questions = [q["url"] for q in material["questions"]]
    tags = material["tags"]
    english, russian = search_queries([q["title"] for q in material["questions"]], rng)
    searches = [f"{urls['search']}?{urllib.parse.urlencode({'q': q})}" for q in english + russian]
    list_pages = list(range(1, LIST_PAGES + 1))
    list_cumulative = zipf_cumulative(LIST_PAGES, 1.0)
    tag_cumulative = zipf_cumulative(len(tags))
    question_cumulative = zipf_cumulative(len(questions))
    variants = [v for v, _w in LIST_VARIANTS]
    variant_weights = [w for _v, w in LIST_VARIANTS]

    def one_list() -> str:
        page = rng.choices(list_pages, cum_weights=list_cumulative)[0]
        query = rng.choices(variants, weights=variant_weights)[0]
        return _with_query(urls["questions"], query if page == 1 else f"{query}&page={page}")

    def one_tag() -> str:
        tag = rng.choices(tags, cum_weights=tag_cumulative)[0]
        page = rng.choices([1, 2, 3], weights=[0.8, 0.15, 0.05])[0]
        return tag if page == 1 else _with_query(tag, f"page={page}")

    api_base = urls.get("api", "/api/v1/")
    api_lists = [api_base + path for path, _w in API_LISTS]
    api_weights = [w for _p, w in API_LISTS]

    def one_api() -> str:
        if rng.random() < API_QUESTION_SHARE:
            question = rng.choices(material["questions"], cum_weights=question_cumulative)[0]
            return f"{api_base}questions/{question['id']}"
        return rng.choices(api_lists, weights=api_weights)[0]

    makers = {
        "question": lambda: rng.choices(questions, cum_weights=question_cumulative)[0],
        "list": one_list,
        "tag": one_tag,
        "search": lambda: rng.choice(searches),
        "home": lambda: urls["home"],
        "faq": lambda: urls["faq"],
        "ideas": lambda: urls["ideas"],
        "roadmap": lambda: urls["roadmap"],
        "api": one_api,
    }
    if not questions:
        raise SystemExit("the bench database has no published questions")
    if not tags:
        makers["tag"] = one_list
    kinds = list(MIX)
    drawn = rng.choices(kinds, weights=[MIX[k] for k in kinds], k=lines)
    paths = [makers[kind]() for kind in drawn]
    paths = [p.replace("&&", "&").replace("?&", "?") for p in paths]
    per_kind: dict[str, set] = {kind: set() for kind in kinds}
    for kind, path in zip(drawn, paths, strict=True):
        per_kind[kind].add(path)
    return {
        "paths": paths,
        "distinct": {kind: len(found) for kind, found in per_kind.items()},
        "share": MIX,
        "searches": {"en": len(english), "ru": len(russian)},
        "examples": {kind: sorted(found)[:3] for kind, found in per_kind.items()},
    }
