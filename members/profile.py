"""Profile page sections contributed by other apps.

Each section is a callable ``(request, member) -> dict`` with ``template`` and its context;
apps append to ``PROFILE_SECTIONS`` in their ``AppConfig.ready``. Each must run a constant
number of queries.
"""

PROFILE_SECTIONS: list = []
