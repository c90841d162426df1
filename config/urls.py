from django.contrib import admin
from django.urls import include, path

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
    path("dashboard/", include("dashboard.urls")),
    path("privacy/", include("privacy.urls")),
    path("worklist/", include("worklist.urls")),
    path("credit/", include("credit.urls")),
    path("", include("core.urls")),
]
