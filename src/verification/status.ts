/**
 * Credential status (Bitstring Status List v1.0 §3.2 "Validate Algorithm"; the older
 * StatusList2021Entry is read the same way): the `status.revocation` and `status.suspension`
 * checks.
 *
 * Fail closed: an entry whose list cannot be fetched, verified or decoded, or whose index is out
 * of range, gives "status unknown" (a failed check), never "not revoked". carecred's own lists
 * (URLs under PUBLIC_BASE_URL/status/) are read through the injected `checkOwnStatus` (the
 * database), never over HTTP. A foreign list credential must verify, have the credential's
 * issuer as its issuer, be within its validity period, and have the entry's purpose.
 *
 * A credential with no entry for a purpose passes that check with "no status information": its
 * issuer did not make it revocable (or suspendable), and the signature covers that choice.
 * Entries of other purposes (`message`, `refresh`) are not checked.
 */
import {LRUCache} from 'lru-cache';

import {fail, pass} from './report.js';
import {type FetchRemote} from './safe-fetch.js';
import {type DecodeStatusList, MIN_STATUS_LIST_BITS, readStatusBit} from './status-list.js';
import type {Check, CheckOwnCredential, CheckOwnStatus, OwnStatus} from './types.js';

type Json = Record<string, unknown>;

export const STATUS_PURPOSES = ['revocation', 'suspension'] as const;
export type StatusPurpose = typeof STATUS_PURPOSES[number];

const ENTRY_TYPES = new Set(['BitstringStatusListEntry', 'StatusList2021Entry']);
const LIST_TYPES = new Set(['BitstringStatusListCredential', 'StatusList2021Credential']);

/** The state of one entry. */
interface EntryState {
  state: 'set' | 'unset' | 'unknown';
  reason?: string;
}

/** A verified foreign list, cached. */
interface VerifiedList {
  issuer: string;
  purposes: string[];
  bits: Uint8Array;
}

/** Verifies a fetched status list credential; `reason` says why not. */
export type VerifyListCredential = (fetched: {json?: unknown; text: string}) =>
  Promise<{valid: true; document: Json; issuer: string} | {valid: false; reason: string}>;

/** The two status checks of a credential. */
export interface StatusChecks {
  revocation: Check;
  suspension: Check;
}

function values(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function unknown(reason: string): EntryState {
  return {state: 'unknown', reason};
}

function parseIndex(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/**
 * Creates the status checker.
 *
 * @param options.publicBaseUrl - own lists live under `${publicBaseUrl}/status/`.
 * @param options.checkOwnStatus - reads a bit of an own list (injected; the status module).
 * @param options.checkOwnCredential - the status of a credential carecred issued, by its id.
 * @param options.fetchRemote - the safe fetcher, for foreign list credentials.
 * @param options.verifyListCredential - verifies a foreign list credential (signature, validity).
 * @param options.decodeStatusList - decodes `encodedList` (swappable for src/status/bitstring.ts).
 * @param options.listCacheTtlMs - how long a verified, decoded foreign list is reused.
 * @returns `checkStatus({credential, issuer})` → the revocation and suspension checks.
 */
export function createStatusChecker({publicBaseUrl, checkOwnStatus, checkOwnCredential, fetchRemote,
  verifyListCredential, decodeStatusList, listCacheTtlMs = 60_000}: {
  publicBaseUrl: string; checkOwnStatus: CheckOwnStatus; checkOwnCredential?: CheckOwnCredential;
  fetchRemote: FetchRemote;
  verifyListCredential: VerifyListCredential; decodeStatusList: DecodeStatusList; listCacheTtlMs?: number;
}) {
  const ownPrefix = `${publicBaseUrl.replace(/\/+$/, '')}/status/`;
  const lists = new LRUCache<string, VerifiedList>({max: 200, ttl: Math.max(listCacheTtlMs, 1)});

  async function loadForeignList(url: string): Promise<VerifiedList | string> {
    const cached = lists.get(url);
    if(cached) {
      return cached;
    }
    let fetched;
    try {
      fetched = await fetchRemote(url, {accept: 'json-or-jwt'});
    } catch(error) {
      return `the status list could not be fetched (${(error as Error).message})`;
    }
    const verified = await verifyListCredential(fetched);
    if(!verified.valid) {
      return `the status list is not valid (${verified.reason})`;
    }
    const {document, issuer} = verified;
    const subject = values(document.credentialSubject)[0] as Json | undefined;
    if(!values(document.type).some(type => LIST_TYPES.has(String(type))) ||
      typeof subject?.encodedList !== 'string') {
      return 'the document is not a status list credential';
    }
    let bits: Uint8Array;
    try {
      bits = await decodeStatusList(subject.encodedList);
    } catch {
      return 'the status list could not be decoded';
    }
    if(bits.length * 8 < MIN_STATUS_LIST_BITS) {
      return 'the status list is shorter than the minimum of 131,072 entries';
    }
    const list = {issuer, purposes: values(subject.statusPurpose).map(String), bits};
    lists.set(url, list);
    return list;
  }

  async function foreignState({url, index, purpose, issuer}: {
    url: string; index: number; purpose: string; issuer: string;
  }): Promise<EntryState> {
    const list = await loadForeignList(url);
    if(typeof list === 'string') {
      return unknown(list);
    }
    if(list.issuer !== issuer) {
      return unknown('the status list was issued by another issuer than the credential');
    }
    if(!list.purposes.includes(purpose)) {
      return unknown(`the status list is not a ${purpose} list`);
    }
    const bit = readStatusBit(list.bits, index);
    return bit === undefined ? unknown('the status index is beyond the end of the list') :
      {state: bit ? 'set' : 'unset'};
  }

  async function entryState(entry: Json, purpose: string, issuer: string): Promise<EntryState> {
    if(!ENTRY_TYPES.has(String(entry.type))) {
      return unknown(`the status type ${String(entry.type)} is not supported`);
    }
    const index = parseIndex(entry.statusListIndex);
    const url = entry.statusListCredential;
    if(index === undefined || typeof url !== 'string') {
      return unknown('the status entry has no valid statusListIndex or statusListCredential');
    }
    if(entry.statusSize !== undefined && Number(entry.statusSize) !== 1) {
      return unknown('status entries of more than one bit are not supported for this purpose');
    }
    if(url.startsWith(ownPrefix)) {
      try {
        const own = await checkOwnStatus({statusListCredential: url, statusListIndex: index,
          statusPurpose: purpose, issuer});
        return {state: own.status, reason: own.reason};
      } catch {
        return unknown('the status could not be read');
      }
    }
    return foreignState({url, index, purpose, issuer});
  }

  /** The check of one purpose from the states of its entries (or of the own credential). */
  function purposeResult(purpose: StatusPurpose, states: EntryState[]): Check {
    const id = `status.${purpose}` as const;
    const set = states.find(state => state.state === 'set');
    if(set) {
      return purpose === 'revocation' ?
        fail(id, 'status-revoked', `The credential has been revoked by its issuer${set.reason ? `: ${set.reason}` : '.'}`) :
        fail(id, 'status-suspended', `The credential is suspended by its issuer${set.reason ? `: ${set.reason}` : '.'}`);
    }
    const notKnown = states.find(state => state.state === 'unknown');
    if(notKnown) {
      return fail(id, 'status-unknown', `The ${purpose} status is unknown: ${notKnown.reason ?? 'it could not be checked'}. ` +
        'The credential cannot be treated as valid.');
    }
    return purpose === 'revocation' ? pass(id, 'status-not-revoked', 'The credential has not been revoked.') :
      pass(id, 'status-not-suspended', 'The credential is not suspended.');
  }

  async function purposeCheck(credential: Json, purpose: StatusPurpose, issuer: string): Promise<Check> {
    const entries = values(credential.credentialStatus).filter((entry): entry is Json =>
      typeof entry === 'object' && entry !== null && (entry as Json).statusPurpose === purpose);
    if(entries.length === 0) {
      return pass(`status.${purpose}`, 'status-none', `No ${purpose} status information: the issuer ` +
        `did not make this credential ${purpose === 'revocation' ? 'revocable' : 'suspendable'}.`);
    }
    const states = await Promise.all(entries.map(entry => entryState(entry, purpose, issuer)));
    return purposeResult(purpose, states);
  }

  /** Both purposes of a credential carecred issued, from the database; undefined if not ours. */
  async function ownCredentialChecks(credential: Json, issuer: string): Promise<StatusChecks | undefined> {
    if(!checkOwnCredential || typeof credential.id !== 'string') {
      return undefined;
    }
    let own: {revocation: OwnStatus; suspension: OwnStatus} | undefined;
    try {
      own = await checkOwnCredential({credentialId: credential.id, issuer});
    } catch {
      const state = unknown('the status could not be read');
      return {revocation: purposeResult('revocation', [state]), suspension: purposeResult('suspension', [state])};
    }
    return own && {
      revocation: purposeResult('revocation', [{state: own.revocation.status, reason: own.revocation.reason}]),
      suspension: purposeResult('suspension', [{state: own.suspension.status, reason: own.suspension.reason}])
    };
  }

  /**
   * Checks revocation and suspension; never throws.
   *
   * @param options.credential - the credential (its `credentialStatus` entries are read).
   * @param options.issuer - the credential's issuer id.
   */
  async function checkStatus({credential, issuer}: {credential: Json; issuer: string}):
    Promise<StatusChecks> {
    const own = await ownCredentialChecks(credential, issuer);
    if(own) {
      return own;
    }
    const [revocation, suspension] = await Promise.all(
      STATUS_PURPOSES.map(purpose => purposeCheck(credential, purpose, issuer)));
    return {revocation: revocation!, suspension: suspension!};
  }

  return {checkStatus};
}
