from django.urls import path

from gongkai.applications.views import case, notices, queues, reply_files, staff

app_name = "applications_staff"
urlpatterns = [
    path("", queues.queue, name="queue"),
    path("ledger.xlsx", queues.ledger_export, name="ledger_export"),
    path("register/", staff.register, name="register"),
    path("templates/", staff.notice_templates, name="templates"),
    path("deliveries/", notices.deliveries, name="deliveries"),
    path("deliveries/print/", notices.deliveries_print, name="deliveries_print"),
    path("<int:pk>/", case.detail, name="detail"),
    path("<int:pk>/action/", case.transition, name="action"),
    path("<int:pk>/reply/", case.reply_draft, name="reply"),
    path("<int:pk>/do/<slug:op>/", case.operate, name="operate"),
    path("<int:pk>/extensions/<int:extension_pk>/", case.extension_decide, name="extension_decide"),
    path("<int:pk>/appeal/", case.appeal, name="appeal"),
    path("<int:pk>/unmask/", case.unmask, name="unmask"),
    path("<int:pk>/files/<int:file_pk>/", staff.application_file, name="file"),
    path("<int:pk>/reply-attachments/", reply_files.add, name="reply_attachment_add"),
    path(
        "<int:pk>/reply-attachments/<int:attachment_pk>/remove/",
        reply_files.remove,
        name="reply_attachment_remove",
    ),
    path("<int:pk>/reply-attachments/<int:attachment_pk>/", reply_files.download, name="reply_attachment"),
    path("<int:pk>/notices/<int:notice_pk>/delivered/", notices.notice_delivered, name="notice_delivered"),
    path("<int:pk>/notices/<int:notice_pk>/failed/", notices.notice_failed, name="notice_failed"),
    path("<int:pk>/notices/<int:notice_pk>/<str:fmt>/", notices.notice_file, name="notice_file"),
]
