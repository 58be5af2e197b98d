"""Home page sections contributed by apps: callables ``(request) -> dict`` with ``template``
and its context, appended in ``AppConfig.ready``. Each must run a constant number of queries."""

HOME_SECTIONS: list = []
