"""Password checks take turns across the machine, so a rush of logins cannot take every core
from the people already signed in: at most PASSWORD_CHECKS_AT_ONCE hash at a time, in this
process or another, and everyone else waits for a turn rather than being refused."""

import subprocess
import sys
import threading
import time

import pytest
from django.contrib.auth.models import User

from accounts.backends import password_check_turn


def _hash_at_once(threads: int) -> tuple[int, int]:
    """Start `threads` checks together; return (the most that ran at once, how many ran)."""
    lock, inside, most, done = threading.Lock(), [0], [0], [0]

    def check():
        with password_check_turn():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.05)
            with lock:
                inside[0] -= 1
                done[0] += 1

    workers = [threading.Thread(target=check) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=10)
    return most[0], done[0]


@pytest.fixture
def turns(settings, tmp_path):
    settings.PASSWORD_CHECK_LOCKS = str(tmp_path / "locks")
    return settings


def test_with_one_turn_the_checks_run_one_after_the_other_and_all_of_them_run(turns):
    turns.PASSWORD_CHECKS_AT_ONCE = 1
    assert _hash_at_once(4) == (1, 4)


def test_with_two_turns_two_checks_run_at_once(turns):
    turns.PASSWORD_CHECKS_AT_ONCE = 2
    most, done = _hash_at_once(6)
    assert (most, done) == (2, 6)


def test_a_turn_held_by_another_process_makes_this_one_wait(turns):
    turns.PASSWORD_CHECKS_AT_ONCE = 1
    with password_check_turn():
        pass  # creates the lock file
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter, a fixed script
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'a+b'); "
            "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(0.6)",
            f"{turns.PASSWORD_CHECK_LOCKS}/turn-0",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with password_check_turn():
            waited = time.monotonic() - started
    finally:
        holder.wait(timeout=10)
    assert waited > 0.3


@pytest.mark.django_db
def test_signing_in_with_a_password_still_works_through_the_turns(client, turns):
    turns.PASSWORD_CHECKS_AT_ONCE = 1
    User.objects.create_user(username="zoe", password="a-long-pass-phrase-42")
    response = client.post(
        "/accounts/login/", {"username": "zoe", "password": "a-long-pass-phrase-42"}
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")
