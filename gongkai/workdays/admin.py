from django.contrib import admin

from gongkai.workdays import services
from gongkai.workdays.models import CalendarDay, ConfirmedYear


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "name", "source", "updated_by", "updated_at"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    search_fields = ["name", "source"]
    readonly_fields = ["updated_by", "updated_at"]

    # Changes go through the service so they are audited and confirm the year.
    def save_model(self, request, obj, form, change):
        services.calendar_day_save(actor=request.user, day=obj)

    def delete_model(self, request, obj):
        services.calendar_day_delete(actor=request.user, day=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.calendar_day_delete(actor=request.user, day=obj)


@admin.register(ConfirmedYear)
class ConfirmedYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "confirmed_by", "confirmed_at"]
    readonly_fields = ["confirmed_by", "confirmed_at"]
