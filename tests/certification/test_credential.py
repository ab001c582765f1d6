"""The Open Badges 3.0 credential: checked by an independent implementation (PyNaCl/libsodium,
not the ``cryptography`` package that signed it), refused after tampering, keys published."""

import base64
import json
import os
import stat

import nacl.exceptions
import nacl.signing
import pytest

from lotse_lms.certification import operations, signing, verify
from lotse_lms.extensions import db

from .conftest import BASIC_RULES

pytestmark = pytest.mark.config(CERT_RULES=BASIC_RULES)


def b64decode(text):
    """Base64url with the padding put back; non-canonical encodings (unused bits set) are refused."""
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if base64.urlsafe_b64encode(data).rstrip(b"=").decode() != text:
        raise ValueError("non-canonical base64url")
    return data


def independent_verify(token, jwks):
    """RFC 7515 verification written out, with libsodium: returns (header, payload) or raises."""
    head, body, sig = token.split(".")
    header = json.loads(b64decode(head))
    assert header["alg"] == "EdDSA"
    (jwk,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk
    key = nacl.signing.VerifyKey(b64decode(jwk["x"]))
    key.verify(f"{head}.{body}".encode("ascii"), b64decode(sig))
    return header, json.loads(b64decode(body))


@pytest.fixture
def cert(lotse, staff):
    """An issued certificate."""
    cert = operations.issue(lotse(), staff)
    db.session.commit()
    return cert


def test_credential_is_an_open_badge_verified_independently(client, cert):
    jwks = client.get("/.well-known/jwks.json").get_json()
    header, vc = independent_verify(cert.credential_jwt, jwks)
    assert header == {"alg": "EdDSA", "kid": f"did:web:localhost#{cert.key_id}", "typ": "JWT"}
    assert vc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in vc["@context"]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["iss"] == vc["issuer"]["id"] == "did:web:localhost"
    assert vc["issuer"]["name"] == "Stiftung Mittelstand – Gesellschaft – Verantwortung"
    assert vc["jti"] == vc["id"] == cert.credential_id
    assert vc["sub"] == vc["credentialSubject"]["id"]
    assert vc["nbf"] == int(cert.issued_at.timestamp()) and vc["exp"] == int(
        cert.valid_until.timestamp()
    )
    subject = vc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0]["identityHash"] == "Lena Lotsin"
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["name"] == "OM-Lotsin / OM-Lotse"
    assert "Experimentierräume" in achievement["description"]
    assert "Autorisierung als OM-Beraterin / OM-Berater" in achievement["criteria"]["narrative"]
    status = vc["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == "http://localhost/verify/status/1"
    assert status["id"] == f"http://localhost/verify/status/1#{cert.status_index}"
    assert status["statusListIndex"] == str(cert.status_index)
    assert "@" not in json.dumps(subject).replace("@context", "")  # no e-mail address in it


def _tampered(token):
    """Variants of the token that differ in exactly one character, at telling places."""
    head, body, sig = token.split(".")
    payload = b64decode(body).decode()
    name_changed = payload.replace("Lena Lotsin", "Lena Lotsim")
    forged = signing.b64url(name_changed.encode())
    variants = {
        "payload-first": token[: len(head) + 1]
        + ("B" if body[0] != "B" else "C")
        + token[len(head) + 2 :],
        "payload-middle": head
        + "."
        + body[:40]
        + ("x" if body[40] != "x" else "y")
        + body[41:]
        + "."
        + sig,
        "signature-last": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "signature-first": f"{head}.{body}." + ("A" if sig[0] != "A" else "B") + sig[1:],
        "header": ("f" if head[0] != "f" else "g") + token[1:],
        "name-in-payload": f"{head}.{forged}.{sig}",
        "extra-dot": token + ".",
        "space": token[:10] + " " + token[11:],
    }
    return variants


def test_a_credential_altered_by_one_character_fails(client, cert):
    jwks = client.get("/.well-known/jwks.json").get_json()
    assert verify.verify_credential(cert.credential_jwt).state == "valid"
    for name, token in _tampered(cert.credential_jwt).items():
        assert token != cert.credential_jwt
        result = verify.verify_credential(token)
        assert result.state == "invalid", name
        with pytest.raises(
            (nacl.exceptions.BadSignatureError, ValueError, KeyError, AssertionError)
        ):
            independent_verify(token, jwks)


def test_every_single_character_change_of_the_signature_fails(cert):
    token = cert.credential_jwt
    start = token.rindex(".") + 1
    for i in range(start, len(token)):
        alt = "A" if token[i] != "A" else "B"
        assert verify.verify_credential(token[:i] + alt + token[i + 1 :]).state == "invalid"


def test_credential_from_another_key_is_refused(cert):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    head, body, _sig = cert.credential_jwt.split(".")
    other = Ed25519PrivateKey.generate().sign(f"{head}.{body}".encode())
    assert verify.verify_credential(f"{head}.{body}.{signing.b64url(other)}").reason == "signature"


def test_alg_none_and_foreign_issuers_are_refused(cert):
    head, body, sig = cert.credential_jwt.split(".")
    none = signing.b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    assert verify.verify_credential(f"{none}.{body}.").state == "invalid"
    foreign = signing.b64url(
        json.dumps({"alg": "EdDSA", "kid": f"did:web:evil.example#{cert.key_id}"}).encode()
    )
    assert verify.verify_credential(f"{foreign}.{body}.{sig}").reason == "issuer"
    assert verify.verify_credential("kein jwt").state == "invalid"
    assert verify.verify_credential(b"\xff\xfe").state == "invalid"


def test_key_is_kept_outside_the_database_with_owner_only_permissions(app, cert):
    folder = signing.key_dir(app)
    files = list(folder.glob("*.pem"))
    assert [f.stem for f in files] == [cert.key_id]
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert b"PRIVATE KEY" in files[0].read_bytes()


def test_public_keys_are_published_as_jwks_and_did_web(client, cert):
    jwks = client.get("/.well-known/jwks.json")
    assert jwks.status_code == 200 and jwks.headers["Access-Control-Allow-Origin"] == "*"
    assert "d" not in jwks.get_json()["keys"][0]
    did = client.get("/.well-known/did.json").get_json()
    assert did["id"] == "did:web:localhost"
    method = did["verificationMethod"][0]
    assert (
        method["id"] == f"did:web:localhost#{cert.key_id}"
        and method["id"] in did["assertionMethod"]
    )
    assert method["publicKeyJwk"]["x"] == jwks.get_json()["keys"][0]["x"]


def test_rotated_keys_keep_old_credentials_verifiable(app, lotse, staff, cert):
    new_kid = signing.init_keys(app, rotate=True)
    assert new_kid != cert.key_id
    other = operations.issue(lotse(name="Otto Lotse"), staff)
    db.session.commit()
    assert other.key_id == new_kid
    assert verify.verify_credential(cert.credential_jwt).state == "valid"
    assert verify.verify_credential(other.credential_jwt).state == "valid"
    assert len(signing.jwks(app)["keys"]) == 2


def test_did_web_encodes_port_and_path(app):
    app.config["BASE_URL"] = "https://lms.example.org:8443/lotsen/"
    assert signing.issuer_did(app) == "did:web:lms.example.org%3A8443:lotsen"


def test_revocation_list_names_revoked_credentials(client, cert, staff):
    assert client.get("/verify/revocations").get_json()["revokedCredentials"] == []
    operations.revoke(cert, staff, "Täuschung")
    db.session.commit()
    listed = client.get("/verify/revocations").get_json()
    assert listed["issuer"] == "did:web:localhost"
    assert listed["revokedCredentials"][0]["id"] == cert.credential_id
    assert listed["revokedCredentials"][0]["revocationReason"] == "Täuschung"


def test_keys_cli_init_show_rotate(runner):
    out = runner.invoke(args=["keys", "init"])
    assert out.exit_code == 0 and "Aktiver Schlüssel" in out.output
    shown = runner.invoke(args=["keys", "show"])
    assert '"kty": "OKP"' in shown.output and '"d"' not in shown.output
    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0


def test_seed_demo_creates_the_signing_key_once(app):
    from lotse_lms.certification import seed_keys

    lines = []
    seed_keys(app, lines.append)
    seed_keys(app, lines.append)
    assert lines[0] == lines[1] and "Signaturschlüssel der Stiftung" in lines[0]
    assert len(list(signing.key_dir(app).glob("*.pem"))) == 1
