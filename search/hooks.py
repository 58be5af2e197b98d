"""What search lets the apps above it add to its page, without knowing them.

Higher apps register in their ``receivers.py`` (sources go to ``search.sources``); the
search page renders what was registered.

- ``register_no_hits_extra(template_name)``: a template included after "Nothing found" when
  a search finds nothing (forum offers to ask the question). Its context is the page's:
  ``query``, ``kind``, ``form``, ``user``. The page is cached for anonymous visitors.
"""

NO_HITS_EXTRAS: list[str] = []


def register_no_hits_extra(template_name: str) -> None:
    if template_name not in NO_HITS_EXTRAS:
        NO_HITS_EXTRAS.append(template_name)
