/**
 * Arranging data on a running cluster through its API: an organisation with its key, a
 * published unit, achievement bodies.
 */
import type {UnitContent} from '../../../src/catalog/index.js';
import {aUnit} from '../../support/units.js';
import {type CarecredProcess,CLUSTER_ADMIN_TOKEN} from './cluster.js';
import {send} from './http.js';

/** An organisation created through the admin API, with its all-scopes key. */
export interface ClusterOrganisation {
  id: string;
  slug: string;
  auth: {Authorization: string};
}

/**
 * Creates an organisation.
 *
 * @returns its id, slug and `Authorization` header.
 * @throws Error when the API refuses.
 */
export async function anOrganisationOn(target: CarecredProcess, slug: string): Promise<ClusterOrganisation> {
  const reply = await send(target.url, {method: 'POST', path: '/v1/admin/organisations',
    headers: {Authorization: `Bearer ${CLUSTER_ADMIN_TOKEN}`},
    body: {slug, name: {nl: `School ${slug}`, en: `School ${slug}`}, country: 'NL', region: 'NL-UT',
      type: 'vocational-college'}});
  if(reply.status !== 201) {
    throw new Error(`creating organisation ${slug} failed: ${reply.status} ${reply.text}`);
  }
  return {id: reply.body.organisation.id, slug, auth: {Authorization: `Bearer ${reply.body.apiKey}`}};
}

/**
 * Creates and publishes a unit.
 *
 * @returns the unit id.
 * @throws Error when the API refuses.
 */
export async function aPublishedUnitOn(target: CarecredProcess, organisation: ClusterOrganisation,
  content: UnitContent = aUnit()): Promise<string> {
  const created = await send(target.url, {method: 'POST', path: '/v1/units', headers: organisation.auth,
    body: content});
  const published = created.status === 201 && await send(target.url, {method: 'POST',
    path: `/v1/units/${created.body.id}/publish`, headers: organisation.auth});
  if(!published || published.status !== 200) {
    throw new Error(`publishing a unit failed: ${created.status} ${created.text}`);
  }
  return created.body.id as string;
}

/**
 * The body of `POST /v1/achievements` for a learner numbered `learnerNumber`.
 *
 * @returns a new body.
 */
export function anAchievementBody({unitId, learnerNumber, issue}: {
  unitId: string; learnerNumber: string; issue: string[];
}): Record<string, unknown> {
  return {
    learner: {givenName: 'Noor', familyName: `Visser ${learnerNumber}`, externalId: learnerNumber},
    unitId, achievedAt: '2026-03-02T09:00:00Z', grade: '7,5', issue
  };
}
