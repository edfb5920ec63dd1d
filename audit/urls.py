from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("kandidat/<int:pk>/", views.candidate_log, name="candidate"),
    path(
        "kandidat/<int:pk>/adgangslog.<str:fmt>",
        views.candidate_access_export,
        name="access_export",
    ),
    path("kandidat/<int:pk>/indsigt.<str:fmt>", views.candidate_data_export, name="data_export"),
    path("bruger/<int:pk>/", views.user_log, name="user"),
]
