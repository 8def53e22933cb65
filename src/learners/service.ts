/**
 * Learners: record, list, read, change and erase them, and find-or-create one from the inline
 * learner of an achievement (matched by learner number, else by e-mail address).
 *
 * Personal data is kept minimal and is erasable (GDPR art. 17): erasure deletes the learner
 * document and keeps a tombstone (id, organisation, time) so that credentials already issued can
 * still be revoked and their status served; the erased learner answers 410 afterwards.
 */
import {randomBytes} from 'node:crypto';

import {Types} from 'mongoose';

import type {components} from '../generated/openapi.js';
import {isDuplicateKeyError} from '../platform/db.js';
import {AppError, Conflict, NotFound, ValidationFailed} from '../platform/errors.js';
import {createInsertBatcher} from '../platform/insert-batcher.js';
import {externalKeyOf, type LearnerErasureRecord, learnerLookupIdOf, type LearnerLookupRecord,
  type LearnerModels, type LearnerRecord} from './model.js';

export type Learner = components['schemas']['learner'];
export type LearnerInput = components['schemas']['learner-input'];
export type LearnerPatch = components['schemas']['learner-patch'];
export type LearnerList = components['schemas']['learner-list'];

/** A learner with the salt of its hashed e-mail identifier (for issuing; never in responses). */
export type LearnerWithIdentity = Learner & {identitySalt: string};

const DEFAULT_PAGE_SIZE = 50;
/** Racing creations and erasures settle within a few reads; this bounds a pathological loop. */
const MAX_MATCH_ATTEMPTS = 3;

/** 410: the learner was erased. */
export class LearnerErased extends AppError {
  constructor(learnerId: string, erasedAt: Date) {
    super('learner-erased', 410, 'Learner erased', {
      detail: `The personal data of learner '${learnerId}' was erased.`,
      extensions: {erasedAt: erasedAt.toISOString()}
    });
  }
}

/** Drops undefined members, so absent fields are absent in responses. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

function toLearner(record: LearnerRecord): LearnerWithIdentity {
  return compact({
    id: record._id.toHexString(), givenName: record.givenName, familyName: record.familyName,
    email: record.email, birthDate: record.birthDate, externalId: record.externalId, did: record.did,
    createdAt: record.createdAt.toISOString(), updatedAt: record.updatedAt.toISOString(),
    identitySalt: record.identitySalt
  });
}

/**
 * The API view of a learner (without the identity salt).
 *
 * @returns the learner as the contract shows it.
 */
export function publicLearner({identitySalt: _salt, ...learner}: LearnerWithIdentity): Learner {
  return learner;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Checks what the schema cannot: a birth date is not in the future. */
function checkBirthDate(birthDate: string | null | undefined, pointer: string): void {
  if(birthDate && birthDate > today()) {
    throw new ValidationFailed([{pointer: `${pointer}/birthDate`, message: 'must not be in the future'}]);
  }
}

function duplicateNumber(externalId: string | null | undefined): Conflict {
  return new Conflict(`Another learner of this organisation has learner number '${externalId}'.`);
}

/**
 * Creates the learners service.
 *
 * @param options.models - the learner models.
 * @returns the service functions.
 */
export function createLearnerService({models, eraseRelatedData = async () => undefined}: {
  models: LearnerModels;
  /** Removes the learner's personal data held elsewhere (stored credential documents) first. */
  eraseRelatedData?: (options: {orgId: string; learnerId: string}) => Promise<void>;
}) {
  const {Learner, LearnerErasure, LearnerLookup} = models;
  const inserts = {learner: createInsertBatcher(Learner), lookup: createInsertBatcher(LearnerLookup)};

  function newRecord(orgId: string, input: LearnerInput): Omit<LearnerRecord, '_id' | 'createdAt' | 'updatedAt'> {
    return {
      orgId: new Types.ObjectId(orgId), givenName: input.givenName, familyName: input.familyName,
      email: input.email?.toLowerCase(), birthDate: input.birthDate, externalId: input.externalId,
      externalKey: input.externalId === undefined ? undefined : externalKeyOf(orgId, input.externalId),
      did: input.did, identitySalt: randomBytes(16).toString('hex')
    };
  }

  /** Explains why a learner of the organisation is not there: erased (410) or unknown (404). */
  async function missing(orgId: string, learnerId: string): Promise<AppError> {
    const erasure = Types.ObjectId.isValid(learnerId) ?
      await LearnerErasure.findById(learnerId).lean<LearnerErasureRecord>() : null;
    return erasure?.orgId.toHexString() === orgId ? new LearnerErased(learnerId, erasure.erasedAt) :
      new NotFound('Learner', learnerId);
  }

  /**
   * Records a learner.
   *
   * @throws {ValidationFailed} for a birth date in the future.
   * @throws {Conflict} when the learner number is taken in the organisation.
   */
  async function createLearner({orgId, input}: {orgId: string; input: LearnerInput}):
    Promise<LearnerWithIdentity> {
    checkBirthDate(input.birthDate, '/body');
    let record: LearnerRecord;
    try {
      record = (await Learner.create(newRecord(orgId, input))).toObject();
    } catch(error) {
      throw isDuplicateKeyError(error) ? duplicateNumber(input.externalId) : error;
    }
    if(record.externalKey) {
      await pointLookup(learnerLookupIdOf(record.externalKey), record._id, false);
    }
    return toLearner(record);
  }

  /**
   * Lists the organisation's learners, oldest first, a page at a time.
   *
   * @returns the page and the cursor of the next one (absent on the last page).
   */
  async function listLearners({orgId, externalId, email, limit = DEFAULT_PAGE_SIZE, cursor}: {
    orgId: string; externalId?: string; email?: string; limit?: number; cursor?: string;
  }): Promise<LearnerList> {
    const filter: Record<string, unknown> = {orgId};
    if(externalId !== undefined) {
      filter.externalKey = externalKeyOf(orgId, externalId);
    }
    if(email !== undefined) {
      filter.email = email.toLowerCase();
    }
    if(cursor !== undefined) {
      filter._id = {$gt: new Types.ObjectId(cursor)};
    }
    const records = await Learner.find(filter).sort({_id: 1}).limit(limit + 1).lean<LearnerRecord[]>();
    const page = records.slice(0, limit);
    return compact({
      items: page.map(record => publicLearner(toLearner(record))),
      nextCursor: records.length > limit ? page.at(-1)!._id.toHexString() : undefined
    });
  }

  /**
   * Reads a learner of the organisation, with its identity salt (for issuing).
   *
   * @throws {NotFound} for an unknown learner or another organisation's.
   * @throws {LearnerErased} for an erased learner.
   */
  async function getLearner({orgId, learnerId}: {orgId: string; learnerId: string}):
    Promise<LearnerWithIdentity> {
    // An `_id` lookup (the only indexed one on the embedded database); the org is checked here.
    const found = Types.ObjectId.isValid(learnerId) ?
      await Learner.findById(learnerId).lean<LearnerRecord>() : null;
    const record = found?.orgId.toHexString() === orgId ? found : null;
    if(!record) {
      throw await missing(orgId, learnerId);
    }
    return toLearner(record);
  }

  /**
   * Changes a learner (merge patch: `null` removes an optional member).
   *
   * @throws {ValidationFailed}, {Conflict} (learner number taken), {NotFound}, {LearnerErased}.
   */
  async function updateLearner({orgId, learnerId, patch}: {
    orgId: string; learnerId: string; patch: LearnerPatch;
  }): Promise<LearnerWithIdentity> {
    checkBirthDate(patch.birthDate, '/body');
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, 1> = {};
    for(const [field, value] of Object.entries(patch)) {
      if(value === null) {
        $unset[field] = 1;
      } else {
        $set[field] = field === 'email' ? String(value).toLowerCase() : value;
      }
    }
    if(patch.externalId === null) {
      $unset.externalKey = 1;
    } else if(patch.externalId !== undefined) {
      $set.externalKey = externalKeyOf(orgId, patch.externalId);
    }
    if(!Types.ObjectId.isValid(learnerId)) {
      throw new NotFound('Learner', learnerId);
    }
    const update = {...(Object.keys($set).length > 0 ? {$set} : {}),
      ...(Object.keys($unset).length > 0 ? {$unset} : {})};
    let record: LearnerRecord | null;
    try {
      record = await Learner.findOneAndUpdate({_id: learnerId, orgId}, update,
        {returnDocument: 'after'}).lean<LearnerRecord>();
    } catch(error) {
      throw isDuplicateKeyError(error) ? duplicateNumber(patch.externalId) : error;
    }
    if(!record) {
      throw await missing(orgId, learnerId);
    }
    return toLearner(record);
  }

  /**
   * Erases a learner's personal data: writes the tombstone, then deletes the learner document.
   * Erasing an erased learner does nothing.
   *
   * @throws {NotFound} for an unknown learner or another organisation's.
   */
  async function eraseLearner({orgId, learnerId}: {orgId: string; learnerId: string}): Promise<void> {
    const found = Types.ObjectId.isValid(learnerId) ?
      await Learner.findById(learnerId).lean<LearnerRecord>() : null;
    const learner = found?.orgId.toHexString() === orgId ? found : null;
    if(!learner) {
      const reason = await missing(orgId, learnerId);
      if(reason instanceof LearnerErased) {
        return;
      }
      throw reason;
    }
    await eraseRelatedData({orgId, learnerId});
    await LearnerErasure.create({_id: learnerId, orgId, erasedAt: new Date()}).catch(error => {
      if(!isDuplicateKeyError(error)) {
        throw error;
      }
    });
    await Learner.deleteOne({_id: learnerId, orgId});
    if(learner.externalKey) {
      await LearnerLookup.deleteOne({_id: learnerLookupIdOf(learner.externalKey), learner: learner._id});
    }
  }

  /**
   * Points a learner number's lookup at its learner: inserted when there was none (a concurrent
   * insert points at the same learner, the number's only holder), replaced when it was stale.
   */
  async function pointLookup(lookupId: string, learner: Types.ObjectId, stale: boolean): Promise<void> {
    const at = new Date();
    if(stale) {
      await LearnerLookup.updateOne({_id: lookupId}, {$set: {learner, at}});
      return;
    }
    await inserts.lookup.insert({_id: lookupId, learner, at}).catch((error: unknown) => {
      if(!isDuplicateKeyError(error)) {
        throw error;
      }
    });
  }

  /**
   * One attempt to match by learner number: through its lookup (two `_id` reads), else as a new
   * learner (its insert claims the number under the unique index), else — the number is held by
   * a learner the lookup does not lead to: older data, a renumbering, a concurrent creation —
   * by a query on the number (a scan on the embedded database), after which the lookup leads there.
   *
   * @returns undefined when the number's holder disappeared meanwhile (erased): match again.
   */
  async function matchByNumber(orgId: string, input: LearnerInput & {externalId: string}):
    Promise<{learner: LearnerWithIdentity; created: boolean} | undefined> {
    const externalKey = externalKeyOf(orgId, input.externalId);
    const lookupId = learnerLookupIdOf(externalKey);
    const lookup = await LearnerLookup.findById(lookupId).lean<LearnerLookupRecord>();
    const known = lookup && await Learner.findById(lookup.learner).lean<LearnerRecord>();
    if(known && known.externalKey === externalKey) {
      return {learner: toLearner(known), created: false};
    }
    let result: {record: LearnerRecord; created: boolean};
    try {
      result = {record: await inserts.learner.insert(newRecord(orgId, input)), created: true};
    } catch(error) {
      if(!isDuplicateKeyError(error)) {
        throw error;
      }
      const holder = await Learner.findOne({externalKey}).lean<LearnerRecord>();
      if(!holder) {
        return undefined;
      }
      result = {record: holder, created: false};
    }
    await pointLookup(lookupId, result.record._id, Boolean(lookup));
    return {learner: toLearner(result.record), created: result.created};
  }

  /** One attempt: the matching learner, or a new one; undefined when a racing write intervened. */
  async function matchOrCreate(orgId: string, input: LearnerInput):
    Promise<{learner: LearnerWithIdentity; created: boolean} | undefined> {
    if(input.externalId !== undefined) {
      return matchByNumber(orgId, {...input, externalId: input.externalId});
    }
    const match = input.email !== undefined ? {orgId, email: input.email.toLowerCase()} : undefined;
    if(match) {
      const existing = await Learner.findOne(match).sort({_id: 1}).lean<LearnerRecord>();
      if(existing) {
        return {learner: toLearner(existing), created: false};
      }
    }
    return {learner: toLearner(await inserts.learner.insert(newRecord(orgId, input))), created: true};
  }

  /**
   * Finds the organisation's learner that an inline learner denotes, or records it: matched by
   * learner number when one is given (atomic: concurrent calls with one number yield one
   * learner, through the unique index), else by e-mail address (the oldest such learner; two
   * concurrent first calls with one address and no number may create two), else created.
   * An existing learner is returned as stored, not changed.
   *
   * @param options.pointer - where the inline learner is in the request, for validation errors.
   * @returns the learner and whether it was created now.
   * @throws {ValidationFailed} for a birth date in the future.
   */
  async function findOrCreateLearner({orgId, learner, pointer = '/body/learner'}: {
    orgId: string; learner: LearnerInput; pointer?: string;
  }): Promise<{learner: LearnerWithIdentity; created: boolean}> {
    checkBirthDate(learner.birthDate, pointer);
    for(let attempt = 0; attempt < MAX_MATCH_ATTEMPTS; attempt++) {
      const result = await matchOrCreate(orgId, learner);
      if(result) {
        return result;
      }
    }
    throw new Conflict('The learner changed while it was being matched; retry.');
  }

  return {createLearner, listLearners, getLearner, updateLearner, eraseLearner, findOrCreateLearner};
}

export type LearnerService = ReturnType<typeof createLearnerService>;
