from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .forms import AdminLoginForm
from .models import Membership, Organization, Unit, default_may_make_regulations
from .services import OFFICE_FIELDS, account_require_password_change

# The admin's log-in shows the same lock-out message as the back office's
# (the throttle itself is in the authentication backend).
admin.site.login_form = AdminLoginForm


class OrganizationAdminForm(forms.ModelForm):
    may_make_regulations = forms.NullBooleanField(
        label="有规章制定权",
        required=False,
        widget=forms.Select(choices=[("unknown", "按层级自动"), ("true", "有"), ("false", "无")]),
        help_text="省级、设区的市级人民政府可以制定规章（《立法法》第九十三条）。",
    )

    office_website = forms.URLField(label="网站", required=False, assume_scheme="https")

    class Meta:
        model = Organization
        # Structure (the superuser's) first, then the body's own office details.
        fields = ["name", "level", "parent", "may_make_regulations", "is_active", "slug"]
        fields += OFFICE_FIELDS

    def clean_may_make_regulations(self):
        value = self.cleaned_data.get("may_make_regulations")
        if value is None:
            return default_may_make_regulations(self.cleaned_data.get("level", ""))
        return value


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "level", "parent", "slug", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "short_name", "slug", "credit_code"]
    inlines = [UnitInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "unit"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin; an account opened here, or a password set here for
    someone else, must be changed by its owner at the next log-in."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and obj.has_usable_password():
            account_require_password_change(user=obj, acting_user=request.user)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        before = user.password if user is not None else None
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and user is not None and user.pk != request.user.pk:
            user.refresh_from_db(fields=["password"])
            if user.password != before and user.has_usable_password():
                account_require_password_change(user=user, acting_user=request.user)
        return response
