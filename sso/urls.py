from django.urls import path

from . import views

app_name = "sso"
urlpatterns = [
    path("", views.sso_index, name="index"),
    path("ny/<str:protocol>/", views.provider_new, name="provider_new"),
    path("<int:pk>/", views.provider_edit, name="provider_edit"),
    path("<int:pk>/slet/", views.provider_delete, name="provider_delete"),
]
