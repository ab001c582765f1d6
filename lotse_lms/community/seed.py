"""Demo data: the boards, an announcement, and a solved question in the demo Klassenzimmer."""

import sqlalchemy as sa

from ..accounts.operations import find_user
from ..cohorts.models import Cohort
from ..cohorts.seed import NAME as DEMO_COHORT
from ..extensions import db
from .models import ANNOUNCEMENTS, Post, Space, Thread
from .moderation import approve_post
from .operations import classroom_of, create_thread, ensure_defaults, mark_solved, reply


def seed_community(app, echo):
    """Create the community's demo threads once (when the demo people and cohort exist)."""
    ensure_defaults()
    if db.session.scalar(sa.select(Thread.id).limit(1)):
        return
    trainer = find_user("trainer@lotse.example")
    lena = find_user("teilnehmerin@lotse.example")
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == DEMO_COHORT))
    if trainer is None or lena is None or cohort is None:
        return
    news = db.session.scalar(sa.select(Space).where(Space.kind == ANNOUNCEMENTS))
    create_thread(
        news,
        trainer,
        "Willkommen in der Community",
        "Hier finden Sie **Ankündigungen**, Ihr Klassenzimmer und die Lotsen-Community.",
    )
    question = create_thread(
        classroom_of(cohort),
        lena,
        "Wie lade ich Betriebe zum Experimentierraum ein?",
        "Hat jemand eine Vorlage für die Einladung?",
    )
    first = db.session.scalar(sa.select(Post).where(Post.thread_id == question.id))
    if first.review:  # pre-moderation of new members: the trainer lets it through
        approve_post(first, trainer)
    answer = reply(
        question,
        trainer,
        "Nutzen Sie die Vorlage aus Modul 3 und nennen Sie *ein* konkretes Thema.",
    )
    mark_solved(question, answer, lena)
    db.session.flush()
    echo("Community: Ankündigung und eine gelöste Frage im Klassenzimmer angelegt.")
