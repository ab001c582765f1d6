"""An embedded Data Integrity proof (``DataIntegrityProof``, cryptosuite ``eddsa-rdfc-2022``).

The 1EdTech conformance path for linked-data proofs, offered beside the VC-JWT and made with the
same Ed25519 key (VC Data Integrity EdDSA Cryptosuites v1.0, §3.3): the credential and the proof
options are canonicalised with RDFC-1.0 (pyld's URDNA2015, the same algorithm), each hashed with
SHA-256, the proof options' hash first, and the 64 bytes signed; ``proofValue`` is the signature
in multibase base58btc. The JSON-LD contexts ship with the package; the document loader serves
only those and refuses every other URL, so nothing is fetched at run time.
"""

import copy
import hashlib
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from pyld import jsonld

from .signing import (
    InvalidCredential,
    base58btc,
    base58btc_decode,
    issuer_did,
    multikey_url,
    public_keys,
)

CONTEXT_DIR = Path(__file__).resolve().parent / "contexts"
#: URL -> file of every context the loader serves (and the only URLs it accepts).
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
}
CRYPTOSUITE = "eddsa-rdfc-2022"
_OB_VOCAB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
#: Terms OB 3.0 credentials use that neither shipped context defines (the VCDM 2.0 context has
#: no ``@vocab`` any more): without them RDFC-1.0 would drop the ``type`` of the schema and of
#: the 1EdTech status from the signed statements, and safe-mode verifiers refuse the document.
#: An embedded context object adds them; nothing has to be fetched for it.
EXTRA_TERMS = {
    "1EdTechJsonSchemaValidator2019": f"{_OB_VOCAB}1EdTechJsonSchemaValidator2019",
    "1EdTechRevocationList": f"{_OB_VOCAB}1EdTechRevocationList",
}
_CONTEXTS = {}


def document_loader(url, options=None):
    """pyld document loader: the shipped contexts, nothing else (no network)."""
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise jsonld.JsonLdError(
            f"Context {url} is not shipped with lotse_lms; it is not fetched.",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
    if url not in _CONTEXTS:
        _CONTEXTS[url] = json.loads((CONTEXT_DIR / name).read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(_CONTEXTS[url])}


def canonical(document, loader=document_loader):
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document."""
    try:
        return jsonld.normalize(
            document,
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader},
        )
    except jsonld.JsonLdError as exc:
        raise InvalidCredential("jsonld") from exc


def hash_data(document, options, loader=document_loader):
    """SHA-256(canonical proof options with the document's @context) || SHA-256(canonical
    document) (§3.3.4 Hashing)."""
    config = {**options, "@context": document["@context"]}
    options_hash = hashlib.sha256(canonical(config, loader).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonical(document, loader).encode("utf-8")).digest()
    return options_hash + document_hash


def create_proof(document, private_key, verification_method, created, loader=document_loader):
    """``document`` (without ``proof``) with an eddsa-rdfc-2022 proof (§3.3.1 Create Proof)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(hash_data(unsecured, options, loader))
    return {**unsecured, "proof": {**options, "proofValue": "z" + base58btc(signature)}}


def add_proof(document, kid, private_key, created, app=None):
    """Return a copy of ``document`` with a proof by the foundation's key ``kid``."""
    return create_proof(document, private_key, multikey_url(kid, app), created)


def verify_proof(document, app=None):
    """Check the embedded proof against the foundation's keys; return the document without it.

    Raises InvalidCredential naming the failed check (format, issuer, key, signature, jsonld).
    """
    if not isinstance(document, dict) or not isinstance(document.get("proof"), dict):
        raise InvalidCredential("format")
    proof = dict(document["proof"])
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    value = proof.pop("proofValue", None)
    if (
        proof.get("type") != "DataIntegrityProof"
        or proof.get("cryptosuite") != CRYPTOSUITE
        or proof.get("proofPurpose") != "assertionMethod"
        or not isinstance(value, str)
        or not value.startswith("z")
        or "@context" in proof
    ):
        raise InvalidCredential("format")
    did, _sep, fragment = str(proof.get("verificationMethod", "")).partition("#")
    issuer = unsecured.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if did != issuer_did(app) or issuer_id != did or not fragment.endswith("-multikey"):
        raise InvalidCredential("issuer")
    public = public_keys(app).get(fragment.removesuffix("-multikey"))
    if public is None:
        raise InvalidCredential("key")
    try:
        signature = base58btc_decode(value[1:])
    except ValueError:
        raise InvalidCredential("encoding") from None
    try:
        public.verify(signature, hash_data(unsecured, proof))
    except InvalidSignature:
        raise InvalidCredential("signature") from None
    return unsecured
