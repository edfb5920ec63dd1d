from django.urls import path

from . import views

app_name = "candidates"
urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("henvisning/", views.candidate_register, name="register"),
    path("<int:pk>/", views.candidate_detail, name="detail"),
    path("<int:pk>/rediger/", views.candidate_edit, name="edit"),
    path("<int:pk>/udskrift/", views.candidate_print, name="print"),
    path("<int:pk>/cpr/", views.candidate_cpr_reveal, name="cpr_reveal"),
    path("<int:pk>/henvis/", views.referral_create, name="refer"),
    path("<int:pk>/maalgruppe/", views.candidate_target_group, name="target_group"),
    path("venteliste/", views.waiting_list, name="waiting_list"),
    path("henvisninger/<int:pk>/visitation/", views.visitation, name="visitation"),
    path("henvisninger/<int:pk>/tilbagekald/", views.referral_withdraw, name="withdraw"),
    path("forloeb/", views.course_list, name="courses"),
    path("forloeb/<int:pk>/", views.course_detail, name="course"),
    path("forloeb/<int:pk>/timer/", views.course_hours_add, name="course_hours"),
    path("forloeb/<int:pk>/maal/", views.goal_add, name="goal_add"),
    path("maal/<int:pk>/progression/", views.goal_progress, name="goal_progress"),
    path("forloeb/<int:pk>/notat/", views.note_add, name="note_add"),
    path("forloeb/<int:pk>/opfoelgning/", views.course_follow_up, name="course_follow_up"),
    path("forloeb/<int:pk>/forlaeng/", views.course_extend, name="course_extend"),
    path("forloeb/<int:pk>/udslus/", views.course_end, name="course_end"),
    path("forloeb/<int:pk>/trepartsaftale/", views.course_agreement, name="course_agreement"),
    path("opfoelgning/", views.due_list, name="due"),
]
