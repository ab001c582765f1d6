"""Errors raised when a SCORM package or its manifest is refused.

Every error carries a stable machine ``code`` (for tests, logs and the LMS), a German
``message_de`` to show to the person who uploaded the package, and an optional
English ``detail`` for the technical log.
"""

from __future__ import annotations


class PackageError(ValueError):
    """A SCORM package was refused; ``code`` is stable, ``message_de`` is for the user."""

    def __init__(self, code: str, message_de: str, detail: str | None = None) -> None:
        super().__init__(f"{code}: {message_de}" + (f" ({detail})" if detail else ""))
        self.code = code
        self.message_de = message_de
        self.detail = detail


class ManifestError(PackageError):
    """The imsmanifest.xml of a package is missing, malformed, unsafe or inconsistent."""
