from django.urls import path

from gongkai.audit import views

app_name = "audit_staff"
urlpatterns = [path("", views.audit_log, name="log")]
