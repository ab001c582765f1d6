"""Two foundation members issuing for the same Lotse at the same moment get one certificate."""

import threading

import pytest

from lotse_lms.accounts.models import User
from lotse_lms.certification import operations
from lotse_lms.certification.errors import CertificationError
from lotse_lms.certification.models import Certificate
from lotse_lms.extensions import db

from .conftest import BASIC_RULES


@pytest.mark.config(CERT_RULES=BASIC_RULES)
def test_simultaneous_issuing_yields_one_certificate(app, lotse, staff, make_user):
    user_id = lotse().id
    actors = [staff.id, make_user("foundation", name="Frida Stiftung").id]
    db.session.remove()
    barrier = threading.Barrier(len(actors))
    outcomes = []

    def work(actor_id):
        """Issue in a thread of its own, like a second request."""
        with app.app_context():
            barrier.wait()
            try:
                operations.issue(db.session.get(User, user_id), db.session.get(User, actor_id))
                db.session.commit()
                outcomes.append("issued")
            except CertificationError as exc:
                db.session.rollback()
                outcomes.append(exc.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(a,)) for a in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes)[-1] == "issued" and outcomes.count("issued") == 1, outcomes
    assert "bereits ein gültiges Zertifikat" in [o for o in outcomes if o != "issued"][0]
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 1
