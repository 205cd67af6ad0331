from django.urls import path

from gongkai.applications.views import notices, staff

app_name = "applications_staff"
urlpatterns = [
    path("", staff.queue, name="queue"),
    path("register/", staff.register, name="register"),
    path("templates/", staff.notice_templates, name="templates"),
    path("deliveries/", notices.deliveries, name="deliveries"),
    path("deliveries/print/", notices.deliveries_print, name="deliveries_print"),
    path("<int:pk>/", staff.detail, name="detail"),
    path("<int:pk>/action/", staff.transition, name="action"),
    path("<int:pk>/reply/", staff.reply_draft, name="reply"),
    path("<int:pk>/do/<slug:op>/", staff.operate, name="operate"),
    path("<int:pk>/extensions/<int:extension_pk>/", staff.extension_decide, name="extension_decide"),
    path("<int:pk>/appeal/", staff.appeal, name="appeal"),
    path("<int:pk>/unmask/", staff.unmask, name="unmask"),
    path("<int:pk>/files/<int:file_pk>/", staff.application_file, name="file"),
    path("<int:pk>/notices/<int:notice_pk>/delivered/", notices.notice_delivered, name="notice_delivered"),
    path("<int:pk>/notices/<int:notice_pk>/failed/", notices.notice_failed, name="notice_failed"),
    path("<int:pk>/notices/<int:notice_pk>/<str:fmt>/", notices.notice_file, name="notice_file"),
]
