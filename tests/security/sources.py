"""A browser that connects from a chosen source address: any 127.x.y.z can open a connection
to the live server on 127.0.0.1, so per-address lockouts are tested with real addresses."""

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SourceBrowser:
    def __init__(self, live_server, source: str):
        url = urlsplit(live_server.url)
        self.host, self.port, self.source = url.hostname, url.port, source
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content

    def post_form(self, path: str, fields: dict, headers=None):
        _, page = self.request("GET", path, headers=headers)
        token = CSRF_INPUT.search(page)
        body = urlencode({**fields, "csrfmiddlewaretoken": token.group(1) if token else ""})
        form = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, body.encode(), form)

    def login(self, username: str, password: str, headers=None) -> int:
        status, _ = self.post_form(
            "/accounts/login/", {"username": username, "password": password}, headers
        )
        return status
