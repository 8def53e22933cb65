/**
 * Data Integrity proofs: `DataIntegrityProof` with the `eddsa-rdfc-2022` cryptosuite and
 * `Ed25519Signature2020`, through @digitalbazaar/vc and jsonld-signatures with carecred's one
 * document loader.
 *
 * The library's own date checks are switched off (an infinite clock skew): validity is a check
 * of its own in the report, so an expired credential shows `validity.validUntil` failing, not a
 * bad signature. The library's status check is given carecred's status checker, which records
 * its results for the report and answers "verified" so that the library's verdict is about the
 * proof only. Data model MUSTs are checked before (data-model.ts), so the library's checks of the
 * same properties cannot fail here for a document that reaches it.
 *
 * Speed: eddsa-rdfc-2022 proofs are checked with the cryptosuite's own flow but carecred's fast
 * canonicalization (credentials/signing/canonize.ts: byte-identical N-Quads, proven by its tests,
 * ~15 times faster), which is exact only over documents that never change: it is given only the
 * loader's pinned contexts (`static`), and any other document (a context fetched for this
 * credential) makes it fall back to the library's canonicalization. A proof found invalid is
 * checked again with the library alone, so the fast path can never turn a valid credential away.
 */
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';

import {type Canonize, createFastCanonize} from '../credentials/signing/index.js';
import type {DocumentLoader} from '../platform/jsonld/document-loader.js';

/** Seconds of clock skew that make every library date comparison equal: dates are ours. */
const LIBRARY_DATE_CHECKS_OFF = Number.MAX_SAFE_INTEGER / 1000;

/** The outcome of a proof check. */
export type ProofOutcome =
  | {valid: true; verificationMethod?: string}
  | {valid: false; code: string; message: string};

type Json = Record<string, unknown>;

/** The proof types carecred verifies. */
export function isSupportedProof(proof: unknown): boolean {
  const {type, cryptosuite} = (proof ?? {}) as Json;
  return type === 'Ed25519Signature2020' ||
    (type === 'DataIntegrityProof' && cryptosuite === 'eddsa-rdfc-2022');
}

function proofsOf(document: Json): Json[] {
  const {proof} = document;
  return (Array.isArray(proof) ? proof : proof === undefined ? [] : [proof]) as Json[];
}

/** The deepest first error of a jsonld-signatures result (it nests them). */
function rootError(error: unknown): Error | undefined {
  let current = error as {errors?: unknown[]; message?: string} | undefined;
  for(let depth = 0; current?.errors?.length && depth < 5; depth++) {
    current = current.errors[0] as typeof current;
  }
  return current instanceof Error ? current : undefined;
}

/** Classifies a library failure into a stable code and a plain English message. */
function classify(error: unknown): ProofOutcome {
  const root = rootError(error);
  const message = root?.message ?? 'the proof could not be verified';
  if(root?.name === 'DocumentNotFound' || root?.name === 'DidResolutionError' ||
    /Unable to load verification method|could not be resolved|not found/i.test(message)) {
    return {valid: false, code: 'key-not-found', message: `The signing key could not be found: ${message}`};
  }
  if(/not authorized by controller/i.test(message)) {
    return {valid: false, code: 'key-not-authorized',
      message: 'The signing key is not one the signer lists for this purpose.'};
  }
  if(/issuer must match the verification method controller/i.test(message)) {
    return {valid: false, code: 'key-not-issuer', message: 'The credential was signed with a key of ' +
      'another DID than its issuer.'};
  }
  if(/challenge|domain/i.test(message)) {
    return {valid: false, code: 'proof-purpose-invalid', message: `The proof does not fit: ${message}`};
  }
  return {valid: false, code: 'signature-invalid', message: 'The signature is not valid: the content ' +
    'was changed after signing, or it was signed with another key.'};
}

/**
 * Creates the Data Integrity proof checker.
 *
 * @param options.documentLoader - the one document loader (contexts and DIDs).
 * @returns functions that check a credential's and a presentation's proof.
 */
export function createDataIntegrityVerifier({documentLoader}: {documentLoader: DocumentLoader}) {
  const librarySuite = [new DataIntegrityProof({cryptosuite: eddsaRdfc2022}), new Ed25519Signature2020()];
  const fastSuite = [new DataIntegrityProof({cryptosuite: {...eddsaRdfc2022, canonize: fastCanonize()}}),
    new Ed25519Signature2020()];

  function unsupported(document: Json): ProofOutcome | undefined {
    const proofs = proofsOf(document);
    return proofs.some(isSupportedProof) ? undefined : {valid: false, code: 'proof-type-unsupported',
      message: `The proof type is not supported (only eddsa-rdfc-2022 and Ed25519Signature2020): ` +
        `${proofs.map(proof => String(proof.cryptosuite ?? proof.type)).join(', ')}.`};
  }

  /**
   * Checks a credential's proof; the status checker runs inside, after a valid proof.
   *
   * @param options.checkStatus - records the status results; must not throw.
   */
  async function verifyCredentialProof({credential, checkStatus}: {
    credential: Json; checkStatus: () => Promise<void>;
  }): Promise<ProofOutcome> {
    const notSupported = unsupported(credential);
    if(notSupported) {
      return notSupported;
    }
    const verify = (suite: object[]) => vc.verifyCredential({
      credential, suite, documentLoader, maxClockSkew: LIBRARY_DATE_CHECKS_OFF,
      checkStatus: async () => {
        await checkStatus();
        return {verified: true};
      }
    });
    let result = await verify(fastSuite);
    let outcome = outcomeOf(result);
    if(!outcome.valid && outcome.code === 'signature-invalid') {
      result = await verify(librarySuite);
      outcome = outcomeOf(result);
    }
    return outcome;
  }

  /** Checks a presentation's authentication proof against its own challenge and domain. */
  async function verifyPresentationProof({presentation}: {presentation: Json}): Promise<ProofOutcome> {
    const notSupported = unsupported(presentation);
    if(notSupported) {
      return notSupported;
    }
    const proof = proofsOf(presentation).find(isSupportedProof)!;
    try {
      const purpose = new jsigs.purposes.AuthenticationProofPurpose({
        challenge: typeof proof.challenge === 'string' ? proof.challenge : undefined,
        domain: proof.domain as string | string[] | undefined
      });
      const result = await jsigs.verify(presentation, {suite: librarySuite, purpose, documentLoader});
      return result.verified ? {valid: true, verificationMethod: verificationMethodOf(result.results)} :
        classify(result.error);
    } catch(error) {
      return classify(error);
    }
  }

  return {verifyCredentialProof, verifyPresentationProof};
}

/** The outcome of vc.verifyCredential's result. */
function outcomeOf(result: {verified: boolean; error?: unknown; results?: unknown}): ProofOutcome {
  if(!result.verified) {
    return classify(result.error ?? (result.results as {error?: unknown}[] | undefined)?.[0]?.error);
  }
  return {valid: true, verificationMethod: verificationMethodOf(result.results)};
}

/** A document the fast canonicalization must not memoize (not a pinned context). */
class NotPinned extends Error {
  constructor(url: string) {
    super(`not a pinned context: ${url}`);
    this.name = 'NotPinned';
  }
}

/** The fast canonicalization over pinned contexts only, falling back to the cryptosuite's own. */
function fastCanonize(): Canonize {
  const fast = createFastCanonize();
  return async (input, options) => {
    const loader = options.documentLoader as DocumentLoader;
    const pinnedOnly = async (url: string) => {
      const remote = await loader(url);
      if(remote.tag !== 'static') {
        throw new NotPinned(url);
      }
      return remote;
    };
    try {
      return await fast(input, {...options, documentLoader: pinnedOnly});
    } catch {
      return eddsaRdfc2022.canonize(input, options);
    }
  };
}

function verificationMethodOf(results: unknown): string | undefined {
  const [first] = (results ?? []) as {proof?: Json}[];
  const method = first?.proof?.verificationMethod;
  return typeof method === 'string' ? method : undefined;
}

export type DataIntegrityVerifier = ReturnType<typeof createDataIntegrityVerifier>;
