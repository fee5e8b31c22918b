"""HTTP/1.1 over a plain socket: requests no HTTP client library would send (two Host headers,
none at all), and the answer as status, headers and body."""

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class RawAnswer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name.lower()), None)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def raw_get(server_url: str, path: str, *header_lines: str, timeout: float = 30) -> RawAnswer:
    """Send ``GET path`` with exactly `header_lines` (and ``Connection: close``) to the server."""
    parts = urlsplit(server_url)
    assert parts.hostname is not None
    assert parts.port is not None
    head = [f"GET {path} HTTP/1.1", *header_lines, "Connection: close"]
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        received = bytearray()
        while chunk := sock.recv(65536):
            received += chunk
    head_bytes, _, body = bytes(received).partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = [
        (name.strip().lower(), value.strip())
        for name, _, value in (line.partition(":") for line in lines[1:])
    ]
    if dict(headers).get("transfer-encoding") == "chunked":
        body = _unchunk(body)
    return RawAnswer(status, headers, body)


def _unchunk(data: bytes) -> bytes:
    out = bytearray()
    while True:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += rest[:size]
        data = rest[size + 2 :]
