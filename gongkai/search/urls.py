from django.urls import path

from gongkai.search.views import public

app_name = "search"
urlpatterns = [
    path("", public.search, name="search"),
    path("suggest/", public.suggest, name="suggest"),
]
