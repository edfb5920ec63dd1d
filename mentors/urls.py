from django.urls import path, register_converter

from . import views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return value  # parsed (and 404ed when impossible) by the view

    def to_url(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "mentors"
urlpatterns = [
    path("", views.day, name="today"),
    path("dag/<isodate:day>/", views.day, name="day"),
    path("uge/", views.week, name="week"),
    path("uge/<isodate:monday>/", views.week, name="week_of"),
    path("timer/", views.hours, name="hours"),
    path("forloeb/<int:pk>/", views.course_detail, name="course"),
    path("forloeb/<int:pk>/fremmoede/", views.attendance_save, name="attendance_save"),
    path("forloeb/<int:pk>/note/", views.note_create, name="note_create"),
    path("forloeb/<int:pk>/problem/", views.flag_raise, name="flag_raise"),
    path("center/<int:pk>/alle-moedt/", views.all_present, name="all_present"),
    path("center/<int:pk>/statistik/", views.centre_stats, name="centre_stats"),
    path("center/<int:pk>/fremmoede.csv", views.centre_export, name="centre_export"),
    path("mitid/<str:key>/", views.mitid_invitation, name="mitid_invitation"),
    path("konsulent/", views.consultant_overview, name="consultant_overview"),
    path("konsulent/inviter/", views.mentor_invite, name="invite"),
    path("konsulent/forloeb/<int:pk>/", views.consultant_course, name="consultant_course"),
    path("konsulent/problem/<int:pk>/afslut/", views.flag_resolve, name="flag_resolve"),
    path("konsulent/kontrakt/<int:pk>/mentorstoette/", views.grants, name="grants"),
    path("konsulent/mentorstoette/<int:pk>/forlaeng/", views.grant_extend, name="grant_extend"),
]
