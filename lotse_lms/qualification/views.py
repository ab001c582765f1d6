"""The path's states as the participant's dashboard steps and as the mentor's progress lines."""

from dataclasses import dataclass

from flask import url_for

from ..accounts.roles import Role
from ..core.dashboard import Step
from .state import DONE, path_of, requirements_by_key


def dashboard_steps(user):
    """The participant's path as dashboard steps (nothing for other roles)."""
    if not user.has_role(Role.PARTICIPANT):
        return []
    by_key = requirements_by_key()
    steps = []
    for state in path_of(user):
        req = by_key[state.key]
        detail = " · ".join(
            part for part in (state.progress, state.missing or state.source) if part
        )
        steps.append(
            Step(
                state.label,
                state.state,
                detail,
                url_for(req.endpoint) if req.endpoint else None,
                None if state.state == DONE or req.action is None else str(req.action),
                req.order,
                {"key": state.key, "state_label": state.state_label},
            )
        )
    return steps


@dataclass(frozen=True)
class ProgressLine:
    """One line of a mentee's progress as a mentor sees it."""

    key: str
    label: str
    state: str
    state_label: str
    value: str


def progress_lines(user):
    """The mentee's path as lines for the mentor's view: the same states and texts as the checklist."""
    lines = []
    for state in path_of(user):
        value = " · ".join(part for part in (state.progress, state.missing or state.source) if part)
        lines.append(ProgressLine(state.key, state.label, state.state, state.state_label, value))
    return lines
