from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from members import views as member_views

from .views import favicon_view, home_view

# One way in for staff: the admin's own log-in form sends to the site's, which applies the
# two-factor step and the log-in rate limits (django.contrib.admin's form has neither).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

handler400 = "config.views.bad_request_view"
handler403 = "config.views.permission_denied_view"
handler404 = "config.views.page_not_found_view"
handler500 = "config.views.server_error_view"

urlpatterns = [
    path("", home_view, name="home"),
    # Feed readers and old browsers ask for /favicon.ico whatever the page's <link rel="icon">.
    path("favicon.ico", favicon_view),
    # allauth's sessions page is replaced by Settings → "Signed-in browsers", which can end
    # one chosen browser and shows when each was last seen (members/services_sessions.py).
    path("accounts/sessions/", RedirectView.as_view(pattern_name="members:sessions")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("", include("uploads.urls")),
    path("", include("search.urls")),
    path("", include("forum.urls")),
    path("ideas/", include("ideas.urls")),
    path("", include("moderation.urls")),
    path("", include("ambassadors.urls")),
    path("", include("conversations.urls")),
    path("", include("analytics.urls")),
    path("", include("api.urls")),
    path("api/v1/", include("api.urls_v1")),
    path("", include("webhooks.urls")),
]

if settings.VECHE_BENCH:
    urlpatterns += [path("", include("bench.urls"))]

if settings.DEBUG:
    urlpatterns += [path("i18n/set/", member_views.language_set_view)]
