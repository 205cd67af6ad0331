from django.urls import path

from gongkai.portal.views import public, zhuanlan

app_name = "portal"
urlpatterns = [
    path("", public.home, name="home"),
    path("agencies/", public.agency_list, name="agencies"),
    path("agencies/<slug:slug>/", zhuanlan.agency_home, name="agency"),
    path("agencies/<slug:slug>/guide/", zhuanlan.agency_guide, name="guide"),
    path("sitemap/", zhuanlan.sitemap_page, name="sitemap"),
    path("column/<slug:slug>/", public.column, name="column"),
    path("soon/<slug:feature>/", public.not_yet_open, name="soon"),
    path("display/", public.display_mode, name="display"),
]
