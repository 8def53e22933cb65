/**
 * The VC-API issuer (`POST /credentials/issue`): secures a credential the organisation supplies.
 * The story: it must conform to the VC Data Model (2.0, or 1.1 — the same rule table the
 * verifier applies, verification/data-model.ts), its issuer must be the organisation's current
 * issuer DID (the controller of its active key: a did:key organisation's DID changes on
 * rotation), then it is signed with that key (eddsa-rdfc-2022, the signing worker pool).
 *
 * Nothing is stored and no status entry is added: the caller owns the credential. The input is
 * never changed; a VC 1.1 credential without `issuanceDate` gets the time of issue in the copy
 * that is checked and signed (what vc.issue would add), so the check sees the signed document.
 */
import type {KeyService} from '../keys/index.js';
import {Unprocessable, ValidationFailed} from '../platform/errors.js';
import {checkDataModel, NonConformingDocument} from '../verification/index.js';
import type {Signer} from './signing/index.js';
import {IssuerMismatch} from './supplied-errors.js';

/** The VC-API issue options carecred reads (the contract refuses others). */
export interface SuppliedOptions {
  credentialId?: string;
  mandatoryPointers?: string[];
}

const V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';

/** XML Schema dateTime to the second, as vc.issue writes `issuanceDate`. */
function nowSeconds(): string {
  return `${new Date().toISOString().slice(0, 19)}Z`;
}

function issuerIdOf(credential: Record<string, unknown>): unknown {
  const {issuer} = credential;
  return typeof issuer === 'object' && issuer !== null && !Array.isArray(issuer) ?
    (issuer as {id?: unknown}).id : issuer;
}

/** The credential as it will be signed: a copy, with `issuanceDate` for a 1.1 one that lacks it. */
function toBeSigned(credential: Record<string, unknown>): Record<string, unknown> {
  const contexts = credential['@context'];
  const first = Array.isArray(contexts) ? contexts[0] : contexts;
  return first === V1_CONTEXT && credential.issuanceDate === undefined ?
    {...credential, issuanceDate: nowSeconds()} : {...credential};
}

/**
 * Checks what the contract cannot: the data model's MUSTs.
 *
 * @throws {NonConformingDocument} listing each broken rule (400).
 */
function assertConforming(credential: Record<string, unknown>): void {
  const {violations} = checkDataModel({document: credential, kind: 'credential', embeddedProof: false});
  if(violations.length > 0) {
    throw new NonConformingDocument('The credential is not a conforming verifiable credential: ' +
      `${violations.length} problem(s).`, violations.map(violation => ({pointer: '/body/credential',
      message: `${violation.message} (${violation.section})`})));
  }
}

/**
 * Creates the VC-API issuer.
 *
 * @returns `issueSuppliedCredential`.
 */
export function createSuppliedCredentialIssuer({signer, keys}: {signer: Signer; keys: KeyService}) {
  /**
   * Signs a supplied credential for an organisation.
   *
   * @returns the verifiable credential (a new object; the input is not changed).
   * @throws {NonConformingDocument} (400) when it breaks the data model; {IssuerMismatch} (400)
   *   when its issuer is not the organisation's DID; {Unprocessable} (422) for options carecred
   *   does not support; the signer's CredentialNotSignable (422) when it cannot be signed as
   *   JSON-LD (unknown context, undefined term, a proof already present).
   */
  async function issueSuppliedCredential({orgId, credential, options = {}}: {
    orgId: string; credential: Record<string, unknown>; options?: SuppliedOptions;
  }): Promise<Record<string, unknown>> {
    if(!credential || typeof credential !== 'object' || Array.isArray(credential)) {
      throw new ValidationFailed([{pointer: '/body/credential', message: 'must be an object'}]);
    }
    if(options.mandatoryPointers !== undefined) {
      throw new Unprocessable('mandatoryPointers is an option of selective-disclosure cryptosuites; ' +
        'carecred secures credentials with eddsa-rdfc-2022.', 'unprocessable');
    }
    const document = toBeSigned(credential);
    assertConforming(document);
    const key = await keys.getActiveKey(orgId);
    const issuer = issuerIdOf(document);
    if(issuer !== key.controller) {
      throw new IssuerMismatch(String(issuer), key.controller);
    }
    return signer.signDataIntegrity({credential: document, key});
  }

  return {issueSuppliedCredential};
}
