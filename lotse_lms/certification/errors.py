"""The refusal of certification requests."""

from ..core.errors import Refusal


class CertificationError(Refusal):
    """A refused certification request; ``missing`` lists the rule keys not yet met."""

    def __init__(self, message=None, missing=(), field=None, *, errors=None):
        """Keep the message, the rule keys that are missing and the field it concerns."""
        super().__init__(message, field, errors=errors)
        self.missing = list(missing)
