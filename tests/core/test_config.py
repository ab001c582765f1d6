"""Configuration: defaults, instance file, environment; unknown keys refused."""

import stat

import pytest

from lotse_lms import create_app
from lotse_lms.config import ConfigError


def _app(tmp_path, environ=None, test_config=None):
    """An app with its own instance folder (no database access needed)."""
    base = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    base.update(test_config or {})
    return create_app(base, instance_path=tmp_path / "instance", environ=environ or {})


def test_environment_overrides_instance_file_and_types_are_kept(tmp_path):
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "lotse.toml").write_text(
        'ALLOW_REGISTRATION = false\nMAIL_PORT = 2525\nREGIONS = ["Saarland"]\n', encoding="utf-8"
    )
    app = _app(tmp_path, environ={"LOTSE_MAIL_PORT": "587", "LOTSE_MAIL_USE_TLS": "yes"})
    assert app.config["ALLOW_REGISTRATION"] is False
    assert app.config["MAIL_PORT"] == 587
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["REGIONS"] == ["Saarland"]


def test_regions_from_environment_as_comma_list(tmp_path):
    app = _app(tmp_path, environ={"LOTSE_REGIONS": "Rhein-Ruhr, Saarland"})
    assert app.config["REGIONS"] == ["Rhein-Ruhr", "Saarland"]


def test_unknown_environment_key_is_refused_with_its_name(tmp_path):
    with pytest.raises(ConfigError, match="LOTSE_\\*\\): MAIL_SERVR"):
        _app(tmp_path, environ={"LOTSE_MAIL_SERVR": "smtp.example.org"})


def test_unknown_instance_key_is_refused(tmp_path):
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "lotse.toml").write_text('DATABSE_URL = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="DATABSE_URL"):
        _app(tmp_path)


def test_bad_value_type_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="LOTSE_MAIL_PORT must be a whole number"):
        _app(tmp_path, environ={"LOTSE_MAIL_PORT": "fünfundzwanzig"})


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = _app(tmp_path)
    second = _app(tmp_path)
    key_file = tmp_path / "instance" / "secret_key"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert len(first.config["SECRET_KEY"]) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_default_database_and_data_dir_live_in_the_instance_folder(tmp_path):
    app = create_app(None, instance_path=tmp_path / "inst", environ={})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'inst' / 'lotse.db'}"
    assert app.config["DATA_DIR"] == str(tmp_path / "inst" / "data")


def test_postgres_urls_use_psycopg3(tmp_path):
    app = _app(tmp_path, test_config={"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_the_sender_comes_from_base_url_and_a_local_one_never_sends_real_mail(tmp_path):
    public = {"BASE_URL": "https://lms.example.org", "CONTENT_BASE_URL": "https://c.example.net"}
    app = _app(tmp_path, test_config=public)
    assert app.config["MAIL_SENDER"] == "OM-Lotsen-Qualifizierung <noreply@lms.example.org>"
    with pytest.raises(ConfigError, match="MAIL_SENDER"):
        _app(
            tmp_path,
            environ={"LOTSE_MAIL_SERVER": "smtp.example.org"},
            test_config={"MAIL_SENDER": "Lotse <noreply@localhost>"},
        )
    with pytest.raises(ConfigError, match="MAIL_SENDER"):
        _app(tmp_path, environ={"LOTSE_MAIL_SERVER": "smtp.example.org"})  # 127.0.0.1 derived
    sending = _app(
        tmp_path,
        environ={"LOTSE_MAIL_SERVER": "smtp.example.org"},
        test_config={**public, "MAIL_SENDER": "Lotse <lotse@om.example>"},
    )
    assert sending.config["MAIL_SENDER"] == "Lotse <lotse@om.example>"
