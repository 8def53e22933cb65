/** Typed errors of the verification module (only malformed input becomes an HTTP problem). */
import {AppError, type FieldError} from '../platform/errors.js';

/** 400: the input is neither a credential, a presentation nor a compact JWS that holds one. */
export class UnparseableInput extends AppError {
  constructor(detail: string, cause?: unknown) {
    super('unparseable-credential', 400, 'Unparseable credential', {detail, cause});
  }
}

/** 400: a VC-API request whose credential or presentation breaks the data model. */
export class NonConformingDocument extends AppError {
  constructor(detail: string, errors: FieldError[]) {
    super('non-conforming-document', 400, 'Not a conforming verifiable credential or presentation',
      {detail, extensions: {errors}});
  }
}
