"""The refusal of the accounts area."""

from ..core.errors import Refusal


class AccountError(Refusal):
    """A request about an account that cannot be carried out."""
