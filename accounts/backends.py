"""The authentication backends: local passwords (taking turns to hash) and the sessions
started by OpenID sign-in."""

import fcntl
import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class OidcSessionBackend(ModelBackend):
    """Loads the user of a session that single sign-on started (ModelBackend.get_user, which
    refuses inactive users). It authenticates nothing itself: sign-in happens in
    accounts.views.oidc_callback, so no password is ever checked here, even when local
    passwords are switched off."""

    def authenticate(self, request, **credentials):
        return None


class PasswordBackend(ModelBackend):
    """Django's password backend, with the password checks of this machine taking turns
    (`password_check_turn`): a rush of logins then waits for its hashes instead of taking
    every core from the requests of people already signed in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        with password_check_turn():
            return super().authenticate(request, username=username, password=password, **kwargs)


@contextmanager
def password_check_turn():
    """Hold one of the machine's PASSWORD_CHECKS_AT_ONCE turns while a password is hashed
    (a slow hash on purpose: about a third of a second of a core). The turns are exclusive
    locks on files, so they hold across gunicorn's processes and threads; the kernel drops a
    lock when its holder dies, so a crashed worker never keeps a turn."""
    turns = settings.PASSWORD_CHECKS_AT_ONCE
    folder = Path(settings.PASSWORD_CHECK_LOCKS)
    folder.mkdir(parents=True, exist_ok=True)
    handles = [open(folder / f"turn-{n}", "a+b") for n in range(turns)]  # noqa: SIM115
    try:
        held = next((h for h in handles if _try_lock(h)), None)
        if held is None:  # every turn taken: wait for one, spread over the turns
            held = handles[threading.get_ident() % turns]
            fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)
    finally:
        for handle in handles:
            handle.close()


def _try_lock(handle) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
