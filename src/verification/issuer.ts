/**
 * The `issuer` check: the issuer's DID resolves, and whether carecred knows the issuer (one of its
 * organisations). An issuer carecred does not know is a warning, not a failure: its signature can
 * be perfectly valid; carecred only cannot vouch for who it is.
 */
import type {DidResolver} from '../platform/jsonld/document-loader.js';
import {fail, pass, warn} from './report.js';
import type {Check, LookupIssuer, RegisteredIssuer} from './types.js';

/** The issuer id of a credential (a string, or the `id` of an object); undefined if absent. */
export function issuerIdOf(credential: Record<string, unknown>): string | undefined {
  const {issuer} = credential;
  const id = typeof issuer === 'object' && issuer !== null ? (issuer as {id?: unknown}).id : issuer;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Checks the issuer.
 *
 * @returns the check and, for a registered issuer, what carecred knows of it.
 * @throws whatever `lookupIssuer` throws (a database outage is not a property of the credential).
 */
export async function checkIssuer({issuer, resolveDid, lookupIssuer}: {
  issuer: string; resolveDid: DidResolver; lookupIssuer: LookupIssuer;
}): Promise<{check: Check; registered?: RegisteredIssuer}> {
  if(!issuer.startsWith('did:')) {
    return {check: fail('issuer', 'issuer-not-did', `The issuer ${issuer} is not a DID; carecred ` +
      'verifies issuers identified by did:key or did:web.')};
  }
  try {
    if(!await resolveDid(issuer.split('#')[0]!)) {
      return {check: fail('issuer', 'issuer-unresolvable', `The issuer's DID ${issuer} does not resolve ` +
        '(unknown, or its key was revoked).')};
    }
  } catch(error) {
    return {check: fail('issuer', 'issuer-unresolvable', (error as Error).message)};
  }
  const registered = await lookupIssuer(issuer);
  return registered ?
    {check: pass('issuer', 'issuer-registered', 'The issuer is registered with carecred.'), registered} :
    {check: warn('issuer', 'issuer-not-registered', 'The issuer is not registered here: its DID resolves, ' +
      'but carecred does not know who it is.')};
}
