from django.urls import path

from gongkai.catalogue.views import history, staff

app_name = "catalogue_staff"
urlpatterns = [
    path("", staff.item_list, name="list"),
    path("new/", staff.item_create, name="create"),
    path("internal/", staff.internal_list, name="internal"),
    path("<int:pk>/", staff.item_detail, name="detail"),
    path("<int:pk>/edit/", staff.item_edit, name="edit"),
    path("<int:pk>/action/", staff.item_action, name="action"),
    path("<int:pk>/validity/", staff.item_set_validity, name="validity"),
    path("<int:pk>/attachments/", staff.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", staff.attachment_staff_download, name="attachment"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/", staff.attachment_delete, name="attachment_delete"
    ),
    path("<int:pk>/revise/", staff.revision_create, name="revise"),
    path("<int:pk>/history/", history.item_history, name="history"),
    path("<int:pk>/history/<int:number>/", history.item_version, name="version"),
    path(
        "<int:pk>/revisions/<int:revision_pk>/attachments/",
        staff.attachment_upload,
        name="revision_attachment_upload",
    ),
    path("revisions/<int:pk>/", staff.revision_detail, name="revision"),
    path("revisions/<int:pk>/action/", staff.revision_action, name="revision_action"),
]
