"""Reflecting-team sessions that have taken place, built through the area's own verbs.

The demo data (this area's and certification's) and the tests need sessions with a case,
reflections and a closing self-reflection; the one builder here runs the verbs in the order a
real session goes through them, so every rule and audit entry applies.
"""

from . import operations


def held_session(
    trainer,
    *,
    held_on,
    case_owner,
    members,
    method_slug,
    case,
    reflections=(),
    self_reflection=None,
    closed=True,
    title="",
):
    """Set up a session, describe its ``case``, reflect, close it and reflect on it; return it.

    ``case`` holds the keywords of ``submit_case`` (situation, firms, question);
    ``reflections`` lists (member, observations, hypotheses, ideas); ``self_reflection`` is
    (takeaways, next steps) of the case owner, recorded after closing (none: left open).
    No one is notified.
    """
    session = operations.create_session(
        trainer,
        held_on=held_on,
        case_owner=case_owner,
        members=members,
        method_slug=method_slug,
        title=title,
        notify=False,
    )
    operations.submit_case(session, case_owner, **case)
    for member, observations, hypotheses, ideas in reflections:
        operations.record_reflection(
            session, member, observations=observations, hypotheses=hypotheses, ideas=ideas
        )
    if closed:
        operations.close_session(session, trainer)
    if self_reflection is not None:
        takeaways, next_steps = self_reflection
        operations.record_self_reflection(
            session, case_owner, takeaways=takeaways, next_steps=next_steps
        )
    return session
