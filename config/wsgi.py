import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from config.collector import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, every app, the URLconf: ~200,000 objects) lives as long as
# the process: frozen out of the collector's sight, and the young generation collected less
# often (config/collector.py; docs/caching.md, "Cheap renders").
get_resolver().url_patterns  # noqa: B018 - imports every app's URLconf now
settle()
