from django.urls import path

from gongkai.search.views import staff

app_name = "search_staff"
urlpatterns = [
    path("synonyms/", staff.synonym_list, name="synonyms"),
    path("synonyms/<int:pk>/", staff.synonym_edit, name="synonym_edit"),
    path("synonyms/<int:pk>/delete/", staff.synonym_delete, name="synonym_delete"),
]
