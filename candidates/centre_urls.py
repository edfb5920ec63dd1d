from django.urls import path

from . import centre_views as views

app_name = "centers"
urlpatterns = [
    path("", views.centre_list, name="list"),
    path("kontrakt/<int:pk>/genbesaet/", views.refill, name="refill"),
]
