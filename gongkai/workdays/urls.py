from django.urls import path

from gongkai.workdays.views import staff

app_name = "workdays"
urlpatterns = [
    path("", staff.calendar_years, name="years"),
]
