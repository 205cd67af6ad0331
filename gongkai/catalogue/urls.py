from django.urls import path

from gongkai.catalogue.views import public

app_name = "catalogue"
urlpatterns = [
    path("", public.item_list, name="list"),
    path("<int:pk>/", public.item_detail, name="detail"),
    path("<int:pk>/print/", public.item_print, name="print"),
    path("<int:item_pk>/attachments/<int:pk>/", public.attachment_download, name="attachment"),
]
