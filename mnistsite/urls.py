from django.contrib import admin
from django.urls import include, path

from recognizer import health, metrics

admin.site.site_header = "Digit recognizer administration"
admin.site.index_template = "admin/recognizer_index.html"

urlpatterns = [
    # django-rq's queue dashboard is mounted inside the admin by its own AdminSite hook.
    path("admin/", admin.site.urls),
    # Probes and metrics for operators (recognizer/health.py, recognizer/metrics.py)
    path("healthz", health.ready, name="healthz"),
    path("healthz/live", health.live, name="healthz-live"),
    path("healthz/ready", health.ready, name="healthz-ready"),
    path("metrics", metrics.view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("recognizer.urls")),
]
