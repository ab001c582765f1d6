"""``lotse-lms qualification show`` prints the same states and texts as the pages."""

from datetime import date

from lotse_lms.accounts import verification
from lotse_lms.extensions import db

PDF = b"%PDF-1.4\n%%EOF\n"


def test_show_prints_every_step_with_its_state(runner, make_user, staff):
    user = make_user("participant", name="Lena Lotsin")
    record, _stale = verification.submit_authorisation(user, "OM-1", date(2025, 3, 1), "n.pdf", PDF)
    verification.reject(record, staff, "Nummer unleserlich")
    db.session.commit()
    result = runner.invoke(args=["qualification", "show", user.email])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Autorisierung als OM-Beraterin / OM-Berater: abgelehnt")
    assert "Nummer unleserlich" in lines[0]
    assert any(line.startswith("Zertifikat: begonnen") for line in lines)
    missing = runner.invoke(args=["qualification", "show", "nobody@example.org"])
    assert missing.exit_code != 0 and "no account" in missing.output
