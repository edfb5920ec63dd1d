from django.urls import path

from . import views

app_name = "centers"
urlpatterns = [
    path("", views.centre_list, name="list"),
    path("kontrakt/<int:pk>/genbesaet/", views.refill, name="refill"),
]
