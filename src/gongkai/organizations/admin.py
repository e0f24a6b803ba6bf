from django import forms
from django.contrib import admin

from .models import Membership, Organization, Unit, default_may_make_regulations
from .services import OFFICE_FIELDS


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
