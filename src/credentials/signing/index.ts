/** Signing: Data Integrity (eddsa-rdfc-2022) and VC-JOSE JWT signatures, on worker threads. */
export {type Canonize, type CanonizeOptions, createFastCanonize} from './canonize.js';
export type {Canonicalization, Credential} from './engine.js';
export {CredentialNotSignable, SigningKeyUnusable} from './errors.js';
export {vcJwtHeader} from './jwt.js';
export type {SigningKey} from './keys.js';
export {createSigner, type DataIntegrityProof, type SignedCredential, type Signer,
  type SignerOptions} from './signer.js';
