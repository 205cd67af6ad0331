from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from gongkai.organisation.models import Agency, Department, StaffRole, User
from gongkai.organisation.roles import Role, officer_conflicts


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "rule_set", "parent", "is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [DepartmentInline]


class StaffRoleFormSet(BaseInlineFormSet):
    """三员分立: one account holds at most one of system administrator (or superuser), security
    administrator and security auditor (gongkai.organisation.roles.officer_conflicts)."""

    def clean(self):
        super().clean()
        roles = {
            Role(form.cleaned_data["role"])
            for form in self.forms
            if form.cleaned_data.get("role") and not form.cleaned_data.get("DELETE")
        }
        held = officer_conflicts(frozenset(roles), superuser=bool(self.instance.is_superuser))
        if held:
            names = "、".join("超级用户/系统管理员" if r is Role.ADMIN else r.label for r in held)
            raise ValidationError(f"三员分立：同一账号不能同时担任{names}。")


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    formset = StaffRoleFormSet
    extra = 1


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "agency", "department", "is_active"]
    list_filter = ["agency", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("机关与股室", {"fields": ("full_name", "agency", "department")}))
    inlines = [StaffRoleInline]
