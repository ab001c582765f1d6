"""The Lotse's feedback portfolio as a PDF: mentoring feedback, cases, reflections, self-reflections."""

import io
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from ..core import pdffonts
from ..core.timeutil import BERLIN, utcnow
from . import queries
from .pdfmarkdown import markdown_flowables


def _styles():
    """Paragraph styles of the portfolio."""
    font = pdffonts.register()
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, spaceAfter=4)
    return {
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontSize=20,
            leading=24,
            spaceAfter=6,
            textColor=colors.HexColor("#0b5394"),
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontSize=15,
            leading=19,
            spaceBefore=12,
            spaceAfter=6,
            textColor=colors.HexColor("#0b5394"),
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4
        ),
        "label": ParagraphStyle(
            "label",
            parent=body,
            fontSize=10,
            spaceBefore=4,
            spaceAfter=2,
            textColor=colors.HexColor("#4d5968"),
        ),
        "meta": ParagraphStyle(
            "meta", parent=body, fontSize=9, textColor=colors.HexColor("#4d5968")
        ),
        "body": body,
        "heading": ParagraphStyle("heading", parent=body, spaceBefore=4),
        "bullet": ParagraphStyle(
            "bullet", parent=body, leftIndent=14, bulletIndent=2, spaceAfter=2, bulletFontName=font
        ),
        "code": ParagraphStyle(
            "code",
            parent=body,
            fontName=pdffonts.MONO,
            fontSize=9,
            leading=12,
            leftIndent=8,
            backColor=colors.HexColor("#f0f2f5"),
        ),
    }


def _day(value):
    """A date (or the Berlin day of a timestamp) as dd.mm.yyyy."""
    if value is None:
        return "–"
    if hasattr(value, "astimezone") and hasattr(value, "hour"):
        value = value.astimezone(BERLIN)
    return value.strftime("%d.%m.%Y")


def register_shared_feedback(app, entries_shared_with):
    """Put mentoring feedback into the portfolio: ``entries_shared_with(user)`` lists the
    entries shared with ``user`` (the mentoring area registers it in its ``init_app``)."""
    app.extensions["lotse_portfolio_feedback"] = entries_shared_with


def shared_mentoring_entries(user):
    """Mentor feedback shared with ``user``, or None while no area provides it."""
    entries_shared_with = current_app.extensions.get("lotse_portfolio_feedback")
    return None if entries_shared_with is None else list(entries_shared_with(user))


def _text(label, markdown, styles):
    """A labelled Markdown block (nothing if the text is empty)."""
    if not (markdown or "").strip():
        return []
    return [
        Paragraph(f"<b>{escape(label)}</b>", styles["label"]),
        *markdown_flowables(markdown, styles),
    ]


def _amendments(items, styles):
    """Amendments below a locked text."""
    flow = []
    for item in items:
        flow.append(
            Paragraph(
                escape(
                    _(
                        "Nachtrag von %(name)s, %(day)s",
                        name=item.author.name,
                        day=_day(item.created_at),
                    )
                ),
                styles["label"],
            )
        )
        flow.extend(markdown_flowables(item.body, styles))
    return flow


def _mentoring_section(entries, styles):
    """Mentor feedback entries with their replies."""
    flow = [Paragraph(escape(_("Rückmeldungen aus dem Mentoring")), styles["h1"])]
    if not entries:
        flow.append(
            Paragraph(
                escape(_("Es wurden noch keine Rückmeldungen mit Ihnen geteilt.")), styles["body"]
            )
        )
        return flow
    for entry in entries:
        occasion = getattr(entry, "occasion_label", None) or getattr(entry, "occasion", "") or ""
        mentor = getattr(getattr(entry, "mentor", None), "name", "")
        head = f"{_day(entry.occurred_on)} · {occasion}".strip(" ·")
        flow.append(Paragraph(escape(head), styles["h2"]))
        flow.append(
            Paragraph(escape(_("Mentorin / Mentor: %(name)s", name=mentor)), styles["meta"])
        )
        flow += _text(_("Beobachtungen"), entry.observations, styles)
        flow += _text(_("Nächste Schritte"), entry.next_steps, styles)
        for reply in getattr(entry, "replies", None) or []:
            flow += _text(
                _(
                    "Antwort von %(name)s, %(day)s",
                    name=reply.author.name,
                    day=_day(reply.created_at),
                ),
                reply.body,
                styles,
            )
    return flow


def _case_section(sessions, styles):
    """The Lotse's cases with the team's reflections and the closing self-reflections."""
    flow = [Paragraph(escape(_("Ihre Fälle im Reflecting Team")), styles["h1"])]
    shown = [s for s in sessions if s.case is not None]
    if not shown:
        flow.append(Paragraph(escape(_("Sie haben noch keinen Fall eingebracht.")), styles["body"]))
    for session in shown:
        amendments = queries.amendments_of(session)
        case = session.case
        flow.append(Paragraph(escape(f"{_day(session.held_on)} · {session.title}"), styles["h2"]))
        flow.append(
            Paragraph(
                escape(
                    _(
                        "Methode: %(method)s · Moderation: %(trainer)s · Status: %(state)s",
                        method=session.method_title,
                        trainer=session.trainer.name,
                        state=_("abgeschlossen") if session.closed else _("offen"),
                    )
                ),
                styles["meta"],
            )
        )
        flow += _text(_("Situation"), case.situation, styles)
        flow += _text(_("Beteiligte Betriebe"), case.firms, styles)
        flow += _text(_("Frage an das Team"), case.question, styles)
        flow += _amendments(amendments.get(("case", case.id), []), styles)
        for reflection in session.reflections:
            flow.append(
                Paragraph(
                    escape(_("Reflexion von %(name)s", name=reflection.author.name)), styles["h2"]
                )
            )
            flow += _text(_("Beobachtungen"), reflection.observations, styles)
            flow += _text(_("Hypothesen"), reflection.hypotheses, styles)
            flow += _text(_("Ideen und Anregungen"), reflection.ideas, styles)
            flow += _amendments(amendments.get(("reflection", reflection.id), []), styles)
        own = session.self_reflection
        if own is not None:
            flow.append(Paragraph(escape(_("Ihre Selbstreflexion")), styles["h2"]))
            flow += _text(_("Was nehme ich mit?"), own.takeaways, styles)
            flow += _text(_("Was werde ich ausprobieren?"), own.next_steps, styles)
            flow += _amendments(amendments.get(("self_reflection", own.id), []), styles)
    return flow


def _summary(user, styles):
    """Participation counts as certification sees them, and the sessions behind them."""
    counts = queries.participation(user)
    line = _(
        "Als fallgebende Person: %(a)d von %(b)d · Als Teammitglied: %(c)d von %(d)d",
        # towards what is needed (the sessions below show them all)
        a=min(counts["as_case_owner"], counts["required_as_case_owner"]),
        b=counts["required_as_case_owner"],
        c=min(counts["as_member"], counts["required_as_member"]),
        d=counts["required_as_member"],
    )
    flow = [
        Paragraph(escape(_("Mitwirkung im Reflecting Team")), styles["h1"]),
        Paragraph(escape(line), styles["body"]),
    ]
    roles = {"case_owner": _("fallgebend"), "member": _("Teammitglied")}
    for row in counts["sessions"]:
        state = _("zählt") if row["counts"] else _("zählt noch nicht")
        flow.append(
            Paragraph(
                escape(f"{_day(row['held_on'])} · {row['title']} · {roles[row['role']]} · {state}"),
                styles["bullet"],
                bulletText="•",
            )
        )
    return flow


def build_portfolio(user, now=None):
    """Return the portfolio of ``user`` as PDF bytes (A4, German)."""
    styles = _styles()
    now = now or utcnow()
    title = _("Feedback-Portfolio")
    buffer = io.BytesIO()

    def footer(canvas, doc):
        """Name and page number at the foot of every page."""
        canvas.saveState()
        canvas.setFont(styles["meta"].fontName, 8)
        canvas.setFillColor(colors.HexColor("#4d5968"))
        canvas.drawString(20 * mm, 12 * mm, f"{title} · {user.name} · {_day(now)}")
        canvas.drawRightString(190 * mm, 12 * mm, _("Seite %(n)d", n=doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=f"{title} – {user.name}",
        author=user.name,
        creator="lotse_lms",
        lang="de",
    )
    flow = [
        Paragraph(escape(title), styles["title"]),
        KeepTogether(
            [
                Paragraph(escape(user.name), styles["h2"]),
                Paragraph(
                    escape(" · ".join(x for x in (user.organisation, user.region) if x)),
                    styles["meta"],
                ),
                Paragraph(escape(_("Erstellt am %(day)s", day=_day(now))), styles["meta"]),
            ]
        ),
        Spacer(1, 6),
        Paragraph(
            escape(
                _(
                    "Vertraulich: Dieses Portfolio enthält Rückmeldungen zu Ihrer Arbeit als "
                    "OM-Lotsin / OM-Lotse. Geben Sie es nur bewusst weiter."
                )
            ),
            styles["meta"],
        ),
    ]
    entries = shared_mentoring_entries(user)
    if entries is not None:
        flow += _mentoring_section(entries, styles)
    flow += _case_section(
        list(reversed(queries.sessions_as_case_owner(user))), styles
    )  # oldest first
    flow += _summary(user, styles)
    doc.build(flow, onFirstPage=footer, onLaterPages=footer, canvasmaker=pdffonts.Canvas)
    return buffer.getvalue()
