from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.workbench.views import signin, staff

app_name = "workbench"
urlpatterns = [
    path("", staff.home, name="home"),
    path("login/", staff.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", signin.PasswordChangeView.as_view(), name="password_change"),
    path("signin-locks/", signin.signin_locks, name="signin_locks"),
]
