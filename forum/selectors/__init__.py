"""Q&A and FAQ reads: ``questions`` (lists, the question page), ``faq``, ``revisions``,
``votes``, ``sections`` (home and profile blocks) and ``search_sources``."""
