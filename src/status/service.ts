/**
 * Credential status: revoke / suspend / reinstate, the audit trail, and the signed
 * BitstringStatusListCredentials served to verifiers.
 *
 * Design (see transition-model.ts): a status change is the insert of the transition
 * `_id: "<credential>:<n+1>"` — the one atomic step, safe with several processes and on FerretDB.
 * Two concurrent changes of one credential: one insert wins, the other re-reads and is either
 * still valid (it retries as n+2) or a 409. What follows a transition is written after it, each
 * step idempotent: its audit event, a fresh marker on the lists it touches, and the status cached
 * on the credential document. A crash in between leaves the cache behind the transitions, and the
 * next read or change of the credential finds them and writes the rest (`settle`). Status lists
 * are rebuilt from the transitions, never from the cache, so no change is lost. The signed list
 * is stored under its list's marker (`_id`), so a burst of reads signs once and a change makes
 * the next read sign the new list. Every read of a collection that grows with use, on the way of
 * a verification, a change or a list read, is an `_id` lookup: the only kind FerretDB v1's SQLite
 * backend answers from an index (test/e2e/status-queries.test.ts holds this).
 */
import {randomBytes} from 'node:crypto';

import {Types} from 'mongoose';

import type {CredentialModels, CredentialRecord, CredentialStatus} from '../credentials/model.js';
import {isDuplicateKeyError} from '../platform/db.js';
import {Conflict, NotFound} from '../platform/errors.js';
import type {AuditAction, AuditEventRecord, AuditModels} from './audit-model.js';
import {encodeStatusList} from './bitstring.js';
import type {StatusModels, StatusPurpose} from './model.js';
import {listMarkerId, type StatusTransitionRecord, transitionId, type TransitionModels} from './transition-model.js';

export type StatusAction = 'revoke' | 'suspend' | 'reinstate';

const TRANSITIONS: Record<StatusAction, {from: CredentialStatus[]; to: CredentialStatus}> = {
  revoke: {from: ['active', 'suspended'], to: 'revoked'},
  suspend: {from: ['active'], to: 'suspended'},
  reinstate: {from: ['suspended'], to: 'active'}
};
/** The audit action of a transition, by the status it leads to. */
const AUDIT_ACTION_OF: Record<CredentialStatus, AuditAction> = {
  revoked: 'credential.revoked', suspended: 'credential.suspended', active: 'credential.reinstated'
};
const MAX_CHANGE_ATTEMPTS = 5;
/** The marker of a list no transition has touched yet. */
const UNCHANGED_LIST_MARKER = 'none';

/** A credential's status as its transitions say, and the transitions its cache lacks. */
interface StatusTruth {
  status: CredentialStatus;
  seq: number;
  reason?: string;
  at?: Date;
  /** Transitions after the cached status, oldest first: their follow-up writes may be missing. */
  unsettled: StatusTransitionRecord[];
}

type StatusPositions = Pick<StatusTransitionRecord,
  'revocationListId' | 'revocationIndex' | 'suspensionListId' | 'suspensionIndex'>;

/** A credential's two status list positions, as a credential, a transition and its event carry them. */
function positionsOf(source: StatusPositions): StatusPositions {
  const {revocationListId, revocationIndex, suspensionListId, suspensionIndex} = source;
  return {revocationListId, revocationIndex, suspensionListId, suspensionIndex};
}

/** A signed status list credential ready to serve. */
export interface ServedStatusList {
  document: string;
  etag: string;
}

/** The list reference used in URLs: `revocation-1`, `suspension-3`. */
export function parseListRef(listRef: string): {purpose: StatusPurpose; listId: number} | undefined {
  const match = /^(revocation|suspension)-([1-9][0-9]{0,8})$/.exec(listRef);
  return match ? {purpose: match[1] as StatusPurpose, listId: Number(match[2])} : undefined;
}

/**
 * The URL of a status list credential.
 *
 * @returns `<base>/status/<orgSlug>/<purpose>-<listId>`.
 */
export function statusListUrl({publicBaseUrl, orgSlug, purpose, listId}: {
  publicBaseUrl: string; orgSlug: string; purpose: StatusPurpose; listId: number;
}): string {
  return `${publicBaseUrl}/status/${orgSlug}/${purpose}-${listId}`;
}

/**
 * Creates the status service.
 *
 * @param options.signStatusList - signs a status list credential with the org's active key.
 * @param options.findOrganisationBySlug - resolves the slug of a status URL.
 * @returns the service functions.
 */
export function createStatusService({models, publicBaseUrl, signStatusList, findOrganisationBySlug}: {
  models: AuditModels & StatusModels & TransitionModels & CredentialModels;
  publicBaseUrl: string;
  signStatusList: (options: {orgId: string; credential: object}) => Promise<object>;
  findOrganisationBySlug: (slug: string) => Promise<{id: string; issuerDid: string} | undefined>;
}) {
  const {AuditEvent, SignedStatusList, StatusList, StatusTransition, StatusListMarker, Credential} = models;
  const signing = new Map<string, Promise<ServedStatusList>>();

  /** An `_id` lookup (the only indexed one on the embedded database); the org is checked here. */
  async function findCredential(orgId: string, credentialId: string): Promise<CredentialRecord> {
    const record = Types.ObjectId.isValid(credentialId) ?
      await Credential.findById(credentialId).lean<CredentialRecord>() : null;
    if(!record || record.orgId.toHexString() !== orgId) {
      throw new NotFound('Credential', credentialId);
    }
    return record;
  }

  /**
   * The status from the transitions: probes `<C>:<s+1>`, `<C>:<s+2>`, ... by `_id` from the
   * cached status s (never ahead of the truth) until one is missing.
   */
  async function readTruth(record: CredentialRecord): Promise<StatusTruth> {
    const credentialId = record._id.toHexString();
    const unsettled: StatusTransitionRecord[] = [];
    for(let seq = (record.statusSeq ?? 0) + 1; ; seq++) {
      const next = await StatusTransition.findById(transitionId(credentialId, seq))
        .lean<StatusTransitionRecord>();
      if(!next) {
        break;
      }
      unsettled.push(next);
    }
    const newest = unsettled.at(-1);
    return newest ?
      {status: newest.toStatus as CredentialStatus, seq: newest.seq, reason: newest.reason, at: newest.at,
        unsettled} :
      {status: record.status, seq: record.statusSeq ?? 0, reason: record.statusReason,
        at: record.statusChangedAt, unsettled};
  }

  /** The audit event of a transition; written once (unique `transitionKey`). */
  async function auditTransition(change: StatusTransitionRecord): Promise<void> {
    try {
      await AuditEvent.create({
        orgId: change.orgId, at: change.at, action: AUDIT_ACTION_OF[change.toStatus as CredentialStatus],
        actor: change.actor, targetType: 'credential', targetId: change.credentialId, reason: change.reason,
        transitionKey: change._id, seq: change.seq, fromStatus: change.fromStatus, toStatus: change.toStatus,
        ...positionsOf(change)
      });
    } catch(error) {
      if(!isDuplicateKeyError(error)) {
        throw error;
      }
    }
  }

  /** Gives a list a fresh marker, so that its next read signs it again. */
  async function touchList(orgId: Types.ObjectId, purpose: StatusPurpose, listId: number): Promise<void> {
    const filter = {_id: listMarkerId(orgId, purpose, listId)};
    const update = {$set: {marker: randomBytes(9).toString('base64url')}};
    try {
      await StatusListMarker.updateOne(filter, update, {upsert: true});
    } catch(error) {
      // Two first touches at once: one inserted the marker, so this one updates it.
      if(!isDuplicateKeyError(error)) {
        throw error;
      }
      await StatusListMarker.updateOne(filter, update);
    }
  }

  /**
   * Writes what follows the unsettled transitions (audit events, list markers) and then the
   * cached status; each step is idempotent, so a repeat after a crash is harmless.
   */
  async function settle(record: CredentialRecord, truth: StatusTruth): Promise<CredentialRecord> {
    if(truth.unsettled.length === 0) {
      return record;
    }
    for(const change of truth.unsettled) {
      await auditTransition(change);
      if(change.toStatus === 'revoked' && change.revocationListId !== undefined) {
        await touchList(change.orgId, 'revocation', change.revocationListId);
      }
      if(change.suspensionListId !== undefined) {
        await touchList(change.orgId, 'suspension', change.suspensionListId);
      }
    }
    const update = {
      status: truth.status, statusSeq: truth.seq, statusReason: truth.reason, statusChangedAt: truth.at,
      ...(truth.status === 'revoked' ? {liveSlot: `revoked:${record._id.toHexString()}`} : {})
    };
    await Credential.updateOne({_id: record._id}, {$set: update});
    return {...record, ...update} as CredentialRecord;
  }

  /**
   * Reads a credential with its status brought up to date.
   *
   * @throws {NotFound} for an unknown id or another organisation's credential.
   */
  async function currentCredential({orgId, credentialId}: {orgId: string; credentialId: string}):
    Promise<CredentialRecord> {
    const record = await findCredential(orgId, credentialId);
    return settle(record, await readTruth(record));
  }

  /**
   * Revokes, suspends or reinstates a credential, and records who, when and why.
   *
   * @throws {NotFound} unknown credential; {Conflict} `lifecycle-conflict` for a wrong transition.
   */
  async function changeStatus({orgId, credentialId, action, reason, actor}: {
    orgId: string; credentialId: string; action: StatusAction; reason?: string; actor: string;
  }): Promise<CredentialRecord> {
    const transition = TRANSITIONS[action];
    for(let attempt = 0; attempt < MAX_CHANGE_ATTEMPTS; attempt++) {
      const record = await findCredential(orgId, credentialId);
      const truth = await readTruth(record);
      if(!transition.from.includes(truth.status)) {
        await settle(record, truth);
        throw new Conflict(`A ${truth.status} credential cannot be ${transition.to === 'active' ?
          'reinstated' : transition.to}.`, 'lifecycle-conflict');
      }
      const seq = truth.seq + 1;
      const change: StatusTransitionRecord = {
        _id: transitionId(credentialId, seq), orgId: record.orgId, credentialId, seq,
        fromStatus: truth.status, toStatus: transition.to, at: new Date(), actor, reason,
        ...positionsOf(record)
      };
      try {
        await StatusTransition.create(change);
      } catch(error) {
        if(!isDuplicateKeyError(error)) {
          throw error;
        }
        continue;
      }
      return settle(record, {status: transition.to, seq, reason, at: change.at,
        unsettled: [...truth.unsettled, change]});
    }
    throw new Conflict('The credential is being changed by another request; retry.', 'lifecycle-conflict');
  }

  /** Appends a non-status event to the audit trail. */
  async function recordAudit(event: {orgId: string; action: AuditAction; actor: string;
    targetType: AuditEventRecord['targetType']; targetId: string; reason?: string}): Promise<void> {
    await AuditEvent.create({...event, orgId: new Types.ObjectId(event.orgId), at: new Date()});
  }

  /** The audit trail, newest first, cursor-paginated by event id. */
  async function listAudit({orgId, targetId, action, limit = 50, cursor}: {
    orgId: string; targetId?: string; action?: string; limit?: number; cursor?: string;
  }): Promise<{items: AuditEventRecord[]; next?: string}> {
    const filter: Record<string, unknown> = {orgId: new Types.ObjectId(orgId)};
    if(targetId) {
      filter.targetId = targetId;
    }
    if(action) {
      filter.action = action;
    }
    if(cursor) {
      filter._id = {$lt: new Types.ObjectId(cursor)};
    }
    const items = await AuditEvent.find(filter).sort({_id: -1}).limit(limit + 1).lean<AuditEventRecord[]>();
    const page = items.slice(0, limit);
    return {items: page, ...(items.length > limit ? {next: page.at(-1)!._id.toHexString()} : {})};
  }

  /**
   * The indexes set in a list, from the transitions (the source of truth). A scan on FerretDB,
   * made once per change of the list: its signed copy is kept per marker.
   */
  async function setIndexes(orgId: Types.ObjectId, purpose: StatusPurpose, listId: number):
    Promise<number[]> {
    if(purpose === 'revocation') {
      const revocations = await StatusTransition.find({orgId, revocationListId: listId, toStatus: 'revoked'},
        {revocationIndex: 1}).lean<StatusTransitionRecord[]>();
      return revocations.map(change => change.revocationIndex!);
    }
    const changes = await StatusTransition.find({orgId, suspensionListId: listId})
      .sort({seq: 1}).lean<StatusTransitionRecord[]>();
    const newestByCredential = new Map<string, StatusTransitionRecord>();
    for(const change of changes) {
      newestByCredential.set(change.credentialId, change);
    }
    return [...newestByCredential.values()].filter(change => change.toStatus === 'suspended')
      .map(change => change.suspensionIndex!);
  }

  /**
   * Deletes the signed copies of a list made before the current one (never served again; a scan,
   * once per change). Only while `current` is still the list's marker, and only older copies: a
   * slow build of an earlier marker must not delete the copy every process now serves.
   */
  async function pruneSignedLists({orgId, purpose, listId, current}: {
    orgId: Types.ObjectId; purpose: StatusPurpose; listId: number;
    current: {_id: string; marker: string; createdAt: Date};
  }): Promise<void> {
    const now = await StatusListMarker.findById(listMarkerId(orgId, purpose, listId)).lean();
    if((now?.marker ?? UNCHANGED_LIST_MARKER) !== current.marker) {
      return;
    }
    await SignedStatusList.deleteMany({orgId, purpose, listId, _id: {$ne: current._id},
      createdAt: {$lt: current.createdAt}});
  }

  async function buildSignedList({orgId, issuerDid, orgSlug, purpose, listId, size, marker}: {
    orgId: Types.ObjectId; issuerDid: string; orgSlug: string; purpose: StatusPurpose;
    listId: number; size: number; marker: string;
  }): Promise<ServedStatusList> {
    const _id = `${listMarkerId(orgId, purpose, listId)}/${marker}`;
    const cached = await SignedStatusList.findById(_id).lean();
    const etag = `"${purpose}-${listId}-${marker}"`;
    if(cached) {
      return {document: cached.document, etag};
    }
    const url = statusListUrl({publicBaseUrl, orgSlug, purpose, listId});
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: issuerDid,
      validFrom: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      credentialSubject: {
        id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: purpose,
        encodedList: encodeStatusList({length: size,
          setIndexes: await setIndexes(orgId, purpose, listId)})
      }
    };
    const document = JSON.stringify(await signStatusList({orgId: orgId.toHexString(), credential}));
    let createdAt: Date;
    try {
      ({createdAt} = await SignedStatusList.create({_id, orgId, purpose, listId, marker, document}));
    } catch(error) {
      if(!isDuplicateKeyError(error)) {
        throw error;
      }
      const winner = await SignedStatusList.findById(_id).lean();
      return {document: winner?.document ?? document, etag};
    }
    await pruneSignedLists({orgId, purpose, listId, current: {_id, marker, createdAt}});
    return {document, etag};
  }

  /**
   * The signed status list credential of `<orgSlug>/<listRef>`, signed at most once per change.
   *
   * @throws {NotFound} for an unknown organisation or list.
   */
  async function getStatusList({orgSlug, listRef}: {orgSlug: string; listRef: string}):
    Promise<ServedStatusList> {
    const parsed = parseListRef(listRef);
    const org = parsed && await findOrganisationBySlug(orgSlug);
    if(!parsed || !org) {
      throw new NotFound('Status list', `${orgSlug}/${listRef}`);
    }
    const orgId = new Types.ObjectId(org.id);
    const list = await StatusList.findOne({orgId, purpose: parsed.purpose, listId: parsed.listId}).lean();
    if(!list) {
      throw new NotFound('Status list', `${orgSlug}/${listRef}`);
    }
    const marker = (await StatusListMarker.findById(listMarkerId(orgId, parsed.purpose, parsed.listId))
      .lean())?.marker ?? UNCHANGED_LIST_MARKER;
    const flightKey = `${org.id}/${listRef}/${marker}`;
    let flight = signing.get(flightKey);
    if(!flight) {
      flight = buildSignedList({orgId, issuerDid: org.issuerDid, orgSlug, ...parsed,
        size: list.size, marker}).finally(() => signing.delete(flightKey));
      signing.set(flightKey, flight);
    }
    return flight;
  }

  /**
   * Whether an index of one of our own lists is set, read from the database (no HTTP).
   *
   * @returns `set`, `unset`, or `unknown` when the list does not exist.
   */
  async function checkOwnStatus({orgSlug, listRef, index}: {
    orgSlug: string; listRef: string; index: number;
  }): Promise<'set' | 'unset' | 'unknown'> {
    const parsed = parseListRef(listRef);
    const org = parsed && await findOrganisationBySlug(orgSlug);
    if(!parsed || !org) {
      return 'unknown';
    }
    const orgId = new Types.ObjectId(org.id);
    if(!await StatusList.exists({orgId, purpose: parsed.purpose, listId: parsed.listId})) {
      return 'unknown';
    }
    // A scan on FerretDB: only for an entry of a list whose credential is not found by its id
    // (the verifier reads a credential it finds through `statusOfIssued`).
    if(parsed.purpose === 'revocation') {
      return await StatusTransition.exists({orgId, revocationListId: parsed.listId, revocationIndex: index,
        toStatus: 'revoked'}) ? 'set' : 'unset';
    }
    const newest = await StatusTransition.findOne({orgId, suspensionListId: parsed.listId,
      suspensionIndex: index}).sort({seq: -1}).lean<StatusTransitionRecord>();
    return newest?.toStatus === 'suspended' ? 'set' : 'unset';
  }

  /**
   * Both status bits of a credential carecred issued, from its transitions (for the verifier:
   * the profiles cannot always carry both status entries). One `_id` lookup when the cached
   * status is current.
   *
   * @returns undefined when the record is not of this issuer.
   */
  async function statusOfIssued(record: CredentialRecord, issuer: string):
    Promise<{revocation: 'set' | 'unset'; suspension: 'set' | 'unset'} | undefined> {
    if(record.issuerDid !== issuer) {
      return undefined;
    }
    const {status} = await readTruth(record);
    return {revocation: status === 'revoked' ? 'set' : 'unset',
      suspension: status === 'suspended' ? 'set' : 'unset'};
  }

  /**
   * Copies the status changes of a database written before transitions had their own collection
   * (when the audit events were the source of truth) into `statustransitions`; idempotent.
   *
   * @returns how many transitions were added.
   */
  async function adoptAuditTransitions(): Promise<number> {
    let adopted = 0;
    const events = AuditEvent.find({transitionKey: {$exists: true}}).lean<AuditEventRecord>().cursor();
    for await (const event of events) {
      try {
        await StatusTransition.create({
          _id: event.transitionKey!, orgId: event.orgId, credentialId: event.targetId, seq: event.seq!,
          fromStatus: event.fromStatus!, toStatus: event.toStatus!, at: event.at, actor: event.actor,
          reason: event.reason, ...positionsOf(event)
        } satisfies StatusTransitionRecord);
        adopted++;
      } catch(error) {
        if(!isDuplicateKeyError(error)) {
          throw error;
        }
      }
    }
    return adopted;
  }

  return {currentCredential, changeStatus, recordAudit, listAudit, getStatusList, checkOwnStatus,
    statusOfIssued, adoptAuditTransitions};
}

export type StatusService = ReturnType<typeof createStatusService>;
