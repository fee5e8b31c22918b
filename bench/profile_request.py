"""Which part of a request costs what: cProfile over the app in one thread.

Runs in the project's venv against a loaded state directory. FastAPI runs sync
endpoints in a thread pool, which cProfile does not follow; here they run inline
(``run_in_threadpool`` replaced by a direct call, in this process only), so one
profile holds the whole request: middleware, routing, validation, the catalogue
(search, facets, highlights), serialisation and templates. The response cache is
off (``response_cache_mb=0``), or the profile would show cache hits; the app's
per-version caches (query plans, query runs, related approaches) stay on, as in
production. Requests go through httpx's ASGI transport (no sockets). Prints a
Markdown table of milliseconds per request per part, and writes the full profile
next to it. A part whose function no profile contains is named on stderr: the
code moved, and ``PARTS`` should follow it.

Usage: ``.venv/bin/python bench/profile_request.py STATE_DIR OUT_DIR URL [URL ...]``
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path
from typing import Any

import fastapi.dependencies.utils
import fastapi.routing
import httpx

from wijkwijzer.config import Settings
from wijkwijzer.web.app import create_app

# (label, end of the file name, "(function)") as cProfile names them; cumulative time.
PARTS = (
    ("catalogus: listing (alles)", "wijkwijzer/catalogue/service.py", "(listing)"),
    ("  tekst zoeken (SearchIndex.search)", "wijkwijzer/search/index.py", "(search)"),
    ("  pagina kiezen en ordenen (Versie.page)", "wijkwijzer/catalogue/version.py", "(page)"),
    ("  facetten (Versie.facet_counts)", "wijkwijzer/catalogue/version.py", "(facet_counts)"),
    (
        "  highlights (_highlights, één highlight_all)",
        "wijkwijzer/catalogue/service.py",
        "(_highlights)",
    ),
    ("    per veld (highlight_text)", "wijkwijzer/search/highlight.py", "(highlight_text)"),
    ("catalogus: get (detail)", "wijkwijzer/catalogue/service.py", "(get)"),
    ("  tekst van de aanpak (document_texts)", "wijkwijzer/search/schema.py", "(document_texts)"),
    ("  verwante aanpakken (SearchIndex.related)", "wijkwijzer/search/index.py", "(related)"),
    ("  samenvattingen (records.summary)", "wijkwijzer/catalogue/records.py", "(summary)"),
    ("catalogus: versie()", "wijkwijzer/catalogue/service.py", "(versie)"),
    ("ETag (etag)", "wijkwijzer/web/middleware/caching.py", "(etag)"),
    ("JSON: serialize_response", "fastapi/routing.py", "(serialize_response)"),
    ("HTML: TemplateResponse (Jinja2)", "templating.py", "(TemplateResponse)"),
)


async def inline(func: Any, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def main() -> int:
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    state, out = Path(sys.argv[1]), Path(sys.argv[2])
    urls = sys.argv[3:]
    out.mkdir(parents=True, exist_ok=True)
    fastapi.routing.run_in_threadpool = inline  # type: ignore[assignment]
    fastapi.dependencies.utils.run_in_threadpool = inline  # type: ignore[assignment]
    app = create_app(Settings(state_dir=state, response_cache_mb=0))
    rows = []
    found: set[str] = set()

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
        ):
            for url in urls:
                for _ in range(5):  # warm: searcher open, caches, templates compiled
                    response = await client.get(url)
                    assert response.status_code == 200, (url, response.status_code)
                n = 100
                profiler = cProfile.Profile()
                started = time.perf_counter()
                profiler.enable()
                for _ in range(n):
                    await client.get(url)
                profiler.disable()
                wall = (time.perf_counter() - started) / n * 1000
                name = url.strip("/").replace("/", "_").replace("?", "_")[:40] or "root"
                profiler.dump_stats(out / f"profile-{name}.prof")
                stats = pstats.Stats(profiler)
                parts = []
                for label, file_part, func_part in PARTS:
                    total, calls = 0.0, 0
                    entries = stats.stats.items()  # type: ignore[attr-defined]
                    for (file, _line, func), (primitive, _, _, cumulative, _) in entries:
                        matches = file.endswith(file_part) and f"({func})" == func_part
                        if matches and cumulative > total:
                            total, calls = cumulative, primitive
                    if total:
                        found.add(label)
                        parts.append((f"{label} ×{calls / n:g}", total / n * 1000))
                rows.append((url, wall, parts))

    asyncio.run(run())
    for label, file_part, func_part in PARTS:
        if label not in found:
            print(f"profiel: {file_part} {func_part} in geen enkel profiel", file=sys.stderr)
    print("| URL | ms per verzoek (onder cProfile) | deel | ms |")
    print("|---|---|---|---|")
    for url, wall, parts in rows:
        for i, (label, ms) in enumerate(parts):
            first = (f"`{url}`", f"{wall:.2f}") if i == 0 else ("", "")
            print(f"| {first[0]} | {first[1]} | {label} | {ms:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
