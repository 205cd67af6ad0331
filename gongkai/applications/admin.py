from django.contrib import admin

from gongkai.applications.models import NoticeTemplate


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(admin.ModelAdmin):
    """The office edits the wording of its letters here; cases are handled in the workbench."""

    list_display = ["kind", "agency", "updated_at"]
    list_filter = ["kind", "agency"]
