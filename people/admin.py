"""Admin for people and org units, with search and filters HR admins need."""

from django.contrib import admin

from people.models import OrgUnit, Person


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "external_id", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "external_id"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "external_id", "email", "org_unit", "manager", "active", "user"]
    list_filter = ["active", "org_unit__kind", "org_unit"]
    search_fields = ["full_name", "external_id", "email"]
    list_select_related = ["org_unit", "manager", "user"]
    autocomplete_fields = ["org_unit", "manager", "user"]
