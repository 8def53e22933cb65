/**
 * What each problem `type` means, served at `/problems/{code}` so that every problem's `type` URI
 * resolves to an explanation. A code used by an `AppError` must be listed here (a test checks it).
 */
export interface ProblemType {
  title: string;
  status: number;
  description: string;
}

export const PROBLEM_TYPES: Record<string, ProblemType> = {
  'validation-failed': {title: 'Request validation failed', status: 400,
    description: 'The request does not match the OpenAPI contract; `errors` lists each failing field as a JSON pointer (/body/..., /query/..., /path/..., /header/...) with a message. Nothing was changed.'},
  'malformed-body': {title: 'Malformed request body', status: 400,
    description: 'The body could not be parsed (for example invalid JSON). Nothing was changed.'},
  'unparseable-credential': {title: 'Unparseable credential', status: 400,
    description: 'The body holds neither a verifiable credential, a verifiable presentation, nor a compact JWS (VC-JOSE) that secures one. A credential that can be read but is invalid is not this error: it is verified and reported with `verified: false`.'},
  'non-conforming-document': {title: 'Not a conforming verifiable credential or presentation', status: 400,
    description: 'VC-API only: the credential or presentation breaks a MUST of the VC Data Model (for example no `@context`, no `issuer`, no `proof`), so it cannot be verified; `errors` names each rule. POST /v1/verify reports the same as a failing `format` check.'},
  'issuer-mismatch': {title: 'Issuer is not the organisation', status: 400,
    description: 'VC-API POST /credentials/issue: the credential\'s `issuer` (or `issuer.id`) is not the organisation\'s current issuer DID, so carecred will not sign it. GET /v1/organisation shows the DID (a did:key organisation\'s DID changes when its key rotates).'},
  'verification': {title: 'Verification check not passed', status: 200,
    description: 'Not an HTTP error: the type of a VC-API ProblemDetails entry for a check of a credential or presentation that did not pass, where no W3C specification defines a type. The fragment is the check outcome code (for example #status-revoked, #expired, #issuer-not-registered); the report of POST /v1/verify gives the same code per check.'},
  'unauthenticated': {title: 'Authentication required', status: 401,
    description: 'Send `Authorization: Bearer <apiKey>` with a valid, unrevoked API key (or the admin token on /v1/admin routes).'},
  'forbidden': {title: 'Not allowed', status: 403,
    description: 'The API key is valid but lacks the scope this operation needs (catalog:write, issue, revoke or read).'},
  'not-found': {title: 'Not found', status: 404,
    description: 'No such route, or no such resource in your organisation. Resources of other organisations are reported as not found.'},
  'method-not-allowed': {title: 'Method not allowed', status: 405,
    description: 'The path exists but not with this method; the `Allow` header lists the methods it takes.'},
  'conflict': {title: 'Conflict', status: 409,
    description: 'The request conflicts with the current state, for example a duplicate slug or external id.'},
  'lifecycle-conflict': {title: 'Lifecycle conflict', status: 409,
    description: 'The resource is not in a state that allows this transition (for example publishing an archived unit, or reinstating a revoked credential).'},
  'unit-not-issuable': {title: 'Unit not issuable', status: 409,
    description: 'Credentials can only be issued for a published version of a unit that is not archived; the requested version is a draft, the unit is archived, or it has never been published.'},
  'idempotency-in-progress': {title: 'Request in progress', status: 409,
    description: 'Another request with the same Idempotency-Key is still being processed; retry later to get its result.'},
  'learner-erased': {title: 'Learner erased', status: 410,
    description: 'The learner\'s personal data was erased at their request (`erasedAt`). Credentials already issued stay valid; nothing new can be recorded for this learner.'},
  'not-acceptable': {title: 'Not acceptable', status: 406,
    description: 'None of the media types in `Accept` is available for this resource; `available` lists those that are (for a share link: text/html and the formats the credential was issued in, such as application/vc or application/vc+jwt).'},
  'credential-erased': {title: 'Credential erased', status: 410,
    description: 'The credential behind this share link is no longer stored: the learner\'s personal data was erased at their request. The credential stays valid wherever the learner keeps it, and its status is still served.'},
  'payload-too-large': {title: 'Payload too large', status: 413,
    description: 'The body exceeds the limit of this route.'},
  'unsupported-media-type': {title: 'Unsupported media type', status: 415,
    description: 'The body\'s Content-Type is not one this operation accepts; see `Accept-Post`.'},
  'unprocessable': {title: 'Unprocessable request', status: 422,
    description: 'The request is well-formed but cannot be carried out as asked.'},
  'import-empty': {title: 'Empty import', status: 422,
    description: 'The uploaded file holds no rows (a CSV file with only its header row, or an empty JSON array). No job was created.'},
  'idempotency-key-reused': {title: 'Idempotency-Key reused', status: 422,
    description: 'The Idempotency-Key was already used with a different request body. Use a new key for a new request.'},
  'profile-not-applicable': {title: 'Profile not applicable', status: 422,
    description: 'The unit cannot be issued in this credential profile, for example a Europass credential for a unit whose title has no language with a two-letter ISO 639-1 code. `profile` names the profile. Nothing was issued.'},
  'credential-not-signable': {title: 'Credential cannot be signed', status: 422,
    description: 'The credential is not one carecred can secure: not a valid verifiable credential, or JSON-LD that does not expand safely (a term or type no context defines, an unknown context URL). `detail` names the reason. Nothing was issued.'},
  'rate-limited': {title: 'Too many requests', status: 429,
    description: 'The public rate limit was reached; retry after the number of seconds in `Retry-After`.'},
  'internal-error': {title: 'Internal server error', status: 500,
    description: 'An unexpected error. It was logged with the request id; nothing internal is shown.'},
  'signing-key-unusable': {title: 'Signing key unusable', status: 500,
    description: 'The organisation\'s stored signing key cannot be used (it does not decrypt with the configured KEY_ENCRYPTION_KEY, or it was revoked). Nothing was issued; an administrator must check the key configuration or rotate the key.'},
  'service-unavailable': {title: 'Service unavailable', status: 503,
    description: 'The database (or another dependency) does not answer. Nothing was changed; retry after `Retry-After` seconds.'}
};
