"""The qualification path: one truth for the state of every step of a Lotse's path.

``state.py`` defines the steps' states and computes them for one person or many at once
from what the areas register (``register_requirement`` in their ``init_app``);
``views.py`` turns them into the participant's dashboard steps and the mentor's view;
``overview.py`` answers the foundation's paged, filtered list for any number of people.
"""

import click

from ..accounts.operations import find_user
from ..core.dashboard import register_steps
from .state import path_of
from .views import dashboard_steps


def init_app(app):
    """Show the path's steps on the participant's dashboard; add ``lotse-lms qualification``."""
    register_steps(app, dashboard_steps)

    @app.cli.group("qualification")
    def qualification():
        """The state of Lotsen's qualification paths."""

    @qualification.command("show")
    @click.argument("email")
    def show(email):
        """Print every step of one person's path with its state and what is missing."""
        user = find_user(email)
        if user is None:
            raise click.ClickException(f"no account {email}")
        for step in path_of(user):
            line = f"{step.label}: {step.state_label}"
            for part in (step.progress, step.missing, step.source):
                if part:
                    line += f" | {part}"
            click.echo(line)
