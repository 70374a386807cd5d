"""The session engine (SESSION_ENGINE = "core.sessions"): Django's database sessions, stored
in core.UserSession with the id of the user logged in, and the one way to end them all."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from core.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = int(user_id) if str(user_id).isdigit() else None
        return session


def sessions_end_for(*, user_id: int) -> int:
    """Delete every session of this user: their next request, from any browser, is anonymous.
    Returns how many sessions there were."""
    from core.models import UserSession

    deleted, _ = UserSession.objects.filter(user_id=user_id).delete()
    return deleted
