/**
 * What must hold in the database after any run, fault or not, read straight from the collections
 * the processes wrote (not through the API):
 * - every credential has its achievement, its signed document and its lookups;
 * - per purpose, no two credentials share a (list, index), and every credential's index is a
 *   claimed allocation of that list — so it can never be handed out again;
 * - allocations are unique per (list, index) and per (list, position); an allocation that no
 *   credential holds is burned (a failure between allocation and storing the credential);
 * - the status entries inside each signed credential are the ones stored beside it;
 * - at most one live credential per achievement, profile and format.
 * Violations are collected as readable lines, so a failing test says exactly what broke.
 */
import {Types} from 'mongoose';

import {parseStatusEntryId} from '../../../src/credentials/profiles/status-entries.js';
import type {Connection} from '../../../src/platform/db.js';
import {CLUSTER_BASE_URL} from './cluster.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const PURPOSES = ['revocation', 'suspension'] as const;

/** The outcome of `auditIssuance`. */
export interface IssuanceAudit {
  credentials: number;
  achievements: number;
  /** Claimed status positions of the organisation's lists (both purposes). */
  allocations: number;
  /** Allocations no credential holds: burned by a failure, never handed out again. */
  burned: number;
  /** Achievements with a requested profile that has no live credential (a retry completes them). */
  incomplete: string[];
  violations: string[];
}

/** Reads the position of each status entry of a signed credential (ob3 object, EDC array). */
function signedStatusEntries(record: Doc, document: string): string[] {
  const credential = record.format === 'jwt' ?
    JSON.parse(Buffer.from(document.split('.')[1]!, 'base64url').toString('utf8')) : JSON.parse(document);
  const status = credential.credentialStatus;
  return (Array.isArray(status) ? status : status ? [status] : []).map((entry: Doc) => {
    if(entry.statusListCredential !== undefined) {
      return `${entry.statusListCredential}#${entry.statusListIndex}`;
    }
    const position = parseStatusEntryId(String(entry.id));
    return position ? `${position.statusListCredential}#${position.statusListIndex}` : `unreadable ${entry.id}`;
  });
}

function expectedStatusEntries(record: Doc, slug: string): string[] {
  const entry = (purpose: string) => `${CLUSTER_BASE_URL}/status/${slug}/${purpose}-` +
    `${record[`${purpose}ListId`]}#${record[`${purpose}Index`]}`;
  return record.profile === 'ob3' ? [entry('revocation')] : [entry('revocation'), entry('suspension')];
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter(value => seen.has(value) || !seen.add(value));
}

/** Checks the status positions of the credentials against the allocations. */
function auditStatusPositions(credentials: Doc[], lists: Doc[], allocations: Doc[], violations: string[]):
  number {
  const listById = new Map(lists.map(list => [String(list._id), list]));
  const claimed = new Set<string>();
  for(const allocation of allocations) {
    const list = listById.get(String(allocation.list))!;
    claimed.add(`${list.purpose}-${list.listId}#${allocation.index}`);
  }
  for(const kind of ['index', 'position']) {
    for(const duplicate of duplicates(allocations.map(allocation => `${allocation.list}#${allocation[kind]}`))) {
      violations.push(`${kind} ${duplicate} is allocated twice`);
    }
  }
  for(const purpose of PURPOSES) {
    const held = credentials.map(record => `${purpose}-${record[`${purpose}ListId`]}#${record[`${purpose}Index`]}`);
    for(const duplicate of duplicates(held)) {
      violations.push(`status position ${duplicate} is held by more than one credential`);
    }
    for(const [i, position] of held.entries()) {
      if(!claimed.has(position)) {
        violations.push(`credential ${credentials[i]!._id} holds ${position}, which no allocation claims`);
      }
    }
  }
  return allocations.length - 2 * credentials.length;
}

/** Checks each credential's achievement, document, lookups and signed status entries. */
async function auditCredentials({db, credentials, achievements, slug, violations}: {
  db: Connection; credentials: Doc[]; achievements: Map<string, Doc>; slug: string; violations: string[];
}): Promise<void> {
  const ids = credentials.map(record => record._id);
  const documents = new Map((await db.collection('credentialdocuments').find({_id: {$in: ids}}).toArray())
    .map(doc => [String(doc._id), doc.document as string]));
  const lookups = new Set((await db.collection<{_id: string}>('credentiallookups')
    .find({credential: {$in: ids}}).toArray()).map(lookup => lookup._id));
  for(const record of credentials) {
    const id = String(record._id);
    if(!achievements.has(String(record.achievementId))) {
      violations.push(`credential ${id} has no achievement ${record.achievementId}`);
    }
    if(!lookups.has(`share:${record.shareId}`) || !lookups.has(`vc:${record.credentialId}`)) {
      violations.push(`credential ${id} misses its share or vc lookup`);
    }
    const document = documents.get(id);
    if(document === undefined) {
      violations.push(`credential ${id} has no signed document`);
      continue;
    }
    const signed = signedStatusEntries(record, document);
    const expected = expectedStatusEntries(record, slug);
    if(JSON.stringify(signed) !== JSON.stringify(expected)) {
      violations.push(`credential ${id} (${record.profile}) is signed with status ${signed.join(' ')}, ` +
        `stored with ${expected.join(' ')}`);
    }
  }
  for(const duplicate of duplicates(credentials.filter(record => record.status !== 'revoked')
    .map(record => `${record.achievementId}:${record.profile}:${record.format}`))) {
    violations.push(`more than one live credential ${duplicate}`);
  }
}

/**
 * Reads an organisation's issuance state and checks the invariants.
 *
 * @param db - a connection to the cluster's database.
 * @param orgId - the organisation.
 * @returns counts, burned allocations, incomplete achievements and violations.
 */
export async function auditIssuance(db: Connection, orgId: string): Promise<IssuanceAudit> {
  const org = new Types.ObjectId(orgId);
  const [organisation, credentials, achievementList, lists] = await Promise.all([
    db.collection('organisations').findOne({_id: org}),
    db.collection('credentials').find({orgId: org}).toArray(),
    db.collection('achievements').find({orgId: org}).toArray(),
    db.collection('statuslists').find({orgId: org}).toArray()
  ]);
  const allocations = await db.collection('statusallocations')
    .find({list: {$in: lists.map(list => list._id)}}).toArray();
  const violations: string[] = [];
  const achievements = new Map(achievementList.map(achievement => [String(achievement._id), achievement]));
  await auditCredentials({db, credentials, achievements, slug: organisation!.slug, violations});
  const burned = auditStatusPositions(credentials, lists, allocations, violations);
  const incomplete = achievementList.filter(achievement => (achievement.requestedProfiles as string[])
    .some(profile => !credentials.some(record => String(record.achievementId) === String(achievement._id) &&
      record.profile === profile && record.status !== 'revoked')))
    .map(achievement => String(achievement._id));
  return {credentials: credentials.length, achievements: achievements.size, allocations: allocations.length,
    burned, incomplete, violations};
}

/**
 * Counts the achievements of each learner number (the suites give every Idempotency-Key a
 * learner of its own, numbered with the key).
 *
 * @returns learner number → achievements.
 */
export async function achievementsPerLearnerNumber(db: Connection, orgId: string):
  Promise<Map<string, number>> {
  const org = new Types.ObjectId(orgId);
  const [learners, achievements] = await Promise.all([
    db.collection('learners').find({orgId: org}).toArray(),
    db.collection('achievements').find({orgId: org}).toArray()
  ]);
  const numberOf = new Map(learners.map(learner => [String(learner._id), String(learner.externalId)]));
  const counts = new Map<string, number>();
  for(const achievement of achievements) {
    const number = numberOf.get(String(achievement.learnerId)) ?? `unknown learner ${achievement.learnerId}`;
    counts.set(number, (counts.get(number) ?? 0) + 1);
  }
  return counts;
}
