import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, every app, the URLconf: ~200,000 objects) lives as long as
# the process. Frozen, the collector stops walking it: a full collection took 75–150 ms of a
# worker every 100–200 requests, a pause every request queued behind it waited through
# (docs/caching.md, "Cheap renders"; Python's gc.freeze documentation).
get_resolver().url_patterns  # noqa: B018 - imports every app's URLconf now
gc.freeze()
