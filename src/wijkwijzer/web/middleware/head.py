"""Answer HEAD like GET without the body (link checkers and monitors use it)."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def without_body(send: Send) -> Send:
    """`send`, with the response's body replaced by a single empty one."""
    body_sent = False

    async def headers_only(message: Message) -> None:
        nonlocal body_sent
        if message["type"] == "http.response.body":
            if body_sent:
                return
            body_sent = True
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return headers_only


class HeadAsGet:
    """Route a HEAD request as GET and send the response's headers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        await self.app({**scope, "method": "GET"}, receive, without_body(send))
