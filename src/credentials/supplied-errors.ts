/** Typed errors of the VC-API issuer. */
import {AppError} from '../platform/errors.js';

/** 400: the supplied credential names another issuer than the organisation (VC-API: 400). */
export class IssuerMismatch extends AppError {
  constructor(got: string, expected: string) {
    super('issuer-mismatch', 400, 'Issuer is not the organisation', {
      detail: `The credential's issuer ${got} is not this organisation's issuer DID ${expected}.`,
      extensions: {errors: [{pointer: '/body/credential/issuer', message: `must be ${expected}`}]}
    });
  }
}
