from django.urls import path

from gongkai.reports.views import public

app_name = "reports"
urlpatterns = [
    path("<slug:agency>/<int:year>/v<int:number>/", public.version, name="version"),
    path("<slug:agency>/<int:year>/v<int:number>/<slug:fmt>/", public.download, name="download"),
]
