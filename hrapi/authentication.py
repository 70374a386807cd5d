"""Bearer-token authentication for machine clients. `request.auth` is the ApiClient."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework import authentication, exceptions

from hrapi.models import ApiToken, hash_token

# Writing last_used_at on every request would make each GET a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send exactly: Authorization: Bearer <token>.")
        try:
            raw = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("The token is not valid.") from exc
        try:
            # get(), not first(): the hash is unique, and the ORDER BY that first() adds costs
            # a third of this lookup's time, on every API request.
            token = ApiToken.objects.select_related("client").get(
                token_hash=hash_token(raw), revoked_at__isnull=True, client__revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist as exc:
            raise exceptions.AuthenticationFailed("The token is not valid or was revoked.") from exc
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return AnonymousUser(), token.client

    def authenticate_header(self, request):
        return self.keyword
