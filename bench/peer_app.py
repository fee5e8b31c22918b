"""The peer as an ASGI app: Datasette over one immutable SQLite file.

Served by the same uvicorn command line as our app (one worker, no access log),
so the comparison is between the two applications, not two server setups:

    BENCH_PEER_DB=peer.db bench/.venv/bin/uvicorn peer_app:create_app --factory \
        --app-dir bench --workers 1 --no-access-log --port PORT

Immutable (``datasette -i``) is how Datasette is deployed for published, read-only
data (``datasette publish`` does the same); every setting is Datasette's default
unless ``BENCH_PEER_SETTINGS`` holds a JSON object of settings (the "tuned" peer
turns ``suggest_facets`` off).
"""

import json
import os

from datasette.app import Datasette


def create_app() -> object:
    settings = json.loads(os.environ.get("BENCH_PEER_SETTINGS") or "{}")
    return Datasette(immutables=[os.environ["BENCH_PEER_DB"]], settings=settings).app()
