"""The foundation's Ed25519 keys and the Open Badges 3.0 credential as a VC-JWT.

The VC-JWT (OB 3.0 §8.2, VC-JOSE-COSE) is the stored form: the signature covers the exact
bytes of the credential, so changing any one character fails verification, and any JOSE
library checks it. The same key also makes the embedded ``eddsa-rdfc-2022`` Data Integrity
proof (see ``dataintegrity``), computed on request. The keys live in files below the instance
folder (mode 0600), never in the database; the public keys are published as a JWKS and in a
did:web document, both naming each key by the same DID URL (``did:web:…#<thumbprint>``), which
is also the JWS ``kid``.
"""

import base64
import hashlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_MULTIKEY_ED25519 = b"\xed\x01"  # multicodec ed25519-pub, varint-encoded
_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_KID = re.compile(r"^[A-Za-z0-9_-]{43}$")


class InvalidCredential(ValueError):
    """A credential whose form, signature or claims do not hold up; ``reason`` says which."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def b64url(data):
    """Base64url without padding (RFC 7515)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    """Strict base64url decoding: only the canonical encoding of some bytes is accepted."""
    if not isinstance(text, str) or not _B64URL.match(text) or len(text) % 4 == 1:
        raise InvalidCredential("encoding")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url(data) != text:  # unused trailing bits set: a different string for the same bytes
        raise InvalidCredential("encoding")
    return data


def base58btc(data):
    """Bitcoin base58 encoding (leading zero bytes become '1')."""
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _BASE58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def base58btc_decode(text):
    """Inverse of :func:`base58btc`; ValueError on a foreign character."""
    number = 0
    for char in text:
        number = number * 58 + _BASE58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multikey(public_key):
    """``publicKeyMultibase`` of an Ed25519 key (Multikey, did:key style ``z6Mk…``)."""
    return "z" + base58btc(_MULTIKEY_ED25519 + _raw_public(public_key))


def multikey_url(kid, app=None):
    """The DID URL of a key's Multikey verification method in the DID document."""
    return f"{issuer_did(app)}#{kid}-multikey"


# --- keys -------------------------------------------------------------------------------


def key_dir(app=None):
    """The folder holding the private keys (config CERT_KEY_DIR, default <instance>/keys)."""
    app = app or current_app
    return Path(app.config["CERT_KEY_DIR"] or Path(app.instance_path) / "keys")


def _raw_public(public_key):
    """The 32 raw bytes of an Ed25519 public key."""
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def thumbprint(public_key):
    """The RFC 7638 JWK thumbprint, used as key id."""
    canonical = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": b64url(_raw_public(public_key))},
        separators=(",", ":"),
        sort_keys=True,
    )
    return b64url(hashlib.sha256(canonical.encode("ascii")).digest())


def _write_private(path, key):
    """Write a private key PEM readable by the owner only (created with mode 0600)."""
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)


def init_keys(app=None, rotate=False):
    """Create the signing key if there is none (or a new active one with ``rotate``); return its id."""
    app = app or current_app
    folder = key_dir(app)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    active = folder / "active"
    if active.exists() and not rotate:
        return active.read_text(encoding="ascii").strip()
    key = Ed25519PrivateKey.generate()
    kid = thumbprint(key.public_key())
    _write_private(folder / f"{kid}.pem", key)
    tmp = folder / "active.tmp"
    tmp.write_text(kid, encoding="ascii")
    os.chmod(tmp, 0o600)
    os.replace(tmp, active)
    app.extensions.pop("lotse_cert_keys", None)
    return kid


def _keyring(app):
    """All keys of the folder: dict kid -> private key, plus the active kid (cached per app)."""
    cached = app.extensions.get("lotse_cert_keys")
    if cached is not None:
        return cached
    folder = key_dir(app)
    if not (folder / "active").exists():
        init_keys(app)
    keys = {}
    for path in sorted(folder.glob("*.pem")):
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if isinstance(key, Ed25519PrivateKey):
            keys[thumbprint(key.public_key())] = key
    active = (folder / "active").read_text(encoding="ascii").strip()
    if active not in keys:
        raise RuntimeError(f"the active signing key {active} is missing in {folder}")
    app.extensions["lotse_cert_keys"] = (keys, active)
    return keys, active


def active_key(app=None):
    """(kid, private key) used for new credentials; created on first use."""
    keys, active = _keyring(app or current_app)
    return active, keys[active]


def private_key(kid, app=None):
    """The private key with id ``kid`` (KeyError if the folder does not hold it)."""
    keys, _active = _keyring(app or current_app)
    return keys[kid]


def public_keys(app=None):
    """dict kid -> public key of every key the foundation ever signed with."""
    keys, _active = _keyring(app or current_app)
    return {kid: key.public_key() for kid, key in keys.items()}


def key_url(kid, app=None):
    """The DID URL of a key (``did:web:…#<thumbprint>``): the JWS ``kid``, the JWKS ``kid``
    and the ``id`` of its verification method in the DID document, so a lookup by kid finds it
    in either place (RFC 7515 §4.1.4, RFC 7517 §4.5)."""
    return f"{issuer_did(app)}#{kid}"


def public_jwk(kid, public_key, app=None):
    """A public key as JWK (never contains ``d``); its ``kid`` is the key's DID URL."""
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(_raw_public(public_key)),
        "kid": key_url(kid, app),
        "alg": "EdDSA",
        "use": "sig",
    }


def jwks(app=None):
    """The JSON Web Key Set of the foundation's public keys."""
    return {"keys": [public_jwk(kid, key, app) for kid, key in public_keys(app).items()]}


def base_url(app=None):
    """BASE_URL without a trailing slash."""
    return (app or current_app).config["BASE_URL"].rstrip("/")


def issuer_did(app=None):
    """did:web identifier of the issuer, derived from BASE_URL (port encoded as %3A)."""
    parts = urlsplit(base_url(app))
    did = "did:web:" + quote(parts.netloc, safe="")
    path = [p for p in parts.path.split("/") if p]
    return ":".join([did, *path])


def did_document(app=None):
    """The did:web document: per key a JsonWebKey method (``#<thumbprint>``, the JWS ``kid``)
    and a Multikey method (``#<thumbprint>-multikey``, for the Data Integrity proof)."""
    did = issuer_did(app)
    methods = []
    for kid, key in public_keys(app).items():
        jwk = public_jwk(kid, key, app)
        methods.append(
            {
                "id": key_url(kid, app),
                "type": "JsonWebKey",
                "controller": did,
                "publicKeyJwk": {k: jwk[k] for k in ("kty", "crv", "x", "kid")},
            }
        )
        methods.append(
            {
                "id": multikey_url(kid, app),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multikey(key),
            }
        )
    refs = [m["id"] for m in methods]
    return {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/jwk/v1",
            "https://w3id.org/security/multikey/v1",
        ],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": refs,
        "authentication": [m["id"] for m in methods if m["type"] == "JsonWebKey"],
    }


# --- JWS --------------------------------------------------------------------------------


def sign_jwt(payload, app=None):
    """Sign ``payload`` as compact JWS with the active key (header: alg, kid, typ)."""
    app = app or current_app
    kid, key = active_key(app)
    header = {"alg": "EdDSA", "kid": key_url(kid, app), "typ": "JWT"}
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode())
    )
    signature = key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}", kid


def _json_part(text):
    """Decode one JWS part to a JSON object."""
    try:
        value = json.loads(b64url_decode(text).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidCredential("encoding") from exc
    if not isinstance(value, dict):
        raise InvalidCredential("encoding")
    return value


def verify_jwt(token, app=None):
    """Check a compact JWS against the foundation's keys; return the payload or raise InvalidCredential."""
    app = app or current_app
    token = (token or "").strip()
    parts = token.split(".")
    if len(parts) != 3 or not token.isascii():
        raise InvalidCredential("format")
    header = _json_part(parts[0])
    if (
        set(header) - {"alg", "kid", "typ"}
        or header.get("alg") != "EdDSA"
        or header.get("typ", "JWT") != "JWT"
    ):
        raise InvalidCredential("header")
    did, _sep, kid = str(header.get("kid", "")).partition("#")
    if did != issuer_did(app) or not _KID.match(kid):
        raise InvalidCredential("issuer")
    public = public_keys(app).get(kid)
    if public is None:
        raise InvalidCredential("key")
    signature = b64url_decode(parts[2])
    try:
        public.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii"))
    except InvalidSignature:
        raise InvalidCredential("signature") from None
    payload = _json_part(parts[1])
    _check_claims(payload, did)
    return payload


def _check_claims(payload, did):
    """The JWT claims must repeat the credential's own fields (OB 3.0 §8.2.4)."""

    def stamp(text):
        """An XML-schema dateTime as a Unix timestamp."""
        return int(datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).timestamp())

    try:
        ok = (
            "OpenBadgeCredential" in payload["type"]
            and payload["iss"] == payload["issuer"]["id"] == did
            and payload["jti"] == payload["id"]
            and payload["sub"] == payload["credentialSubject"]["id"]
            and payload["nbf"] == stamp(payload["validFrom"])
            and (
                payload.get("exp")
                == (stamp(payload["validUntil"]) if "validUntil" in payload else None)
            )
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        ok = False
    if not ok:
        raise InvalidCredential("claims")
