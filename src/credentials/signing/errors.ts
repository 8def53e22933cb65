/** Typed errors of the signing engine; they cross the worker boundary as `{code, reason}`. */
import {AppError} from '../../platform/errors.js';

/** 422: the credential cannot be secured as given (not a valid VC, or not valid JSON-LD). */
export class CredentialNotSignable extends AppError {
  constructor(readonly reason: string, cause?: unknown) {
    super('credential-not-signable', 422, 'Credential cannot be signed',
      {detail: `The credential cannot be secured: ${reason}`, cause});
  }
}

/** 500: the issuer's stored key cannot be used (wrong key-encryption key, damaged or revoked). */
export class SigningKeyUnusable extends AppError {
  constructor(readonly reason: string, cause?: unknown) {
    super('signing-key-unusable', 500, 'Signing key unusable',
      {detail: `The issuer's signing key cannot be used: ${reason}.`, cause});
  }
}

/** A signing error as it crosses from a worker thread to the main thread. */
export interface WireError {
  code: 'credential-not-signable' | 'signing-key-unusable';
  reason: string;
}

/** The wire form of a typed signing error; undefined for anything else (a bug). */
export function toWireError(error: unknown): WireError | undefined {
  if(error instanceof CredentialNotSignable || error instanceof SigningKeyUnusable) {
    return {code: error.code as WireError['code'], reason: error.reason};
  }
  return undefined;
}

/** Turns a wire error back into its typed error. */
export function fromWireError(error: WireError): CredentialNotSignable | SigningKeyUnusable {
  return error.code === 'signing-key-unusable' ? new SigningKeyUnusable(error.reason) :
    new CredentialNotSignable(error.reason);
}
