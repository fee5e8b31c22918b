"""The peer as an ASGI app: Datasette over one immutable SQLite file.

Served by the same uvicorn command line as our app (one worker, no access log),
so the comparison is between the two applications, not two server setups:

    BENCH_PEER_DB=peer.db bench/.venv/bin/uvicorn peer_app:create_app --factory \
        --app-dir bench --workers 1 --no-access-log --port PORT

Immutable (``datasette -i``) is how Datasette is deployed for published, read-only
data (``datasette publish`` does the same); every other setting is Datasette's default.
"""

import os

from datasette.app import Datasette


def create_app() -> object:
    return Datasette(immutables=[os.environ["BENCH_PEER_DB"]]).app()
