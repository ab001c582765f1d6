"""The refusal every Q1 operation raises; its message is German text for people."""


class Q1Error(ValueError):
    """A Q1 request that cannot be carried out; ``message`` is shown to the user."""

    def __init__(self, message, code=None, field=None):
        """Keep the message, a machine code and the form field it concerns."""
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
