"""Shared test helpers: settings, corpora, servers (PostgreSQL, uvicorn), the browser."""
