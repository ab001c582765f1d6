"""Demo data: the boards, an announcement, a solved question in the demo Klassenzimmer and an
exchange in the Lotsen-Community's board "Moderation"."""

import sqlalchemy as sa

from ..accounts.operations import find_user
from ..cohorts.models import Cohort
from ..cohorts.seed import NAME as DEMO_COHORT
from ..extensions import db
from .models import ANNOUNCEMENTS, BOARD, Post, Space, Thread
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
    _let_through(question, trainer)
    answer = reply(
        question,
        trainer,
        "Nutzen Sie die Vorlage aus Modul 3 und nennen Sie *ein* konkretes Thema.",
    )
    mark_solved(question, answer, lena)
    _seed_board(trainer)
    db.session.flush()
    echo(
        "Community: Ankündigung, eine gelöste Frage im Klassenzimmer und ein Austausch im "
        "Themenforum „Moderation“ der Lotsen-Community angelegt."
    )


def _seed_board(trainer):
    """The mentor asks the Lotsen-Community's board "Moderation", the trainer answers."""
    mentor = find_user("mentorin@lotse.example")
    board = db.session.scalar(
        sa.select(Space).where(Space.kind == BOARD, Space.name == "Moderation")
    )
    if mentor is None or board is None:
        return
    thread = create_thread(
        board,
        mentor,
        "Die erste Sitzung eines Experimentierraums",
        "Was hat bei Ihnen in der ersten Sitzung gut funktioniert? Bei mir: eine **kurze "
        "Vorstellungsrunde** und ein gemeinsames Ziel, das alle Betriebe sehen.",
    )
    _let_through(thread, trainer)
    reply(
        thread,
        trainer,
        "Bei uns: jeder Betrieb bringt *eine* offene Frage mit, die wir am Ende wieder aufgreifen.",
    )


def _let_through(thread, moderator):
    """Publish the opening post of ``thread`` if it waits for pre-moderation (a new member's)."""
    first = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id))
    if first.review:
        approve_post(first, moderator)
