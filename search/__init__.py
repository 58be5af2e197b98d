"""Site search: one page over every registered source (forum's questions, answers and FAQ,
the idea board's ideas).

Modules by role: ``sources`` (the registry content apps register into, and the hit types),
``selectors`` (searching every source, the search page's hits), ``vectors`` (the stored
PostgreSQL vectors), ``ranking`` (PostgreSQL full-text ranking and the SQLite fallback),
``terms`` (the words of a query), ``excerpts`` (highlighted excerpts). A source's app builds
its hits with these; search itself imports no app above it.
"""
