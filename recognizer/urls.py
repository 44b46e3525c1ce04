from django.templatetags.static import static
from django.urls import path
from django.views.generic.base import RedirectView

from . import api, views

urlpatterns = [
    # Pages
    path("", views.index, name="recognizer-index"),
    path("p/<str:prediction_id>/", views.result, name="recognizer-result"),
    path("p/<str:prediction_id>/correct", views.correct, name="recognizer-correct"),
    path("results/", views.results, name="recognizer-results"),
    # History, its exports and deletion (staff)
    path("history/", views.history_page, name="recognizer-history"),
    path("history/export.csv", views.history_export, {"fmt": "csv"}, name="recognizer-export-csv"),
    path("history/export.json", views.history_export, {"fmt": "json"}, name="recognizer-export-json"),
    path("history/delete", views.history_delete, name="recognizer-delete-many"),
    path("p/<str:prediction_id>/delete", views.delete_one, name="recognizer-delete"),
    # Stored pictures, served by id with their own content type
    path("media/<str:prediction_id>/upload", views.upload_file, name="recognizer-upload"),
    path("media/<str:prediction_id>/thumb.png", views.stored_image, {"kind": "thumb"}, name="recognizer-thumb"),
    path("media/<str:prediction_id>/input.png", views.stored_image, {"kind": "input"}, name="recognizer-input"),
    path("media/<str:prediction_id>/explain.png", views.stored_image, {"kind": "explain"},
         name="recognizer-explain"),
    # Operator
    path("dashboard/", views.dashboard_page, name="recognizer-dashboard"),
    path("dashboard/plots/<str:name>", views.model_plot, name="recognizer-plot"),
    # Browsers ask for /favicon.ico on every page without a <link rel=icon> (the admin's).
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
    # JSON API
    path("api/predictions", api.predictions, name="recognizer-api"),
    path("api/predictions/<str:prediction_id>", api.prediction_detail, name="recognizer-api-detail"),
    path("api/predictions/<str:prediction_id>/correction", api.correction, name="recognizer-api-correction"),
    # Live guesses while drawing (the upload page's own JSON; CSRF-protected like its forms)
    path("api/live", views.live_guess, name="recognizer-live"),
]
