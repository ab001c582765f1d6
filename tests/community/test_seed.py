"""The demo data has an announcement, a solved question in the demo Klassenzimmer and an
exchange in a board of the Lotsen-Community."""

import pytest
import sqlalchemy as sa

from lotse_lms.community.models import Thread
from lotse_lms.extensions import db


@pytest.mark.config(COMMUNITY_PREMODERATE_POSTS=2)  # the default: the trainer approves
def test_seed_demo_adds_an_announcement_and_a_solved_question_once(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Community: Ankündigung, eine gelöste Frage im Klassenzimmer und ein Austausch" in (
        first.output
    )
    threads = db.session.scalars(sa.select(Thread).order_by(Thread.id)).all()
    assert [t.space.kind for t in threads] == ["announcements", "classroom", "board"]
    assert threads[1].solved_post_id is not None and not threads[1].pending
    assert threads[2].space.name == "Moderation" and threads[2].post_count == 2
    assert not threads[2].pending
    again = runner.invoke(args=["seed-demo"])
    assert "Community" not in again.output
