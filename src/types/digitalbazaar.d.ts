/**
 * Minimal typings for the untyped JSON-LD / Data Integrity libraries carecred uses: only the
 * members carecred calls, with the shapes their documentation and source give.
 */
declare module '@digitalbazaar/ed25519-multikey' {
  export interface Ed25519KeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    export(options: {publicKey?: boolean; secretKey?: boolean; includeContext?: boolean}):
      Promise<Record<string, unknown>>;
    signer(): {id?: string; algorithm: string; sign(options: {data: Uint8Array}): Promise<Uint8Array>};
    verifier(): {id?: string; algorithm: string;
      verify(options: {data: Uint8Array; signature: Uint8Array}): Promise<boolean>};
  }
  export function generate(options?: {id?: string; controller?: string; seed?: Uint8Array}):
    Promise<Ed25519KeyPair>;
  export function from(key: Record<string, unknown>): Promise<Ed25519KeyPair>;
  export function fromJwk(options: {jwk: Record<string, unknown>; secretKey?: boolean; id?: string;
    controller?: string}): Promise<Ed25519KeyPair>;
  export function toJwk(options: {keyPair: Ed25519KeyPair; secretKey?: boolean}): Promise<Record<string, unknown>>;
}

declare module '@digitalbazaar/vc' {
  export type DocumentLoader = (url: string) => Promise<{
    contextUrl?: string | null; documentUrl: string; document: unknown;
  }>;
  export function issue(options: {credential: object; suite: unknown; documentLoader: DocumentLoader;
    now?: string | Date}): Promise<Record<string, unknown> & {proof: Record<string, unknown>}>;
  export function verifyCredential(options: {credential: object; suite: unknown | unknown[];
    documentLoader: DocumentLoader; checkStatus?: unknown; now?: Date; purpose?: unknown;
    maxClockSkew?: number}): Promise<{verified: boolean; error?: unknown; results?: unknown[]; [k: string]: unknown}>;
  export function verify(options: {presentation: object; suite: unknown | unknown[];
    documentLoader: DocumentLoader; challenge?: string; domain?: string; checkStatus?: unknown;
    unsignedPresentation?: boolean; now?: Date}): Promise<{verified: boolean; error?: unknown; [k: string]: unknown}>;
  export function createPresentation(options: {verifiableCredential?: object | object[]; id?: string;
    holder?: string; version?: number}): Record<string, unknown>;
  export function signPresentation(options: {presentation: object; suite: unknown; challenge: string;
    domain?: string; documentLoader: DocumentLoader}): Promise<Record<string, unknown>>;
  export const defaultDocumentLoader: DocumentLoader;
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: {signer?: unknown; cryptosuite: unknown; date?: string | Date;
      verificationMethod?: string});
    /** Canonizes the proof options (the proof without `proofValue`, with the document's context). */
    canonizeProof(proof: Record<string, unknown>, options: {documentLoader: unknown;
      document: Record<string, unknown>}): Promise<string>;
    [key: string]: unknown;
  }
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: {name: string; canonize: (input: object, options: object) => Promise<string>;
    createVerifier: unknown; requiredAlgorithm: string};
}
