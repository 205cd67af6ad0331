from django.urls import path

from gongkai.applications.views import paper, public

app_name = "applications"
urlpatterns = [
    path("", public.apply, name="apply"),
    path("receipt/<str:code>/", public.receipt, name="receipt"),
    path("receipt/<str:code>/pdf/", public.receipt_pdf, name="receipt_pdf"),
    path("form/", paper.paper_form, name="paper_form"),
    path("instructions/", paper.instructions, name="instructions"),
    path("status/", public.status, name="status"),
    path("status/satisfaction/", public.satisfaction, name="satisfaction"),
    path("status/<str:code>/notices/<int:pk>/pdf/", public.notice_pdf, name="notice_pdf"),
]
