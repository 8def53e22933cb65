/**
 * Achievements: a learner completed a unit version. The achievement is written before any of
 * its credentials, so a credential never exists without its achievement; an achievement whose
 * requested credentials are missing (a crash or an outage in between) is completed by a retry.
 */
import {type Connection, Schema, type Types} from 'mongoose';

import {registerModel} from '../platform/db.js';

/** An achievement as stored. */
export interface AchievementRecord {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  learnerId: Types.ObjectId;
  unitId: Types.ObjectId;
  unitVersion: number;
  achievedAt: Date;
  grade?: string;
  evidenceUrl?: string;
  assessor?: string;
  language?: string;
  /** Profiles the request asked to issue (what a retry completes). */
  requestedProfiles: string[];
  importId?: Types.ObjectId;
  createdAt: Date;
}

const achievementSchema = new Schema<AchievementRecord>({
  orgId: {type: Schema.Types.ObjectId, required: true},
  learnerId: {type: Schema.Types.ObjectId, required: true},
  unitId: {type: Schema.Types.ObjectId, required: true},
  unitVersion: {type: Number, required: true},
  achievedAt: {type: Date, required: true},
  grade: String,
  evidenceUrl: String,
  assessor: String,
  language: String,
  requestedProfiles: {type: [String], default: []},
  importId: Schema.Types.ObjectId
}, {timestamps: {createdAt: true, updatedAt: false}, versionKey: false});
achievementSchema.index({orgId: 1, learnerId: 1});
achievementSchema.index({orgId: 1, createdAt: -1});

/** Registers the achievement model on a connection. */
export function achievementModels(db: Connection) {
  return {Achievement: registerModel(db, 'Achievement', achievementSchema, 'achievements')};
}

export type AchievementModels = ReturnType<typeof achievementModels>;
