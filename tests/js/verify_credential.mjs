// Independent checks of a certificate, run by tests/certification/test_interop.py.
// Reads one JSON object from stdin: {jwt, jwks, did, vc, contexts: {url: document}}.
// Writes a JSON report: which lookups and verifications succeeded (never throws for a
// failed check; the Python test decides what must hold).
import crypto from "node:crypto";
import * as jose from "jose";
import jsonld from "jsonld";

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => { text += chunk; });
  process.stdin.on("end", () => resolve(text));
}));
const report = {};

async function attempt(name, fn) {
  try { report[name] = { ok: true, value: await fn() }; }
  catch (err) { report[name] = { ok: false, error: String(err.code || err.message || err) }; }
}

if (input.jwt) {
  // Key lookup by kid through the JWKS (jose's local JWKS resolver), and through the DID document.
  await attempt("jwks", async () => {
    const { payload, protectedHeader } = await jose.jwtVerify(input.jwt, jose.createLocalJWKSet(input.jwks));
    return { kid: protectedHeader.kid, jti: payload.jti };
  });
  await attempt("did", async () => {
    const { kid } = jose.decodeProtectedHeader(input.jwt);
    const method = input.did.verificationMethod.find((m) => m.id === kid);
    if (!method) throw new Error("NO_METHOD_FOR_KID");
    if (!input.did.assertionMethod.includes(kid)) throw new Error("NOT_AN_ASSERTION_METHOD");
    const key = await jose.importJWK(method.publicKeyJwk, "EdDSA");
    const { payload } = await jose.jwtVerify(input.jwt, key);
    return { kid, jti: payload.jti };
  });
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function base58decode(text) {
  let n = 0n;
  for (const c of text) {
    const i = BASE58.indexOf(c);
    if (i < 0) throw new Error("BAD_BASE58");
    n = n * 58n + BigInt(i);
  }
  let hex = n.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  const zeros = text.length - text.replace(/^1+/, "").length;
  return Buffer.concat([Buffer.alloc(zeros), n === 0n ? Buffer.alloc(0) : Buffer.from(hex, "hex")]);
}

// eddsa-rdfc-2022 (VC DI EdDSA §3.3) with jsonld.js's RDFC-1.0 and Node's Ed25519.
async function checkProof(vc) {
  const documentLoader = async (url) => {
    if (!(url in input.contexts)) throw new Error("CONTEXT_NOT_SHIPPED " + url);
    return { contextUrl: null, documentUrl: url, document: input.contexts[url] };
  };
  const { proof, ...unsecured } = vc;
  const { proofValue, ...options } = proof;
  if (options.type !== "DataIntegrityProof" || options.cryptosuite !== "eddsa-rdfc-2022") {
    throw new Error("WRONG_SUITE");
  }
  const canon = (doc) => jsonld.canonize(doc, {
    algorithm: "URDNA2015", format: "application/n-quads", documentLoader, safe: true,
  });
  const sha = (text) => crypto.createHash("sha256").update(text, "utf8").digest();
  const data = Buffer.concat([
    sha(await canon({ ...options, "@context": unsecured["@context"] })),
    sha(await canon(unsecured)),
  ]);
  const method = input.did.verificationMethod.find((m) => m.id === options.verificationMethod);
  if (!method || method.type !== "Multikey") throw new Error("NO_MULTIKEY");
  const raw = base58decode(method.publicKeyMultibase.slice(1));
  if (raw[0] !== 0xed || raw[1] !== 0x01) throw new Error("NOT_ED25519");
  const key = crypto.createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: raw.subarray(2).toString("base64url") }, format: "jwk",
  });
  const ok = crypto.verify(null, data, key, base58decode(proofValue.slice(1)));
  if (!ok) throw new Error("BAD_SIGNATURE");
  return true;
}

if (input.vc) await attempt("dataIntegrity", () => checkProof(input.vc));
// Several documents in one run (one Node start-up): report.dataIntegrity_<i>.
for (const [i, vc] of (input.vcs || []).entries()) {
  await attempt(`dataIntegrity_${i}`, () => checkProof(vc));
}

process.stdout.write(JSON.stringify(report));
