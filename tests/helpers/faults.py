"""Faults made by the database itself, for tests of what a failed load leaves behind."""

from sqlalchemy import Engine, text


def install_failing_trigger(engine: Engine, slug: str) -> None:
    """Make the database itself refuse one approach, halfway through a load."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    f"CREATE TRIGGER weiger BEFORE INSERT ON aanpak WHEN NEW.slug = '{slug}' "
                    "BEGIN SELECT RAISE(ABORT, 'geweigerd'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION weiger() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.slug = '{slug}' THEN RAISE EXCEPTION 'geweigerd'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER weiger BEFORE INSERT ON aanpak "
                    "FOR EACH ROW EXECUTE FUNCTION weiger()"
                )
            )
