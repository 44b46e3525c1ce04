from django.urls import path

from . import api, views

urlpatterns = [
    # Pages
    path("", views.index, name="recognizer-index"),
    path("p/<str:prediction_id>/", views.result, name="recognizer-result"),
    path("results/", views.results, name="recognizer-results"),
    path("history/", views.history_page, name="recognizer-history"),
    # Stored pictures, served by id with their own content type
    path("media/<str:prediction_id>/upload", views.upload_file, name="recognizer-upload"),
    path("media/<str:prediction_id>/thumb.png", views.thumb, name="recognizer-thumb"),
    path("media/<str:prediction_id>/input.png", views.model_input, name="recognizer-input"),
    # Operator
    path("dashboard/", views.dashboard_page, name="recognizer-dashboard"),
    # JSON API
    path("api/predictions", api.predictions, name="recognizer-api"),
    path("api/predictions/<str:prediction_id>", api.prediction_detail, name="recognizer-api-detail"),
]
