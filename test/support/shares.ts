/**
 * Issued credentials with their share links, for the tests of the public pages: issue through
 * the API, then take the share id, the path and the credential as issued.
 */
import request from 'supertest';

import type {TestApp} from './test-app.js';
import type {TestOrganisation} from './units.js';

/** One issued credential and its share link. */
export interface SharedCredential {
  id: string;
  learnerId: string;
  achievementId: string;
  profile: 'ob3' | 'edc';
  format: 'di' | 'jwt';
  credential: Record<string, unknown> | string;
  shareUrl: string;
  shareId: string;
  /** `/c/<shareId>` */
  path: string;
}

let counter = 0;

function toShared(body: Record<string, unknown>, achievementId: string): SharedCredential {
  const shareUrl = String(body.shareUrl);
  const path = new URL(shareUrl).pathname;
  return {...body, achievementId, shareUrl, path, shareId: path.split('/').pop()!} as SharedCredential;
}

/**
 * Records an achievement of a new learner and issues its credentials.
 *
 * @returns the credentials, in the order of `issue`.
 */
export async function issueShared(app: TestApp, school: TestOrganisation, {unitId, issue = ['ob3', 'edc'],
  givenName = 'Lotte', familyName}: {
  unitId: string; issue?: ('ob3' | 'edc')[]; givenName?: string; familyName?: string;
}): Promise<SharedCredential[]> {
  counter += 1;
  const response = await request(app.app).post('/v1/achievements').set(school.auth).send({
    learner: {givenName, familyName: familyName ?? `Jansen ${counter}`, externalId: `S${Date.now()}-${counter}`},
    unitId, achievedAt: '2026-05-01T10:00:00Z', issue
  });
  if(response.status !== 201) {
    throw new Error(`issuing failed: ${response.status} ${response.text}`);
  }
  const credentials = response.body.credentials as Record<string, unknown>[];
  return credentials.map(body => toShared(body, response.body.id));
}

/**
 * Records an achievement of a new learner and issues its credential of one profile.
 *
 * @returns the credential.
 */
export async function issueOne(app: TestApp, school: TestOrganisation, {unitId, profile}: {
  unitId: string; profile: 'ob3' | 'edc';
}): Promise<SharedCredential> {
  const [credential] = await issueShared(app, school, {unitId, issue: [profile]});
  return credential!;
}

/**
 * Records an achievement of a new learner and issues both profiles.
 *
 * @returns the ob3 (Data Integrity) and edc (JWT) credentials.
 */
export async function issueBoth(app: TestApp, school: TestOrganisation, {unitId}: {unitId: string}):
  Promise<{ob3: SharedCredential; edc: SharedCredential}> {
  const [ob3, edc] = await issueShared(app, school, {unitId, issue: ['ob3', 'edc']});
  return {ob3: ob3!, edc: edc!};
}

/**
 * Issues one more credential (another profile or format) for an existing achievement.
 *
 * @returns the credential.
 */
export async function issueAnother(app: TestApp, school: TestOrganisation, {achievementId, profile, format}: {
  achievementId: string; profile: 'ob3' | 'edc'; format: 'di' | 'jwt';
}): Promise<SharedCredential> {
  const response = await request(app.app).post(`/v1/achievements/${achievementId}/credentials`)
    .set(school.auth).send({profile, format});
  if(response.status !== 201) {
    throw new Error(`issuing failed: ${response.status} ${response.text}`);
  }
  return toShared(response.body, achievementId);
}

/**
 * A VC-JOSE credential whose payload was changed after signing (the signature kept).
 *
 * @returns the tampered compact JWS.
 */
export function tamperedJwt(jwt: string): string {
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
  const changed = Buffer.from(JSON.stringify({...claims, validFrom: '2020-01-01T00:00:00Z'})).toString('base64url');
  return [header, changed, signature].join('.');
}

/**
 * A copy of a Data Integrity credential with one field changed after signing.
 *
 * @returns the tampered credential.
 */
export function tampered(credential: SharedCredential['credential']): Record<string, unknown> {
  const copy = structuredClone(credential) as Record<string, unknown>;
  return {...copy, validFrom: '2020-01-01T00:00:00Z'};
}
