"""Sign-in pages: the login page (local password and/or "Sign in with <provider>"), the
redirect to the OpenID provider, and the callback that signs the person in. Every failure
is a page that says what happened and what to do, never a 500."""

from __future__ import annotations

import logging

import requests
from authlib.integrations.base_client.errors import OAuthError
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from joserfc.errors import JoseError

from accounts import oidc
from accounts.services import SignInRefused, oidc_sign_in

logger = logging.getLogger(__name__)

NEXT_KEY = "oidc_next"
BACKEND = "accounts.backends.OidcSessionBackend"


class LoginView(auth_views.LoginView):
    """Django's login, showing the single sign-on button when it is on and refusing
    password posts when local passwords are switched off."""

    def post(self, request, *args, **kwargs):
        if not oidc.local_passwords():
            return HttpResponseForbidden("Passwords are switched off: sign in with SSO.")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso"] = oidc.enabled()
        context["sso_name"] = oidc.provider_name()
        context["local_passwords"] = oidc.local_passwords()
        return context


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _redirect_uri(request) -> str:
    return settings.OIDC_REDIRECT_URI or request.build_absolute_uri(reverse("oidc_callback"))


def _problem(request, kind: str, status: int, detail: str = ""):
    context = {"kind": kind, "detail": detail, "sso_name": oidc.provider_name()}
    return render(request, "accounts/sign_in_problem.html", context, status=status)


@require_GET
def oidc_login(request):
    """Send the browser to the provider with a fresh state, nonce and PKCE challenge."""
    if not oidc.enabled():
        raise Http404("Single sign-on is not configured.")
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next", ""))
    try:
        return oidc.client().authorize_redirect(request, _redirect_uri(request))
    except (requests.RequestException, ValueError, RuntimeError) as error:
        logger.warning("OpenID provider unreachable at sign-in: %s", error)
        return _problem(request, "unreachable", 502)


def _token(request) -> dict:
    token = oidc.client().authorize_access_token(request)
    if "userinfo" not in token:
        raise OAuthError(error="no_id_token", description="The provider sent no ID token.")
    return token


@require_GET
def oidc_callback(request):
    """Trade the code (with the PKCE verifier) for tokens, then sign the person in."""
    if not oidc.enabled():
        raise Http404("Single sign-on is not configured.")
    try:
        claims = dict(_token(request)["userinfo"])
    except OAuthError as error:
        logger.info("OpenID sign-in failed: %s", error)
        kind = "denied" if error.error == "access_denied" else "failed"
        return _problem(request, kind, 400, error.description or error.error or "")
    except JoseError as error:
        logger.warning("OpenID ID token refused: %s", error)
        return _problem(request, "failed", 400, "The provider's ID token did not check out.")
    except (requests.RequestException, ValueError, RuntimeError) as error:
        logger.warning("OpenID provider unreachable at callback: %s", error)
        return _problem(request, "unreachable", 502)
    try:
        user = oidc_sign_in(issuer=oidc.issuer_of(claims), claims=claims)
    except SignInRefused as refused:
        return _problem(request, refused.code, 403, refused.message)
    target = request.session.pop(NEXT_KEY, "")
    login(request, user, backend=BACKEND)
    return redirect(_safe_next(request, target))


def admin_login(request):
    """The admin's login: its own password form while local passwords are on, otherwise the
    sign-in page (with single sign-on), coming back to the admin afterwards."""
    if oidc.local_passwords():
        return admin.site.login(request)
    return redirect_to_login(request.GET.get("next", reverse("admin:index")), reverse("login"))
