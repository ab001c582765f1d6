"""The qualification's name for one person, from the form of address in their profile.

"OM-Lotsin" for Frau, "OM-Lotse" for Herr, the neutral "OM-Lots*in" otherwise; the certificate,
the verification page and the credential's display text all take their words from here.
"""

from flask_babel import gettext as _


def title(salutation):
    """The title the person holds."""
    if salutation == "frau":
        return _("OM-Lotsin")
    if salutation == "herr":
        return _("OM-Lotse")
    return _("OM-Lots*in")


def qualification(salutation):
    """The completed qualification as a sentence part ("die Qualifizierung zur OM-Lotsin")."""
    if salutation == "frau":
        return _("die Qualifizierung zur OM-Lotsin")
    if salutation == "herr":
        return _("die Qualifizierung zum OM-Lotsen")
    return _("die Qualifizierung als OM-Lots*in")


def of_certificate(cert):
    """The form of address the certificate was issued with (neutral for older ones)."""
    return ((cert.evidence or {}).get("holder") or {}).get("salutation", "")
