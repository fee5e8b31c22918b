"""How the store fails: the database cannot be reached, or its URL is no database URL."""


class DatabaseOnbereikbaar(RuntimeError):
    """The database cannot be reached (its server is down, its file cannot be opened, ...)."""


class OngeldigeDatabaseUrl(ValueError):
    """The database URL cannot be read, or names a database this application cannot use."""


def first_line(exc: BaseException) -> str:
    """The first line of `exc`'s message (a driver's message can run to several)."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
