from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from gongkai.organisation.models import Agency, Department, StaffRole, User


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "rule_set", "parent", "is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [DepartmentInline]


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 1


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "agency", "department", "is_active"]
    list_filter = ["agency", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("机关与股室", {"fields": ("full_name", "agency", "department")}))
    inlines = [StaffRoleInline]
