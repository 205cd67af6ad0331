from django.urls import path

from gongkai.twofactor import views

app_name = "twofactor"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("enrol/", views.enrol, name="enrol"),
    path("", views.security, name="security"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/<int:pk>/reset/", views.reset, name="reset"),
]
