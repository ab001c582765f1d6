"""The refusal every Q1 operation raises; its message is German text for people."""

from ...core.errors import Refusal


class Q1Error(Refusal):
    """A Q1 request that cannot be carried out; ``code`` is a machine code for the run-time."""

    def __init__(self, message=None, code=None, field=None, *, errors=None):
        """Keep the message, a machine code and the form field it concerns."""
        super().__init__(message, field, errors=errors)
        self.code = code
