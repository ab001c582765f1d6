"""The W3C Bitstring Status List (revocation) beside the 1EdTech revocation list.

Verifiers such as the Digital Credentials Consortium's read only ``BitstringStatusListEntry``.
Each credential gets a random, unused index in a list of 131,072 entries (the minimum the
specification asks for, so a list reveals little about any one holder); revoking a certificate
sets exactly its bit. The list is published as a ``BitstringStatusListCredential`` signed with
an embedded eddsa-rdfc-2022 proof. Bit 0 is the most significant bit of the first byte; the
bitstring is GZIP-compressed and multibase-encoded (base64url, prefix ``u``).
"""

import gzip
import secrets

import sqlalchemy as sa

from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from . import dataintegrity
from .models import Certificate
from .signing import active_key, b64url, issuer_did

LIST_SIZE = 131072
CONTEXT = "https://www.w3.org/ns/credentials/v2"


def list_url():
    """The status list credential's URL."""
    return external_url("certification.status_list")


def allocate_index():
    """A random index no other certificate uses."""
    while True:
        index = secrets.randbelow(LIST_SIZE)
        taken = db.session.scalar(
            sa.select(Certificate.id).where(Certificate.status_index == index)
        )
        if taken is None:
            return index


def entry(index):
    """The ``credentialStatus`` of a credential with this index."""
    return {
        "id": f"{list_url()}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_url(),
    }


def bitstring(indexes):
    """The uncompressed list with the bits of ``indexes`` set."""
    bits = bytearray(LIST_SIZE // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode(bits):
    """GZIP, then multibase base64url (``u`` prefix, no padding)."""
    return "u" + b64url(gzip.compress(bits, mtime=0))


def revoked_indexes():
    """The indexes of every revoked certificate that has one."""
    return db.session.scalars(
        sa.select(Certificate.status_index).where(
            Certificate.revoked_at.is_not(None), Certificate.status_index.is_not(None)
        )
    ).all()


def status_list_credential(now=None):
    """The current list as a signed ``BitstringStatusListCredential``."""
    stamp = (now or utcnow()).strftime("%Y-%m-%dT%H:%M:%SZ")
    url = list_url()
    document = {
        "@context": [CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": stamp,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode(bitstring(revoked_indexes())),
        },
    }
    kid, key = active_key()
    return dataintegrity.add_proof(document, kid, key, stamp)
