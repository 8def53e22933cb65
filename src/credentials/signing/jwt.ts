/**
 * VC-JOSE-COSE (W3C Recommendation, 2025) for VC Data Model 2.0: a compact JWS whose payload
 * is the credential itself (no `vc` claim, no JWT-claims wrapper), with the protected header
 * `{alg: "EdDSA", typ: "vc+jwt", kid}`. `typ` SHOULD be `vc+jwt`; `cty` is optional ("when
 * present, SHOULD be `vc`") and left out, as most verifiers dispatch on `typ` alone.
 *
 * Written out here rather than through jose's `CompactSign` because the cached Node `KeyObject`
 * signs synchronously in ~50 µs while jose goes through WebCrypto per call; the tests verify
 * every token with jose's `compactVerify` and `jwtVerify`.
 */
import type {SignBytes} from './keys.js';

/** The protected header of carecred's VC-JOSE credentials. */
export function vcJwtHeader(kid: string): {alg: 'EdDSA'; typ: 'vc+jwt'; kid: string} {
  return {alg: 'EdDSA', typ: 'vc+jwt', kid};
}

/**
 * Signs a credential as a VC-JOSE compact JWS.
 *
 * @param options.credential - the unsecured credential (the JWS payload, as JSON).
 * @param options.kid - the JsonWebKey verification method id.
 * @param options.signBytes - signs with the issuer's key.
 * @returns `header.payload.signature`, base64url without padding.
 */
export function signCompactJws({credential, kid, signBytes}: {
  credential: object; kid: string; signBytes: SignBytes;
}): string {
  const header = Buffer.from(JSON.stringify(vcJwtHeader(kid))).toString('base64url');
  const payload = Buffer.from(JSON.stringify(credential)).toString('base64url');
  const signingInput = `${header}.${payload}`;
  const signature = Buffer.from(signBytes(Buffer.from(signingInput, 'ascii')));
  return `${signingInput}.${signature.toString('base64url')}`;
}
