"""Credentials any verifier accepts: key lookup by kid (jwcrypto, joserfc, npm jose), did:web
for a root and a path deployment, the W3C Bitstring Status List, and the eddsa-rdfc-2022 Data
Integrity proof checked by jsonld.js and Node's Ed25519 (not pyld and ``cryptography``)."""

import base64
import gzip
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jws as rfc_jws
from joserfc.errors import SecurityWarning
from joserfc.jwk import KeySet as RfcKeySet
from jwcrypto import jwk as cj_jwk
from jwcrypto import jws as cj_jws

from lotse_lms.certification import dataintegrity, operations, signing
from lotse_lms.extensions import db

from .conftest import BASIC_RULES

pytestmark = pytest.mark.config(CERT_RULES=BASIC_RULES)
JS_DIR = Path(__file__).resolve().parents[1] / "js"


@pytest.fixture
def cert(lotse, staff):
    """An issued certificate."""
    cert = operations.issue(lotse(), staff)
    db.session.commit()
    return cert


def node_check(payload):
    """Run tests/js/verify_credential.mjs (npm jose, jsonld.js) on ``payload``; return its report."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("Node.js is not installed")
    if (
        not (JS_DIR / "node_modules" / "jose").exists()
        or not (JS_DIR / "node_modules" / "jsonld").exists()
    ):
        subprocess.run(
            [npm, "ci", "--prefix", str(JS_DIR), "--no-audit", "--no-fund"], check=True, timeout=300
        )
    done = subprocess.run(
        [node, str(JS_DIR / "verify_credential.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def shipped_contexts():
    """The JSON-LD contexts the package ships, by URL."""
    return {
        url: json.loads((dataintegrity.CONTEXT_DIR / name).read_text(encoding="utf-8"))
        for url, name in dataintegrity.CONTEXT_FILES.items()
    }


# --- key lookup by kid -------------------------------------------------------------------


def test_jws_kid_finds_its_key_in_the_jwks_and_the_did_document(client, cert):
    token = cert.credential_jwt
    jwks = client.get("/.well-known/jwks.json").get_json()
    did = client.get("/.well-known/did.json").get_json()
    kid = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["kid"]

    # jwcrypto: JWKSet.get_key(kid), then verify with the key found.
    keyset = cj_jwk.JWKSet.from_json(json.dumps(jwks))
    key = keyset.get_key(kid)
    assert key is not None
    signed = cj_jws.JWS()
    signed.deserialize(token)
    signed.verify(key)
    assert json.loads(signed.payload)["jti"] == cert.credential_id

    # joserfc: the key set picks the key by the header's kid. (joserfc 1.8 warns that RFC 9864
    # deprecates "EdDSA" for "Ed25519"; OB 3.0 and its verifiers still use "EdDSA".)
    with pytest.warns(SecurityWarning, match="RFC 9864"):
        result = rfc_jws.deserialize_compact(
            token, RfcKeySet.import_key_set(jwks), algorithms=["EdDSA"]
        )
    assert json.loads(result.payload)["jti"] == cert.credential_id

    # The DID document: the kid is a verification method for assertions, with the same key.
    (method,) = [m for m in did["verificationMethod"] if m["id"] == kid]
    assert kid in did["assertionMethod"]
    did_key = cj_jwk.JWK(**method["publicKeyJwk"])
    signed.verify(did_key)
    assert cj_jwk.JWKSet.from_json(json.dumps({"keys": [method["publicKeyJwk"]]})).get_key(kid)

    # npm jose: createLocalJWKSet lookup, and import from the DID document's method.
    report = node_check({"jwt": token, "jwks": jwks, "did": did})
    assert report["jwks"] == {"ok": True, "value": {"kid": kid, "jti": cert.credential_id}}
    assert report["did"] == {"ok": True, "value": {"kid": kid, "jti": cert.credential_id}}


def test_a_kid_of_a_foreign_key_is_not_found(client, cert):
    jwks = client.get("/.well-known/jwks.json").get_json()
    head, body, sig = cert.credential_jwt.split(".")
    header = json.loads(base64.urlsafe_b64decode(head + "=="))
    header["kid"] = header["kid"][:-1] + ("A" if header["kid"][-1] != "A" else "B")
    forged = signing.b64url(json.dumps(header, separators=(",", ":")).encode())
    assert cj_jwk.JWKSet.from_json(json.dumps(jwks)).get_key(header["kid"]) is None
    report = node_check({"jwt": f"{forged}.{body}.{sig}", "jwks": jwks, "did": {}})
    assert report["jwks"]["ok"] is False
    assert report["jwks"]["error"] == "ERR_JWKS_NO_MATCHING_KEY"


# --- did:web ------------------------------------------------------------------------------


def did_web_url(did):
    """did:web resolution (W3C CCG did:web §3.2): the HTTPS URL of the DID document."""
    parts = [unquote(p) for p in did.removeprefix("did:web:").split(":")]
    if len(parts) == 1:
        return f"https://{parts[0]}/.well-known/did.json"
    return "https://" + "/".join(parts) + "/did.json"


@pytest.mark.parametrize(
    ("base", "expected_did", "expected_url"),
    [
        (
            "https://bildung.example.org",
            "did:web:bildung.example.org",
            "https://bildung.example.org/.well-known/did.json",
        ),
        (
            "https://bildung.example.org/lotse",
            "did:web:bildung.example.org:lotse",
            "https://bildung.example.org/lotse/did.json",
        ),
        (
            "https://bildung.example.org:8443/om/lotse",
            "did:web:bildung.example.org%3A8443:om:lotse",
            "https://bildung.example.org:8443/om/lotse/did.json",
        ),
    ],
)
def test_did_web_resolves_through_the_apps_urls(
    app, client, lotse, staff, base, expected_did, expected_url
):
    app.config["BASE_URL"] = base
    cert = operations.issue(lotse(), staff)
    db.session.commit()
    did = signing.issuer_did(app)
    assert did == expected_did
    url = did_web_url(did)
    assert url == expected_url
    # The app is mounted at BASE_URL's path (SCRIPT_NAME); ask it for the resolved URL.
    assert url.startswith(base)
    response = client.get(url[len(base) :], base_url=base)
    assert response.status_code == 200
    document = response.get_json()
    assert document["id"] == did
    kid = json.loads(base64.urlsafe_b64decode(cert.credential_jwt.split(".")[0] + "=="))["kid"]
    assert kid.startswith(did + "#")
    (method,) = [m for m in document["verificationMethod"] if m["id"] == kid]
    key = cj_jwk.JWK(**method["publicKeyJwk"])
    signed = cj_jws.JWS()
    signed.deserialize(cert.credential_jwt)
    signed.verify(key)


# --- Bitstring Status List ----------------------------------------------------------------


def status_bit(status_list, index):
    """A verifier's reading: decode multibase base64url, gunzip, take bit ``index`` (MSB first)."""
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) * 8 >= 131072
    return (raw[index // 8] >> (7 - index % 8)) & 1, raw


def test_revoking_sets_exactly_that_credentials_bit(client, lotse, staff):
    certs = [operations.issue(lotse(name=f"Person {i}"), staff) for i in range(3)]
    db.session.commit()
    indexes = [c.status_index for c in certs]
    assert len(set(indexes)) == 3 and all(0 <= i < 131072 for i in indexes)
    entry = json.loads(base64.urlsafe_b64decode(certs[0].credential_jwt.split(".")[1] + "=="))[
        "credentialStatus"
    ]
    url = entry["statusListCredential"]
    path = url.removeprefix("http://localhost")
    before = client.get(path).get_json()
    assert before["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert before["credentialSubject"]["statusPurpose"] == "revocation"
    _bit, raw = status_bit(before, 0)
    assert not any(raw)

    operations.revoke(certs[1], staff, "Irrtümlich ausgestellt")
    db.session.commit()
    after = client.get(path).get_json()
    bit, raw = status_bit(after, certs[1].status_index)
    assert bit == 1
    assert status_bit(after, certs[0].status_index)[0] == 0
    assert status_bit(after, certs[2].status_index)[0] == 0
    assert sum(bin(b).count("1") for b in raw) == 1
    # The 1EdTech list still names it too.
    revoked = client.get("/verify/revocations").get_json()["revokedCredentials"]
    assert [r["id"] for r in revoked] == [certs[1].credential_id]


def test_the_status_list_credential_is_signed(client, cert):
    status_list = client.get("/verify/status/1").get_json()
    did = client.get("/.well-known/did.json").get_json()
    assert dataintegrity.verify_proof(status_list)["id"] == status_list["id"]
    report = node_check({"vc": status_list, "did": did, "contexts": shipped_contexts()})
    assert report["dataIntegrity"] == {"ok": True, "value": True}


# --- Data Integrity proof -----------------------------------------------------------------


def test_data_integrity_proof_verifies_independently(app, client, cert, login_as):
    login_as("foundation", name="Frieda Stiftung")
    response = client.get(f"/certificates/{cert.number}/credential.json")
    assert response.status_code == 200
    vc = response.get_json()
    proof = vc["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod" and proof["proofValue"].startswith("z")
    did = client.get("/.well-known/did.json").get_json()
    assert proof["verificationMethod"] in did["assertionMethod"]
    assert vc["id"] == cert.credential_id and "jti" not in vc
    report = node_check({"vc": vc, "did": did, "contexts": shipped_contexts()})
    assert report["dataIntegrity"] == {"ok": True, "value": True}
    assert dataintegrity.verify_proof(vc)["credentialSubject"]["identifier"][0]["identityHash"] == (
        "Lena Lotsin"
    )


def _one_character_changes(vc):
    """Variants of the credential that differ in one character of a value."""
    variants = {}
    name = json.loads(json.dumps(vc))
    name["credentialSubject"]["identifier"][0]["identityHash"] = "Lena Lotsim"
    variants["name"] = name
    valid = json.loads(json.dumps(vc))
    valid["validFrom"] = valid["validFrom"].replace("20", "21", 1)
    variants["validFrom"] = valid
    issuer = json.loads(json.dumps(vc))
    issuer["issuer"]["name"] = issuer["issuer"]["name"][:-1] + "X"
    variants["issuer-name"] = issuer
    created = json.loads(json.dumps(vc))
    stamp = created["proof"]["created"]
    created["proof"]["created"] = stamp[:-2] + ("8" if stamp[-2] == "9" else "9") + "Z"
    variants["proof-created"] = created
    value = json.loads(json.dumps(vc))
    pv = value["proof"]["proofValue"]
    value["proof"]["proofValue"] = pv[:-1] + ("2" if pv[-1] != "2" else "3")
    variants["proof-value"] = value
    status = json.loads(json.dumps(vc))
    index = status["credentialStatus"]["statusListIndex"]
    status["credentialStatus"]["statusListIndex"] = str((int(index) + 1) % 131072)
    variants["status-index"] = status
    return variants


def test_any_one_character_change_fails_the_data_integrity_proof(client, cert):
    from lotse_lms.certification import credential  # the signer, to get the document offline

    vc = credential.data_integrity(cert)
    did = client.get("/.well-known/did.json").get_json()
    contexts = shipped_contexts()
    variants = _one_character_changes(vc)
    for name, variant in variants.items():
        assert variant != vc, name
        with pytest.raises(signing.InvalidCredential):
            dataintegrity.verify_proof(variant)
    report = node_check({"vcs": [vc, *variants.values()], "did": did, "contexts": contexts})
    assert report["dataIntegrity_0"] == {"ok": True, "value": True}
    for i, name in enumerate(variants, start=1):
        assert report[f"dataIntegrity_{i}"]["ok"] is False, name


def test_the_document_loader_serves_only_shipped_contexts():
    from pyld import jsonld

    assert dataintegrity.document_loader("https://www.w3.org/ns/credentials/v2")["document"]
    with pytest.raises(jsonld.JsonLdError):
        dataintegrity.document_loader("https://example.org/evil-context.jsonld")
    with pytest.raises(signing.InvalidCredential):
        dataintegrity.canonical(
            {"@context": "https://example.org/evil-context.jsonld", "name": "x"}
        )


# --- the specification's published test vector --------------------------------------------


def test_the_signer_reproduces_the_eddsa_rdfc_2022_test_vector():
    """The W3C vector (Alumni credential): our canonicalisation, hashing and signing yield its
    proofValue exactly (Ed25519 is deterministic), and its proof verifies with our code."""
    vector = json.loads(
        (Path(__file__).parent / "vectors" / "eddsa-rdfc-2022-alumni.json").read_text()
    )
    extra = vector["contexts"]

    def loader(url, options=None):
        """The shipped contexts plus the vector's examples context."""
        if url in extra:
            return {"contextUrl": None, "documentUrl": url, "document": extra[url]}
        return dataintegrity.document_loader(url, options)

    private = signing.base58btc_decode(vector["keyPair"]["privateKeyMultibase"][1:])
    public = signing.base58btc_decode(vector["keyPair"]["publicKeyMultibase"][1:])
    assert private[:2] == b"\x80\x26" and public[:2] == b"\xed\x01"
    key = Ed25519PrivateKey.from_private_bytes(private[2:])
    assert signing.multikey(key.public_key()) == vector["keyPair"]["publicKeyMultibase"]

    signed = vector["signed"]
    proof = signed["proof"]
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    remade = dataintegrity.create_proof(
        unsecured, key, proof["verificationMethod"], proof["created"], loader
    )
    assert remade == signed

    options = {k: v for k, v in proof.items() if k != "proofValue"}
    signature = signing.base58btc_decode(proof["proofValue"][1:])
    key.public_key().verify(signature, dataintegrity.hash_data(unsecured, options, loader))
