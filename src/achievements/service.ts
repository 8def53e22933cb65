/**
 * Recording achievements and issuing their credentials.
 *
 * `recordAchievement` writes the achievement first (so a credential never exists without its
 * achievement), then issues the requested profiles. Its id is the idempotency operation id: a
 * retry with the same Idempotency-Key — also one that takes over from a crashed process —
 * finds the same achievement and issues only the credentials that are still missing.
 */
import {Types} from 'mongoose';

import type {CatalogService, IssuableUnitVersion} from '../catalog/index.js';
import {type CredentialResource, type CredentialService, type Format, type Profile,
  toCredentialResource} from '../credentials/index.js';
import type {components} from '../generated/openapi.js';
import type {LearnerService, LearnerWithIdentity} from '../learners/index.js';
import {isDuplicateKeyError} from '../platform/db.js';
import {NotFound, Unprocessable} from '../platform/errors.js';
import {createInsertBatcher} from '../platform/insert-batcher.js';
import type {AchievementModels, AchievementRecord} from './model.js';

/** The request body of `POST /v1/achievements` (from the contract). */
export type AchievementInput = components['schemas']['achievement-input'];

/** An achievement with its credentials. */
export interface AchievementWithCredentials {
  achievement: AchievementRecord;
  credentials: CredentialResource[];
}

/**
 * Creates the achievements service.
 *
 * @returns the service functions.
 */
export function createAchievementService({models, catalog, learners, credentials, publicBaseUrl}: {
  models: AchievementModels; catalog: CatalogService; learners: LearnerService;
  credentials: CredentialService; publicBaseUrl: string;
}) {
  const {Achievement} = models;
  const achievements = createInsertBatcher(Achievement);

  async function resolveLearner(orgId: string, input: AchievementInput): Promise<LearnerWithIdentity> {
    if(input.learnerId) {
      return learners.getLearner({orgId, learnerId: input.learnerId});
    }
    return (await learners.findOrCreateLearner({orgId, learner: input.learner!})).learner;
  }

  /** Inserts the achievement under its id, or finds the one a previous attempt inserted. */
  async function insertOnce(record: Omit<AchievementRecord, 'createdAt'>):
    Promise<{achievement: AchievementRecord; resumed: boolean}> {
    try {
      return {achievement: await achievements.insert(record), resumed: false};
    } catch(error) {
      const existing = isDuplicateKeyError(error) ?
        await Achievement.findById(record._id).lean<AchievementRecord>() : null;
      if(!existing || !existing.orgId.equals(record.orgId)) {
        throw error;
      }
      return {achievement: existing, resumed: true};
    }
  }

  /**
   * Issues every requested profile that has no live credential yet. A new achievement has none,
   * so only a resumed one looks (the lookup scans on the embedded database).
   *
   * @param loaded - the achievement's unit version and learner, when just loaded.
   */
  async function completeIssuance(orgId: string, achievement: AchievementRecord, resumed: boolean,
    loaded?: {unit: IssuableUnitVersion; learner: LearnerWithIdentity}): Promise<CredentialResource[]> {
    const live = resumed ? await Promise.all((await credentials.liveCredentialsOf(
      {orgId, achievementId: achievement._id})).map(record => credentials.withDetails(record))) : [];
    for(const profile of achievement.requestedProfiles as Profile[]) {
      if(!live.some(credential => credential.profile === profile)) {
        const {record, document} = await credentials.issueCredential({orgId, achievement, profile,
          loaded: resumed ? undefined : loaded});
        live.push(toCredentialResource(record, publicBaseUrl, {document}));
      }
    }
    return live;
  }

  /**
   * Records that a learner completed a unit and issues the requested credentials.
   *
   * @param options.operationId - becomes the achievement id (idempotent retries resume).
   * @param options.importId - the bulk import the achievement comes from, if any.
   * @throws the learners', catalog's and credentials' typed errors (404, 409, 410, 422).
   */
  async function recordAchievement({orgId, input, operationId, importId}: {
    orgId: string; input: AchievementInput; operationId: string; importId?: Types.ObjectId;
  }): Promise<AchievementWithCredentials> {
    const achievedAt = new Date(input.achievedAt);
    if(achievedAt.getTime() > Date.now() + 5 * 60_000) {
      throw new Unprocessable('achievedAt lies in the future.', 'unprocessable',
        {errors: [{pointer: '/body/achievedAt', message: 'must not be in the future'}]});
    }
    // The unit first: an achievement for a unit that cannot be issued must not create its learner.
    const unit = await catalog.getIssuableVersion({orgId, unitId: input.unitId, version: input.unitVersion});
    const learner = await resolveLearner(orgId, input);
    const {achievement, resumed} = await insertOnce({
      _id: new Types.ObjectId(operationId), orgId: new Types.ObjectId(orgId),
      learnerId: new Types.ObjectId(learner.id), unitId: new Types.ObjectId(unit.unitId),
      unitVersion: unit.version, achievedAt, grade: input.grade, evidenceUrl: input.evidenceUrl,
      assessor: input.assessor, language: input.language, requestedProfiles: input.issue ?? [],
      ...(importId ? {importId} : {})
    });
    return {achievement, credentials: await completeIssuance(orgId, achievement, resumed, {unit, learner})};
  }

  /** @throws {NotFound} for an unknown achievement or another organisation's. */
  async function getAchievement({orgId, achievementId}: {orgId: string; achievementId: string}):
    Promise<AchievementWithCredentials> {
    const achievement = await findAchievement({orgId, achievementId});
    const records = await credentials.credentialsOf({orgId, achievementId: achievement._id});
    return {achievement,
      credentials: await Promise.all(records.map(record => credentials.withDetails(record)))};
  }

  /** @throws {NotFound} for an unknown achievement or another organisation's. */
  async function findAchievement({orgId, achievementId}: {orgId: string; achievementId: string}):
    Promise<AchievementRecord> {
    const achievement = await Achievement.findById(achievementId).lean<AchievementRecord>();
    if(!achievement || achievement.orgId.toHexString() !== orgId) {
      throw new NotFound('Achievement', achievementId);
    }
    return achievement;
  }

  /**
   * Issues (again) a credential for an existing achievement.
   *
   * @throws {NotFound}; and the credentials' typed errors.
   */
  async function issueForAchievement({orgId, achievementId, profile, format, language}: {
    orgId: string; achievementId: string; profile: Profile; format?: Format; language?: string;
  }): Promise<CredentialResource> {
    const achievement = await findAchievement({orgId, achievementId});
    const {record, document} = await credentials.issueCredential({orgId, achievement, profile, format,
      language});
    return toCredentialResource(record, publicBaseUrl, {document});
  }

  return {recordAchievement, getAchievement, findAchievement, issueForAchievement, completeIssuance};
}

export type AchievementService = ReturnType<typeof createAchievementService>;
