"""Security test fixtures. Production mode runs in a child process: settings are read once at
import, so `DEBUG=false` can only be tested honestly in a fresh interpreter."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

# The webhook receiver, for the tests of one-time and stored secrets.
from tests.hrapi.conftest import _receiver_network_allowed, receiver  # noqa: F401

# The matrix's cast, reused by the fuzzer and the CSV tests.
from tests.matrix.conftest import cast  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
# The test process's own settings must not leak into "production" (the async flag is set by
# tests/conftest.py for Playwright and is itself a deploy-check error).
PRIVATE_TO_TESTS = {
    "SECRET_KEY",
    "WEBHOOK_SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def random_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


@pytest.fixture
def run_production():
    """Factory: run a Python snippet or manage.py command with DEBUG=false and the given env."""

    def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
        child_env = {k: v for k, v in os.environ.items() if k not in PRIVATE_TO_TESTS}
        child_env.update({"DEBUG": "false", **env})
        return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, *args],
            cwd=ROOT,
            env=child_env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def pytest_terminal_summary(terminalreporter):
    from tests.security.test_form_fuzzing import FUZZED

    if FUZZED:
        terminalreporter.write_line(
            f"form fuzzing: {sum(FUZZED.values())} examples on {len(FUZZED)} forms, "
            "0 server errors (a server error fails the run)"
        )
