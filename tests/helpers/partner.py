"""A partner site: one small HTML page served from its own port, so from another origin.

``127.0.0.1:A`` and ``127.0.0.1:B`` are different origins to a browser, so a page from
here that frames the catalogue is framed exactly as another site would frame it.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.helpers.pgserver import free_port


@contextmanager
def partner_site(page: str) -> Iterator[str]:
    """Serve `page` (HTML) at ``/`` on a free loopback port; yield the site's URL."""
    body = page.encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body) if self.path == "/" else 0))
            self.end_headers()
            if self.path == "/":
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test says what went wrong."""

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, name="partner", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
