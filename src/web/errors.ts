/** Typed errors of the public pages. */
import {AppError, NotFound} from '../platform/errors.js';

/** 404: no credential behind this share link (unknown, or withdrawn by the organisation). */
export class ShareNotFound extends NotFound {
  constructor() {
    super('Share link');
  }
}

/** 404: the shared credential exists, but not in the downloaded format. */
export class FormatNotAvailable extends NotFound {
  constructor(format: string) {
    super(`This credential as ${format}`);
  }
}

/** 406: none of the media types the client accepts is available for this credential. */
export class NotAcceptable extends AppError {
  constructor(available: string[]) {
    super('not-acceptable', 406, 'Not acceptable', {
      detail: `None of the accepted media types is available here; available: ${available.join(', ')}.`,
      extensions: {available}
    });
  }
}

/** 410: the learner's personal data was erased, and with it the stored credential. */
export class CredentialErased extends AppError {
  constructor() {
    super('credential-erased', 410, 'Credential erased', {
      detail: 'This credential is no longer available here: the learner\'s data was erased at their ' +
        'request. The credential itself stays valid wherever the learner keeps it.'
    });
  }
}
