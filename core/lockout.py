"""Login lockouts (django-axes): per account from every address, per address across every
account, and per (account, address) pair, each with its own limit, and the page a locked-out
login sees."""

import unicodedata

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render

# The order of settings.AXES_LOCKOUT_PARAMETERS, named for the page and the limits.
ACCOUNT, ADDRESS, PAIR = "account", "address", "pair"
LOCKS = [ACCOUNT, ADDRESS, PAIR]


def limits() -> dict[str, int]:
    return {
        ACCOUNT: settings.LOGIN_FAILURES_PER_ACCOUNT,
        ADDRESS: settings.LOGIN_FAILURES_PER_ADDRESS,
        PAIR: settings.AXES_FAILURE_LIMIT,
    }


def attempted_username(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: one key per account however it is typed (`Carol`, ` carol`,
    fullwidth `ｃａｒｏｌ`), so spelling variants share the account's count."""
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username", "")
    return unicodedata.normalize("NFKC", str(raw)).strip().casefold()


def _failures(attempts_list) -> dict[str, int]:
    total = Sum("failures_since_start")
    counts = [qs.aggregate(n=total)["n"] or 0 for qs in attempts_list]
    return dict(zip(LOCKS, counts, strict=True))


class LoginAttemptsHandler(AxesDatabaseHandler):
    """Axes compares one number with AXES_FAILURE_LIMIT; each lock's count is scaled to that
    limit, so the account, the address and the pair each lock at their own limit."""

    def get_failures(self, request, credentials=None) -> int:
        counts = _failures(self.get_user_attempts(request, credentials))
        pair_limit, own = settings.AXES_FAILURE_LIMIT, limits()
        return max(counts[lock] * pair_limit // own[lock] for lock in LOCKS)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears that account's failures only. Axes would also clear every
        failure from the address, so an insider could guess at colleagues' passwords and wipe
        the address count by logging in as themselves between guesses."""
        username = attempted_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(username=username).delete()
        return deleted


def locks_in_force(request, credentials=None) -> list[str]:
    counts = _failures(LoginAttemptsHandler().get_user_attempts(request, credentials))
    return [lock for lock, limit in limits().items() if counts[lock] >= limit]


def locked_out_response(request, original_response=None, credentials=None):
    """429 with a plain explanation: what is locked (the account, the address or the pair),
    after how many failures, and for how long."""
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        "locks": locks_in_force(request, credentials) or [PAIR],
        "limits": limits(),
        "username": (credentials or {}).get("username") or request.POST.get("username", ""),
        "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)
