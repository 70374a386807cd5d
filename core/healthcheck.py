"""`python -m core.healthcheck`: the web container's health check in production mode.

It asks /healthz on loopback the way the TLS proxy does (an allowed Host, `X-Forwarded-Proto:
https`), so neither ALLOWED_HOSTS (400) nor the HTTPS redirect (301) answers in its place;
docker-compose adds 127.0.0.1 to TRUSTED_PROXIES for it. Exit 0 only on a 200.
"""

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    hosts = [
        h.strip().lstrip("*").lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",")
    ]
    host = next((h for h in hosts if h), "localhost")
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - fixed URL
            return 0 if answer.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"healthz: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
