/**
 * Credential status: revoke / suspend / reinstate, the audit trail, and the signed
 * BitstringStatusListCredentials served to verifiers.
 *
 * Design (see audit-model.ts): a status change is the insert of the audit event
 * `<credential>:<n+1>` under a unique index — the one atomic step, safe with several processes
 * and on FerretDB. Two concurrent changes of one credential: one insert wins, the other re-reads
 * and is either still valid (it retries as n+2) or a 409. The credential document's `status`
 * is a cache of the newest event, written after it (a crash in between is repaired on the next
 * read or change). Status lists are rebuilt from the events, never from the cache, so no change
 * is lost. A list's `marker` is the number of events that touched it (insert-only, so it only
 * grows): the signed list is cached per marker (unique index), so a burst of reads signs once,
 * and a change makes the next read sign the new list.
 */
import {Types} from 'mongoose';

import type {CredentialModels, CredentialRecord, CredentialStatus} from '../credentials/model.js';
import {isDuplicateKeyError} from '../platform/db.js';
import {Conflict, NotFound} from '../platform/errors.js';
import type {AuditAction, AuditEventRecord, AuditModels} from './audit-model.js';
import {encodeStatusList} from './bitstring.js';
import type {StatusModels, StatusPurpose} from './model.js';

export type StatusAction = 'revoke' | 'suspend' | 'reinstate';

const TRANSITIONS: Record<StatusAction, {from: CredentialStatus[]; to: CredentialStatus;
  audit: AuditAction}> = {
  revoke: {from: ['active', 'suspended'], to: 'revoked', audit: 'credential.revoked'},
  suspend: {from: ['active'], to: 'suspended', audit: 'credential.suspended'},
  reinstate: {from: ['suspended'], to: 'active', audit: 'credential.reinstated'}
};
const MAX_CHANGE_ATTEMPTS = 5;

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
  models: AuditModels & StatusModels & CredentialModels;
  publicBaseUrl: string;
  signStatusList: (options: {orgId: string; credential: object}) => Promise<object>;
  findOrganisationBySlug: (slug: string) => Promise<{id: string; issuerDid: string} | undefined>;
}) {
  const {AuditEvent, SignedStatusList, StatusList, Credential} = models;
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

  async function latestTransition(orgId: Types.ObjectId, credentialId: string) {
    return AuditEvent.findOne({orgId, targetId: credentialId, seq: {$exists: true}})
      .sort({seq: -1}).lean<AuditEventRecord>();
  }

  /** Brings the credential document's cached status in line with its newest event. */
  async function syncStatusCache(record: CredentialRecord, latest: AuditEventRecord | null):
    Promise<CredentialRecord> {
    const status = (latest?.toStatus ?? 'active') as CredentialStatus;
    const seq = latest?.seq ?? 0;
    if(record.status === status && (record.statusSeq ?? 0) === seq) {
      return record;
    }
    const update = {
      status, statusSeq: seq, statusReason: latest?.reason, statusChangedAt: latest?.at,
      ...(status === 'revoked' ? {liveSlot: `revoked:${record._id.toHexString()}`} : {})
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
    return syncStatusCache(record, await latestTransition(record.orgId, credentialId));
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
      const org = record.orgId;
      const latest = await latestTransition(org, credentialId);
      const current = (latest?.toStatus ?? 'active') as CredentialStatus;
      if(!transition.from.includes(current)) {
        await syncStatusCache(record, latest);
        throw new Conflict(`A ${current} credential cannot be ${transition.to === 'active' ?
          'reinstated' : transition.to}.`, 'lifecycle-conflict');
      }
      const seq = (latest?.seq ?? 0) + 1;
      const event = {
        orgId: org, at: new Date(), action: transition.audit, actor, targetType: 'credential' as const,
        targetId: credentialId, reason, transitionKey: `${credentialId}:${seq}`, seq,
        fromStatus: current, toStatus: transition.to,
        revocationListId: record.revocationListId, revocationIndex: record.revocationIndex,
        suspensionListId: record.suspensionListId, suspensionIndex: record.suspensionIndex
      };
      try {
        const [created] = await AuditEvent.create([event]);
        return syncStatusCache(record, created!.toObject());
      } catch(error) {
        if(!isDuplicateKeyError(error)) {
          throw error;
        }
      }
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

  /** Filter of the events that change a list's bits. */
  function listEventFilter(orgId: Types.ObjectId, purpose: StatusPurpose, listId: number) {
    return purpose === 'revocation' ?
      {orgId, revocationListId: listId, toStatus: 'revoked'} :
      {orgId, suspensionListId: listId};
  }

  /** The indexes set in a list, from the events (the source of truth). */
  async function setIndexes(orgId: Types.ObjectId, purpose: StatusPurpose, listId: number):
    Promise<number[]> {
    const events = await AuditEvent.find(listEventFilter(orgId, purpose, listId))
      .sort({seq: 1}).lean<AuditEventRecord[]>();
    if(purpose === 'revocation') {
      return events.map(event => event.revocationIndex!);
    }
    const latestByCredential = new Map<string, AuditEventRecord>();
    for(const event of events) {
      latestByCredential.set(event.targetId, event);
    }
    return [...latestByCredential.values()].filter(event => event.toStatus === 'suspended')
      .map(event => event.suspensionIndex!);
  }

  async function buildSignedList({orgId, issuerDid, orgSlug, purpose, listId, size, marker}: {
    orgId: Types.ObjectId; issuerDid: string; orgSlug: string; purpose: StatusPurpose;
    listId: number; size: number; marker: string;
  }): Promise<ServedStatusList> {
    const key = {orgId, purpose, listId, marker};
    const cached = await SignedStatusList.findOne(key).lean();
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
    try {
      await SignedStatusList.create({...key, document});
      return {document, etag};
    } catch(error) {
      if(!isDuplicateKeyError(error)) {
        throw error;
      }
      const winner = await SignedStatusList.findOne(key).lean();
      return {document: winner?.document ?? document, etag};
    }
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
    const marker = String(await AuditEvent.countDocuments(
      listEventFilter(orgId, parsed.purpose, parsed.listId)));
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
    if(parsed.purpose === 'revocation') {
      return await AuditEvent.exists({orgId, revocationListId: parsed.listId, revocationIndex: index,
        toStatus: 'revoked'}) ? 'set' : 'unset';
    }
    const latest = await AuditEvent.findOne({orgId, suspensionListId: parsed.listId,
      suspensionIndex: index}).sort({seq: -1}).lean<AuditEventRecord>();
    return latest?.toStatus === 'suspended' ? 'set' : 'unset';
  }

  /**
   * Both status bits of a credential carecred issued, from its events (for the verifier: the
   * profiles cannot always carry both status entries).
   *
   * @returns undefined when the record is not of this issuer.
   */
  async function statusOfIssued(record: CredentialRecord, issuer: string):
    Promise<{revocation: 'set' | 'unset'; suspension: 'set' | 'unset'} | undefined> {
    if(record.issuerDid !== issuer) {
      return undefined;
    }
    const latest = await latestTransition(record.orgId, record._id.toHexString());
    return {revocation: latest?.toStatus === 'revoked' ? 'set' : 'unset',
      suspension: latest?.toStatus === 'suspended' ? 'set' : 'unset'};
  }

  return {currentCredential, changeStatus, recordAudit, listAudit, getStatusList, checkOwnStatus,
    statusOfIssued};
}

export type StatusService = ReturnType<typeof createStatusService>;
