from django.contrib import admin
from django.urls import include, path

from accounts import core_urls as accounts_core_urls
from core import urls as core_urls

# The `core` namespace: core's own pages and the role-aware ones accounts serves under it (landing pages,
# audit log), as core knows no role.
core_patterns = (core_urls.urlpatterns + accounts_core_urls.urlpatterns, core_urls.app_name)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("experts/", include("experts.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("projects/", include("projects.urls")),
    path("terms/", include("terms.urls")),
    path("subsidies/", include("subsidies.urls")),
    path("awards/", include("awards.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("privacy/", include("privacy.urls")),
    path("worklist/", include("worklist.urls")),
    path("credit/", include("credit.urls")),
    path("", include(core_patterns)),
]
