"""The audit log reads as German sentences, not codes, and hides empty details."""

from lotse_lms.core import audit
from lotse_lms.extensions import db

from ..conftest import login


def test_the_audit_log_describes_actions_in_words(app, client, make_user):
    person = make_user("participant", name="Lena Lotsin")
    audit.record(
        "certification.revoked", ("Certificate", 7), subject=person, reason="Irrtum", missing=[]
    )
    audit.record("some.future_action", ("Thing", 1))
    db.session.commit()
    login(client, make_user("admin").email)
    page = client.get("/audit").get_data(as_text=True)
    assert "Zertifikat widerrufen" in page and "certification.revoked" not in page
    assert "Irrtum" in page and "missing" not in page
    assert "some.future_action" in page  # an action without a description shows its code
