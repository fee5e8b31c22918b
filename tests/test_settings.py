"""Settings: environment prefix, derived defaults, and every field documented in the README."""

from datetime import date
from pathlib import Path

import pytest

from wijkwijzer.config import Settings, normalise_database_url

README = Path(__file__).parent.parent / "README.md"


def test_every_setting_is_documented_in_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`WIJKWIJZER_{name.upper()}`" in readme, name


def test_defaults_derive_from_state_dir(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'wijkwijzer.db'}"
    assert settings.index_path == tmp_path / "index"


def test_peildatum_fixes_the_reference_date(tmp_path: Path) -> None:
    assert Settings(state_dir=tmp_path, peildatum="2030-01-02").today() == date(2030, 1, 2)
    assert Settings(state_dir=tmp_path).today() == date.today()


def test_environment_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKWIJZER_DATABASE_URL", "postgres://u@localhost/db")
    monkeypatch.setenv("WIJKWIJZER_INDEX_DIR", str(tmp_path / "idx"))
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://u@localhost/db"
    assert settings.index_path == tmp_path / "idx"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://a@h/d", "postgresql+psycopg://a@h/d"),
        ("postgresql://a@h/d", "postgresql+psycopg://a@h/d"),
        ("postgresql+psycopg://a@h/d", "postgresql+psycopg://a@h/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_use_psycopg3(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected


def test_public_url_and_allowed_hosts_are_checked(tmp_path: Path) -> None:
    settings = Settings(
        state_dir=tmp_path,
        public_url=" https://WijkWijzer.example/sub/ ",
        allowed_hosts="A.example, *.b.example:8443,[::1]:8000",
    )
    assert settings.public_url == "https://WijkWijzer.example/sub"
    assert settings.allowed_hosts == "a.example,*.b.example:8443,[::1]:8000"
    for bad in (
        "wijkwijzer.example",
        "ftp://a",
        "https://a/?x=1",
        "https://a:poort",
        "https://u@a",
    ):
        with pytest.raises(ValueError, match=r"openbaar adres|poort|geen"):
            Settings(state_dir=tmp_path, public_url=bad)
    for bad in ("a b", "a.*", "evil.example/x", "a:99999", "a:"):
        with pytest.raises(ValueError, match="is geen host"):
            Settings(state_dir=tmp_path, allowed_hosts=bad)
