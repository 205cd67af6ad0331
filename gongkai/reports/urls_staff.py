from django.urls import path

from gongkai.reports.views import staff, yearly

app_name = "reports_staff"
urlpatterns = [
    path("", staff.report_list, name="list"),
    path("create/", staff.report_create, name="create"),
    path("<int:pk>/", staff.report_detail, name="detail"),
    path("<int:pk>/text/", staff.report_text, name="text"),
    path("<int:pk>/action/", staff.report_action, name="action"),
    path("<int:pk>/cases/<str:table>/<str:row>/<str:column>/", staff.report_cases, name="cases"),
    path("rollup/", staff.rollup, name="rollup"),
    path("rollup/<int:year>/", staff.rollup, name="rollup_year"),
    path("figures/<slug:agency>/<int:year>/", yearly.yearly_figures, name="yearly_figures"),
]
