"""Sign-in identities: the identity provider's stable subject linked to a person."""

from django.db import models

from people.models import Person


class OidcIdentity(models.Model):
    """The OpenID provider's subject (`sub`, unique per issuer) for one person. Stored at the
    person's first sign-in; afterwards sign-in matches on it alone, never on e-mail."""

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="oidc_identities")
    # How the first sign-in found the person, for an audit of who linked whom and why.
    matched_by = models.CharField(max_length=32, default="verified_email")
    email_at_link = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issuer", "subject"]
        verbose_name = "OpenID identity"
        verbose_name_plural = "OpenID identities"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_subject_once"),
            models.UniqueConstraint(fields=["issuer", "person"], name="oidc_one_subject_each"),
        ]

    def __str__(self):
        return f"{self.person} at {self.issuer}"
