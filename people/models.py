"""People and the organisation tree, both keyed by the HR system's external_id."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from tree_queries.query import TreeQuerySet

from core.history import History


class OrgUnitKind(models.TextChoices):
    DIVISION = "division", "Division"
    DEPARTMENT = "department", "Department"
    TEAM = "team", "Team"
    OTHER = "other", "Other"


PATH_SEPARATOR = " › "


class OrgUnitQuerySet(TreeQuerySet):
    """The org tree through django-tree-queries (`with_tree_fields()`, `ancestors()`): the
    `parent` key is the tree's edge, so no column is added."""

    def visible_to(self, user):
        """The organisation tree is not secret: every logged-in person may read it."""
        return self if user.is_authenticated else self.none()

    def with_parent(self):
        return self.select_related("parent")

    def with_paths(self):
        """In tree order, each unit with `path` ("Claims › Claims team 1"), in this one query
        (the recursive query collects the names along the way)."""
        return self.order_by().with_tree_fields().tree_fields(tree_names="name")


class OrgUnit(models.Model):
    external_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrgUnitKind.choices, default=OrgUnitKind.OTHER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = History()

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="org_unit_not_own_parent"
            ),
            # HR systems and identity providers disagree on case: E00001 and e00001 are one key.
            models.UniqueConstraint(Lower("external_id"), name="org_unit_external_id_ci_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def path(self) -> str:
        """The unit's path from its root; read from `with_paths()`, else its name alone."""
        names = getattr(self, "tree_names", None)
        return PATH_SEPARATOR.join(names) if names else self.name


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def visible_to(self, user):
        """The people the user may read, on a need-to-know basis (people.permissions)."""
        from people.permissions import visible_people

        return visible_people(self, user)

    def provisioned(self):
        """People SCIM may address: not deleted by an identity system."""
        return self.filter(deprovisioned_at__isnull=True)

    def with_relations(self):
        return self.select_related("org_unit", "manager", "user")


class Person(models.Model):
    """An employee. Never deleted by HR feeds: deactivation keeps pilots, metrics and history."""

    external_id = models.CharField(max_length=64, unique=True)
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    active = models.BooleanField(default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Set when an identity system deletes the person over SCIM: they are deactivated, kept
    # for history, and SCIM answers 404 for them (RFC 7644 §3.6) until re-provisioned.
    deprovisioned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = History()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name_plural = "people"
        permissions = [("manage_people", "Manage people, metric definitions and API clients")]
        indexes = [
            models.Index(Lower("email"), name="person_email_lower_idx"),
            # The default and the API's `?ordering=` keys: a page, not a sort of the table.
            models.Index(fields=["full_name", "id"], name="person_name_order_idx"),
            models.Index(fields=["updated_at", "id"], name="person_updated_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("id")), name="person_not_own_manager"
            ),
            models.UniqueConstraint(Lower("external_id"), name="person_external_id_ci_unique"),
        ]

    def __str__(self):
        return self.full_name


class Invitation(models.Model):
    """An HR admin invited a person to log in: one e-mail with a one-time set-password link,
    sent by a task that claims the row first (`sent_at`), so a repeated delivery sends none."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Invitation of {self.person}"
