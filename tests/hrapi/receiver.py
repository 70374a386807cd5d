"""A webhook receiver on a loopback address of its own (127.0.0.2 unless told), recording
what it is sent. Tests allow only that address through WEBHOOK_ALLOWED_NETWORKS, so the rest
of 127.0.0.0/8 stays refused like any internal address."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RECEIVER_ADDRESS = "127.0.0.2"


class Receiver:
    def __init__(self, status=204, redirect_to=None, address=RECEIVER_ADDRESS, body=b""):
        self.requests, self.status, self.redirect_to, self.body = [], status, redirect_to, body
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                if receiver.redirect_to:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Length", str(len(receiver.body)))
                self.end_headers()
                self.wfile.write(receiver.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.port = self.server.server_port
        self.url = f"http://{address}:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
