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
  export class CredentialIssuancePurpose {
    constructor(options?: {controller?: object; date?: string | Date; maxTimestampDelta?: number});
  }
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

declare module '@digitalbazaar/vc-bitstring-status-list' {
  export class BitstringStatusList {
    constructor(options: {length?: number; buffer?: Uint8Array});
    readonly length: number;
    setStatus(index: number, status: boolean): void;
    getStatus(index: number): boolean;
    encode(): Promise<string>;
    static decode(options: {encodedList: string}): Promise<BitstringStatusList>;
  }
  export function createList(options: {length: number}): Promise<BitstringStatusList>;
  export function decodeList(options: {encodedList: string}): Promise<BitstringStatusList>;
}

declare module 'jsonld' {
  type Loader = (url: string) => Promise<{contextUrl?: string | null; documentUrl: string; document: unknown}>;
  /** Expansion options carecred uses; `safe: true` fails on any dropped term or relative IRI. */
  interface ExpandOptions {documentLoader?: Loader; safe?: boolean; base?: string | null}
  const jsonld: {
    expand(input: object, options?: ExpandOptions): Promise<object[]>;
    toRDF(input: object, options?: ExpandOptions & {format?: 'application/n-quads'}): Promise<string>;
  };
  export default jsonld;
}

declare module '@digitalbazaar/did-method-key' {
  export interface DidKeyDriver {
    use(options: {multibaseMultikeyHeader: string; fromMultibase: (options: {publicKeyMultibase: string}) =>
      Promise<unknown>}): void;
    get(options: {did?: string; url?: string}): Promise<Record<string, unknown>>;
  }
  export function driver(): DidKeyDriver;
}

declare module '@digitalbazaar/ed25519-signature-2020' {
  export class Ed25519Signature2020 {
    constructor(options?: {key?: unknown; signer?: unknown; verificationMethod?: string; date?: string | Date});
    [key: string]: unknown;
  }
}

declare module '@digitalbazaar/ed25519-verification-key-2020' {
  export class Ed25519VerificationKey2020 {
    static generate(options?: {id?: string; controller?: string; seed?: Uint8Array}): Promise<Ed25519VerificationKey2020>;
    static from(options: Record<string, unknown>): Promise<Ed25519VerificationKey2020>;
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    export(options: {publicKey?: boolean; privateKey?: boolean; includeContext?: boolean}): Record<string, unknown>;
    signer(): unknown;
  }
}

declare module 'jsonld-signatures' {
  const jsigs: {
    verify(document: object, options: {suite: unknown | unknown[]; purpose: unknown;
      documentLoader: unknown}): Promise<{verified: boolean; error?: unknown;
      results?: {verified: boolean; error?: unknown; proof?: Record<string, unknown>;
        purposeResult?: {controller?: {id?: string}}}[]}>;
    sign(document: object, options: {suite: unknown; purpose: unknown; documentLoader: unknown}):
      Promise<Record<string, unknown>>;
    purposes: {
      AuthenticationProofPurpose: new (options: {challenge?: string; domain?: string | string[];
        controller?: object}) => unknown;
      AssertionProofPurpose: new (options?: object) => unknown;
    };
  };
  export default jsigs;
}
