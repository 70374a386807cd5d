"""Signing in with the organisation's OpenID provider: find the person the provider vouches
for, by its stable subject (issuer + `sub`) or, at the first sign-in only, by an e-mail the
provider marks verified (or an external-id claim, when one is configured). Sign-in never
creates a person: SCIM and HR provisioning own people. A deactivated or deprovisioned person
cannot sign in. A provisioned person's first sign-in gives them a login account (a User
without a password) linked through the audited people.services.person_link_user."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import OidcIdentity
from core.errors import DomainError
from people.models import Person
from people.services import person_link_user

SUBJECT_MAX = 255


class SignInRefused(DomainError):
    """The provider signed someone in whom Redefine will not let in (HTTP 403)."""

    status = 403
    code = "sign_in_refused"


def _verified(claims: dict) -> bool:
    # Only a verified address may find a person: anyone can type an unverified one.
    return claims.get("email_verified") is True or claims.get("email_verified") == "true"


def _candidates(claims: dict):
    people = Person.objects.filter(deprovisioned_at__isnull=True).select_related("user")
    claim = settings.OIDC_EXTERNAL_ID_CLAIM
    if claim and isinstance(claims.get(claim), str) and claims[claim]:
        return "external_id_claim", people.filter(external_id__iexact=claims[claim])
    email = claims.get("email")
    if isinstance(email, str) and email and _verified(claims):
        return "verified_email", people.filter(email__iexact=email)
    return None, Person.objects.none()


def _first_match(issuer: str, subject: str, claims: dict) -> OidcIdentity:
    how, found = _candidates(claims)
    people = list(found[:2])
    if len(people) != 1:
        raise SignInRefused(
            "Redefine has no person for this account yet." if not people else
            "More than one person in Redefine has this e-mail; HR must tell them apart.",
            code="unknown_person" if not people else "ambiguous_person",
        )  # fmt: skip
    person = people[0]
    if OidcIdentity.objects.filter(issuer=issuer, person=person).exists():
        raise SignInRefused(
            "This person already signs in with another account of this provider.",
            code="identity_conflict",
        )
    _check_active(person)
    try:
        with transaction.atomic():
            return OidcIdentity.objects.create(
                issuer=issuer,
                subject=subject,
                person=person,
                matched_by=how,
                email_at_link=str(claims.get("email", ""))[:254],
            )
    except IntegrityError:  # the same first sign-in in two tabs at once
        return OidcIdentity.objects.select_related("person__user").get(
            issuer=issuer, subject=subject
        )


def _check_active(person: Person) -> None:
    user = person.user
    if not person.active or person.deprovisioned_at or (user is not None and not user.is_active):
        raise SignInRefused("Your access to Redefine has been removed.", code="person_inactive")


def _login_for(person: Person) -> User:
    """The person's login account, made at their first sign-in (no password: SSO only)."""
    if person.user is not None:
        return person.user
    username = person.external_id[:150]
    if User.objects.filter(username__iexact=username).exists():
        username = f"{username[:140]}-{person.pk}"
    user = User(username=username, email=person.email)
    user.set_unusable_password()
    user.save()
    person_link_user(
        person=person, user=user, by=None, reason="first sign-in through OpenID Connect"
    )
    return user


@transaction.atomic
def oidc_sign_in(*, issuer: str, claims: dict) -> User:
    """The login account of the person the provider signed in, or SignInRefused."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not 0 < len(subject) <= SUBJECT_MAX:
        raise SignInRefused("The provider sent no usable subject.", code="no_subject")
    identity = (
        OidcIdentity.objects.select_for_update(of=("self",))
        .select_related("person__user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        identity = _first_match(issuer, subject, claims)
    person = identity.person
    _check_active(person)
    user = _login_for(person)
    OidcIdentity.objects.filter(pk=identity.pk).update(last_login_at=timezone.now())
    return user
