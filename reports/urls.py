from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("beregn/", views.compute, name="compute"),
    path("job/", views.job_state, name="job_state"),
    path("centre/", views.centres, name="centres"),
    path("maal/", views.goals, name="goals"),
    path("centre/<int:pk>/", views.centre_detail, name="centre_detail"),
    path("eksport/<slug:table>.<str:fmt>", views.export, name="export"),
    path("pdf/", views.dashboard_pdf, name="pdf"),
    path("mine/", views.caseload, name="caseload"),
    path("indstillinger/", views.settings_page, name="settings"),
]
