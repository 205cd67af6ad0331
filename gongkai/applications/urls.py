from django.urls import path

from gongkai.applications.views import public

app_name = "applications"
urlpatterns = [
    path("", public.apply, name="apply"),
    path("receipt/<str:code>/", public.receipt, name="receipt"),
    path("receipt/<str:code>/pdf/", public.receipt_pdf, name="receipt_pdf"),
    path("status/", public.status, name="status"),
    path("status/satisfaction/", public.satisfaction, name="satisfaction"),
]
