from django.urls import path

from gongkai.applications.views import case, staff

app_name = "applications_staff"
urlpatterns = [
    path("", staff.queue, name="queue"),
    path("register/", staff.register, name="register"),
    path("templates/", staff.notice_templates, name="templates"),
    path("<int:pk>/", case.detail, name="detail"),
    path("<int:pk>/action/", case.transition, name="action"),
    path("<int:pk>/reply/", case.reply_draft, name="reply"),
    path("<int:pk>/do/<slug:op>/", case.operate, name="operate"),
    path("<int:pk>/extensions/<int:extension_pk>/", case.extension_decide, name="extension_decide"),
    path("<int:pk>/appeal/", case.appeal, name="appeal"),
    path("<int:pk>/unmask/", case.unmask, name="unmask"),
    path("<int:pk>/files/<int:file_pk>/", staff.application_file, name="file"),
    path("<int:pk>/notices/<int:notice_pk>/delivered/", case.notice_delivered, name="notice_delivered"),
    path("<int:pk>/notices/<int:notice_pk>/<str:fmt>/", staff.notice_file, name="notice_file"),
]
