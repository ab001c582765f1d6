"""The Open Badges 3.0 ``OpenBadgeCredential`` of a certificate (VC Data Model 2.0)."""

import uuid
from datetime import UTC

from flask import current_app
from flask_babel import force_locale

from ..core.urls import external_url
from . import dataintegrity, statuslist, wording
from .signing import CONTEXTS, SCHEMA, base_url, issuer_did, private_key, sign_jwt

ACHIEVEMENT_NAME = "OM-Lotsin / OM-Lotse"
ACHIEVEMENT_DESCRIPTION = (
    "Qualifizierung der Offensive Mittelstand zur OM-Lotsin / zum OM-Lotsen: Lotsinnen und Lotsen "
    "eröffnen und moderieren unternehmensübergreifende Experimentierräume, in denen kleine und "
    "mittlere Unternehmen gemeinsam die digitale Transformation gestalten. Die Qualifizierung "
    "umfasst das Selbststudium Q1 (Tools & Methoden, Technik, Megatrends), die Präsenzphase Q2, "
    "das Reflecting Team und die Begleitung durch eine Mentorin oder einen Mentor."
)


def stamp(value):
    """An aware datetime as XML-schema dateTime in UTC with second precision."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def subject_id(user, app=None):
    """A stable, meaningless identifier of the holder (no e-mail address in the credential)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{base_url(app)}/users/{user.id}')}"


def new_credential_id():
    """A fresh credential id."""
    return f"urn:uuid:{uuid.uuid4()}"


def _criteria(evidence):
    """The prerequisites as Markdown list, from the certificate's evidence."""
    lines = [f"- {rule['label']}" for rule in evidence.get("rules", [])]
    return "Voraussetzungen der Zertifizierung durch die Stiftung:\n" + "\n".join(lines)


def _display_name(cert):
    """The credential's name, worded for the holder's form of address (always German)."""
    with force_locale("de"):
        return f"Zertifikat {wording.title(wording.of_certificate(cert))}"


def _status(cert, app):
    """Where a verifier finds out whether the credential is revoked.

    New credentials point to the W3C Bitstring Status List, which common verifiers read; OB 3.0
    allows one ``credentialStatus`` (its JSON schema has a single object), so credentials issued
    before the list existed keep pointing to the 1EdTech revocation list, which still lists every
    revoked credential, new or old.
    """
    if cert.status_index is not None:
        return statuslist.entry(cert.status_index)
    return {
        "id": external_url("certification.revocation_list", app=app),
        "type": "1EdTechRevocationList",
    }


def _issuer(app):
    """The issuer profile: the foundation."""
    return {
        "id": issuer_did(app),
        "type": ["Profile"],
        "name": app.config["CERT_ISSUER_NAME"],
        "url": app.config["CERT_ISSUER_URL"] or base_url(app),
    }


def build_credential(cert, app=None):
    """The credential of ``cert`` as dict (no JWT claims): the body of both proof formats."""
    app = app or current_app
    issuer = _issuer(app)
    evidence = [
        {
            "type": ["Evidence"],
            "name": rule["label"],
            "description": ("erfüllt seit " + rule["since"][:10])
            if rule.get("since")
            else "erfüllt",
        }
        for rule in cert.evidence.get("rules", [])
    ]
    if cert.renews is not None:
        evidence.append(
            {
                "id": cert.renews.credential_id,
                "type": ["Evidence"],
                "name": f"Verlängerung von Zertifikat Nr. {cert.renews.number}",
            }
        )
    credential = {
        "@context": CONTEXTS,
        "id": cert.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": stamp(cert.issued_at),
        "name": _display_name(cert),
        "credentialSubject": {
            "id": subject_id(cert.user, app),
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": cert.holder_name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "achievement": {
                "id": external_url("certification.achievement", app=app),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": ACHIEVEMENT_NAME,
                "description": ACHIEVEMENT_DESCRIPTION,
                "criteria": {"narrative": _criteria(cert.evidence)},
                "creator": issuer,
                "inLanguage": "de",
                "humanCode": "OM-LOTSE",
            },
        },
        "evidence": evidence,
        "credentialStatus": _status(cert, app),
        "credentialSchema": [SCHEMA],
    }
    if cert.valid_until is not None:
        credential["validUntil"] = stamp(cert.valid_until)
    return credential


def build(cert, app=None):
    """The credential of ``cert`` as dict, JWT claims included (OB 3.0 §8.2: iss, jti, nbf, sub, exp)."""
    credential = build_credential(cert, app)
    claims = {
        "iss": credential["issuer"]["id"],
        "jti": cert.credential_id,
        "sub": credential["credentialSubject"]["id"],
        "nbf": int(cert.issued_at.timestamp()),
    }
    if cert.valid_until is not None:
        claims["exp"] = int(cert.valid_until.timestamp())
    return {**credential, **claims}


def sign(cert, app=None):
    """Build, sign and store the credential on ``cert``; return the compact JWS."""
    token, kid = sign_jwt(build(cert, app), app)
    cert.credential_jwt = token
    cert.key_id = kid
    return token


def data_integrity(cert, app=None):
    """The credential with an embedded eddsa-rdfc-2022 proof by the key that signed its JWT.

    Deterministic (Ed25519, ``created`` = issue time), so it is computed on request, not stored.
    """
    app = app or current_app
    key = private_key(cert.key_id, app)
    document = build_credential(cert, app)
    document["@context"] = [*document["@context"], dataintegrity.EXTRA_TERMS]
    return dataintegrity.add_proof(document, cert.key_id, key, stamp(cert.issued_at), app)
