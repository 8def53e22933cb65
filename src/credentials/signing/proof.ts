/**
 * The Data Integrity suite carecred signs with: the library's `DataIntegrityProof` (eddsa-rdfc-2022)
 * with two things done once instead of per credential, neither changing a signed byte:
 * - the proof options (type, cryptosuite, verificationMethod, proofPurpose, created, under the
 *   credential's `@context`) canonicalize to the same N-Quads for a key except for the `created`
 *   literal, so they are canonicalized once per context and key with a sentinel date and the
 *   real date is put in its place. The template is only used when that is provably exact: one
 *   blank node (`_:c14n0`), the sentinel occurring once, and a second sentinel giving the same
 *   result as substitution; otherwise the proof options are canonicalized as usual.
 * - the signer is the cached imported key (see keys.ts), not a key re-imported per signature.
 */
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';

import type {SignBytes} from './keys.js';

const CREATED_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SENTINEL = '2000-01-01T00:00:00Z';
const OTHER_SENTINEL = '2999-12-31T23:59:59Z';
const PROOF_KEYS = ['created', 'cryptosuite', 'proofPurpose', 'type', 'verificationMethod'].join();
const MAX_TEMPLATES = 1000;

type ProofOptions = Record<string, unknown>;
type Template = {head: string; tail: string} | null;

/** Canonical proof-option templates of one engine, by context and proof fields. */
export class ProofTemplates {
  private readonly templates = new Map<string, Template>();

  /**
   * The canonical proof options, from a template when exact, else from `canonizeProof`.
   *
   * @returns RDFC-1.0 N-Quads of the proof options.
   */
  async canonize({proof, context, canonizeProof}: {proof: ProofOptions; context: unknown;
    canonizeProof: (proof: ProofOptions) => Promise<string>}): Promise<string> {
    const {created} = proof;
    if(typeof created !== 'string' || !CREATED_PATTERN.test(created) ||
      Object.keys(proof).sort().join() !== PROOF_KEYS) {
      return canonizeProof(proof);
    }
    const key = JSON.stringify([context, proof.type, proof.cryptosuite, proof.proofPurpose,
      proof.verificationMethod]);
    let template = this.templates.get(key);
    if(template === undefined) {
      template = await buildTemplate({proof, canonizeProof});
      if(this.templates.size >= MAX_TEMPLATES) {
        this.templates.clear();
      }
      this.templates.set(key, template);
    }
    return template ? template.head + created + template.tail : canonizeProof(proof);
  }
}

async function buildTemplate({proof, canonizeProof}: {proof: ProofOptions;
  canonizeProof: (proof: ProofOptions) => Promise<string>}): Promise<Template> {
  const canonical = await canonizeProof({...proof, created: SENTINEL});
  const other = await canonizeProof({...proof, created: OTHER_SENTINEL});
  const parts = canonical.split(SENTINEL);
  const exact = parts.length === 2 && !canonical.includes('_:c14n1') &&
    parts.join(OTHER_SENTINEL) === other;
  return exact ? {head: parts[0]!, tail: parts[1]!} : null;
}

/**
 * A `DataIntegrityProof` that signs with a cached key and reuses canonical proof options.
 * One instance per signature (the library keeps per-document state on the suite).
 */
export class CachedKeyDataIntegrityProof extends DataIntegrityProof {
  private readonly templates: ProofTemplates;

  constructor({signBytes, verificationMethod, created, cryptosuite, templates}: {
    signBytes: SignBytes; verificationMethod: string; created: string; cryptosuite: object;
    templates: ProofTemplates;
  }) {
    const signer = {id: verificationMethod, algorithm: 'Ed25519',
      sign: async ({data}: {data: Uint8Array}) => signBytes(data)};
    super({signer, date: created, cryptosuite});
    this.templates = templates;
  }

  override async canonizeProof(proof: ProofOptions, options: {documentLoader: unknown;
    document: Record<string, unknown>}): Promise<string> {
    return this.templates.canonize({proof, context: options.document['@context'],
      canonizeProof: withCreated => super.canonizeProof(withCreated, options)});
  }
}
