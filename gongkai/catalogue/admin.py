from django.contrib import admin

from gongkai.catalogue.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Categories are set-up data; items are handled in the workbench, never here."""

    list_display = ["name", "agency", "parent", "column", "order", "is_active"]
    list_filter = ["agency", "column"]
    search_fields = ["name"]
