"""Q&A and FAQ writes, one module per entity:

- ``questions``: asking, editing, moderator actions, counters
- ``answers``: answering, editing, accepting
- ``comments``, ``votes``, ``follows``, ``revisions``, ``tags``
- ``posts``: deleting and restoring any post
- ``sweeps``: the accept reminder and the unanswered digest
- ``faq``: FAQ entries and "did this answer your question?" feedback
- ``common`` and ``notifications``: what the others share
"""
