"""Admin for people and org units, with search and filters HR admins need.

A person's login is never a form field here: it changes only through `person_link_user`, on
its own page that asks for a reason, and lands in the person's history. Deactivating goes
through `person_deactivate`, which ends the login's sessions, and nobody deletes a person.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from core.admin import HistoryAdmin
from core.errors import DomainError
from people.models import OrgUnit, Person
from people.permissions import sees_everyone
from people.services import person_deactivate, person_link_user, person_reactivate


@admin.register(OrgUnit)
class OrgUnitAdmin(HistoryAdmin):
    list_display = ["name", "external_id", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "external_id"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]

    def has_delete_permission(self, request, obj=None):
        return False  # people and pilots point at org units: deactivate instead


class LinkLoginForm(forms.Form):
    username = forms.CharField(
        required=False,
        max_length=150,
        help_text="The login to link; leave empty to unlink the current one.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        if not name:
            return None
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError("No login with this username.")
        return user


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["full_name", "external_id", "email", "org_unit", "manager", "active", "user"]
    list_filter = ["active", "org_unit__kind", "org_unit"]
    search_fields = ["full_name", "external_id", "email"]
    list_select_related = ["org_unit", "manager", "user"]
    autocomplete_fields = ["org_unit", "manager"]
    exclude = ["user"]
    readonly_fields = ["login", "history_page", "deprovisioned_at"]

    def get_queryset(self, request):
        """The same people the pages and the API show this user (people.permissions), so
        the change list and every autocomplete of people follow one rule."""
        return super().get_queryset(request).visible_to(request.user)

    def get_search_fields(self, request):
        if sees_everyone(request.user):
            return self.search_fields
        return ["full_name", "external_id"]  # no probing of e-mails one may not read

    @admin.display(description="Login")
    def login(self, obj):
        if obj.pk is None:
            return "Link a login once the person is saved."
        url = reverse("admin:people_person_link_login", args=[obj.pk])
        name = obj.user.get_username() if obj.user_id else "none"
        return format_html('{} · <a href="{}">Change the login (asks for a reason)</a>', name, url)

    @admin.display(description="History")
    def history_page(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("people:history", args=[obj.external_id])
        return format_html('<a href="{}">Who changed what, when and why</a>', url)

    def get_urls(self):
        link = self.admin_site.admin_view(self.link_login)
        own = [path("<int:pk>/link-login/", link, name="people_person_link_login")]
        return own + super().get_urls()

    def link_login(self, request, pk):
        person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
        if not self.has_change_permission(request, person):
            raise PermissionDenied
        form = LinkLoginForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                person_link_user(
                    person=person,
                    user=form.cleaned_data["username"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, "The login changed; see the history.", messages.SUCCESS)
                return redirect("admin:people_person_change", person.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "person": person,
            "form": form,
            "title": f"Change the login of {person}",
        }
        return render(request, "admin/people/person/link_login.html", context)

    def save_model(self, request, obj, form, change):
        """One save, so one history record naming the admin; a change of `active` then goes
        through the services, which end or restore the login with it."""
        super().save_model(request, obj, form, change)
        if change and "active" in form.changed_data:
            (person_reactivate if obj.active else person_deactivate)(person=obj)

    def has_delete_permission(self, request, obj=None):
        return False  # pilots, baselines and history point at people: deactivate instead
