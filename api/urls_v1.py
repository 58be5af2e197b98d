"""The URL patterns of version 1, included at ``/api/v1/`` under the namespace Ninja reverses
its own names in (``api-v1``: the OpenAPI schema's address). Any other address under it is
a JSON 404, not the site's page."""

from django.urls import re_path

from .v1 import api
from .views import api_not_found_view

_patterns, _ninja, app_name = api.urls
urlpatterns = [*_patterns, re_path(r"", api_not_found_view, name="not-found")]
