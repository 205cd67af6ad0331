from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from gongkai.core.client import client_address
from gongkai.core.roles import Role, officer_conflicts
from gongkai.organisation import services
from gongkai.organisation.guide import missing_guide_elements
from gongkai.organisation.models import Agency, Department, StaffRole, User


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "rule_set", "parent", "is_active", "guide_elements"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [DepartmentInline]

    @admin.display(description="公开指南要素")
    def guide_elements(self, obj: Agency) -> str:
        missing = missing_guide_elements(obj)
        return f"缺少：{'、'.join(missing)}" if missing else "齐全"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The 政府信息公开指南 is generated from these settings: say which elements it still lacks.
        if request.method == "GET":
            agency = self.get_object(request, unquote(object_id))
            if agency is not None and (missing := missing_guide_elements(agency)):
                self.message_user(
                    request,
                    f"本机关的政府信息公开指南缺少以下要素，公众页面将不显示：{'、'.join(missing)}。",
                    messages.WARNING,
                )
        return super().change_view(request, object_id, form_url, extra_context)


class StaffRoleFormSet(BaseInlineFormSet):
    """三员分立: one account holds at most one of system administrator (or superuser), security
    administrator and security auditor (gongkai.core.roles.officer_conflicts)."""

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
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("机关与股室", {"fields": ("full_name", "agency", "department")}),
    )
    inlines = [StaffRoleInline]
    actions = ["unlock_signin"]

    # Role and flag changes, password changes and unlocks are audited (gongkai.organisation.services).
    def save_model(self, request, obj, form, change):
        # The form has already put the new flags on obj: read the stored account.
        stored = User.objects.get(pk=obj.pk) if change else User()
        obj._account_before = services.account_snapshot(stored)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        services.roles_change_record(
            actor=request.user,
            user=user,
            before=getattr(user, "_account_before", services.account_snapshot(User())),
            after=services.account_snapshot(user),
            address=client_address(request),
        )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            if user is not None:  # the password was just changed: the account exists
                services.password_change_record(
                    actor=request.user, user=user, address=client_address(request)
                )
        return response

    @admin.action(description="解除所选账号的登录锁定（记入留痕）", permissions=["change"])
    def unlock_signin(self, request, queryset):
        address = client_address(request)
        for user in queryset:
            services.signin_unlock(actor=request.user, address=address, username=user.username)
        self.message_user(request, f"已解除 {len(queryset)} 个账号的登录锁定。")
