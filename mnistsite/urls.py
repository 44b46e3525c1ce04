from django.contrib import admin
from django.urls import include, path

from recognizer.api import healthz

admin.site.site_header = "Digit recognizer administration"
admin.site.index_template = "admin/recognizer_index.html"

urlpatterns = [
    # django-rq's queue dashboard is mounted inside the admin by its own AdminSite hook.
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("recognizer.urls")),
]
