/** Routes of achievements (record + issue, and issue again), idempotent by Idempotency-Key. */
import type {CredentialResource} from '../credentials/index.js';
import {defineHandlers} from '../platform/http/handler.js';
import {orgOf} from '../platform/http/principal.js';
import type {IdempotencyService} from '../platform/idempotency.js';
import type {AchievementService, AchievementWithCredentials} from './service.js';

/** The API shape of an achievement with its credentials. */
export function toAchievementResource({achievement, credentials}: AchievementWithCredentials):
  Record<string, unknown> & {credentials: CredentialResource[]} {
  return {
    id: achievement._id.toHexString(), learnerId: achievement.learnerId.toHexString(),
    unitId: achievement.unitId.toHexString(), unitVersion: achievement.unitVersion,
    achievedAt: achievement.achievedAt.toISOString(),
    ...(achievement.grade ? {grade: achievement.grade} : {}),
    ...(achievement.evidenceUrl ? {evidenceUrl: achievement.evidenceUrl} : {}),
    ...(achievement.assessor ? {assessor: achievement.assessor} : {}),
    createdAt: achievement.createdAt.toISOString(),
    credentials
  };
}

/** Handlers of the `achievements` operations. */
export function achievementHandlers({achievements, idempotency}: {
  achievements: AchievementService; idempotency: IdempotencyService;
}) {
  return defineHandlers({
    createAchievement: async (req, res) => {
      const {orgId} = orgOf(req);
      await idempotency.respond({req, res, orgId, run: async ({operationId}) => ({
        status: 201,
        body: toAchievementResource(
          await achievements.recordAchievement({orgId, input: req.body, operationId}))
      })});
    },
    getAchievement: async (req, res) => {
      const result = await achievements.getAchievement({orgId: orgOf(req).orgId,
        achievementId: req.params.id});
      res.json(toAchievementResource(result));
    },
    issueAchievementCredential: async (req, res) => {
      const {orgId} = orgOf(req);
      await idempotency.respond({req, res, orgId, run: async () => ({
        status: 201,
        body: await achievements.issueForAchievement({orgId, achievementId: req.params.id, ...req.body})
      })});
    }
  });
}
