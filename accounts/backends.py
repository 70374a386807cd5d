"""The authentication backend of sessions started by OpenID sign-in."""

from django.contrib.auth.backends import ModelBackend


class OidcSessionBackend(ModelBackend):
    """Loads the user of a session that single sign-on started (ModelBackend.get_user, which
    refuses inactive users). It authenticates nothing itself: sign-in happens in
    accounts.views.oidc_callback, so no password is ever checked here, even when local
    passwords are switched off."""

    def authenticate(self, request, **credentials):
        return None
