from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("", views.month_index, name="index"),
    path("maaned/<str:month>/", views.month_detail, name="month"),
    path("maaned/<str:month>/genberegn/", views.month_rebuild, name="rebuild"),
    path("maaned/<str:month>/afregning.csv", views.month_export_csv, name="export_csv"),
    path("maaned/<str:month>/afregning.xlsx", views.month_export_xlsx, name="export_xlsx"),
    path("koersel/<int:pk>/", views.run_status, name="run_status"),
    path("opgoerelse/<int:pk>/", views.statement_detail, name="statement"),
    path("opgoerelse/<int:pk>/godkend/", views.statement_approve, name="approve"),
    path("opgoerelse/<int:pk>/pdf/", views.statement_pdf, name="pdf"),
    path("opgoerelse/<int:pk>/faktura.xml", views.statement_invoice, name="invoice"),
]
