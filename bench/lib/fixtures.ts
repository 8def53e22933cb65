/**
 * What the HTTP benchmarks set up through the API of a running server: an organisation with its
 * API key, a published unit, and achievement requests with inline learners.
 */
import {aUnit} from '../../test/support/units.js';
import type {BenchServer} from './server.js';

/** An organisation created for a benchmark. */
export interface BenchOrganisation {
  id: string;
  slug: string;
  issuerDid: string;
  auth: {authorization: string};
}

/**
 * Creates an organisation through the admin API.
 *
 * @returns its id, slug, issuer DID and the all-scopes key as an Authorization header.
 */
export async function createOrganisation(server: BenchServer, slug = 'bench-college'):
  Promise<BenchOrganisation> {
  const created = await server.client.json<{organisation: {id: string; slug: string; issuerDid: string};
    apiKey: string}>({
    method: 'POST', path: '/v1/admin/organisations', expect: 201,
    headers: {authorization: `Bearer ${server.adminToken}`},
    body: {slug, name: {nl: 'Benchmark Zorgcollege', en: 'Benchmark Care College'}, country: 'NL',
      region: 'NL-UT', type: 'vocational-college'}
  });
  const {organisation, apiKey} = created;
  return {id: organisation.id, slug: organisation.slug, issuerDid: organisation.issuerDid,
    auth: {authorization: `Bearer ${apiKey}`}};
}

/**
 * Creates and publishes a unit (every Annex I element, Dutch and English).
 *
 * @returns the unit id.
 */
export async function publishUnit(server: BenchServer, organisation: BenchOrganisation): Promise<string> {
  const unit = await server.client.json<{id: string}>({method: 'POST', path: '/v1/units', expect: 201,
    headers: organisation.auth, body: aUnit({credentialValidityMonths: 36})});
  await server.client.json({method: 'POST', path: `/v1/units/${unit.id}/publish`, expect: 200,
    headers: organisation.auth});
  return unit.id;
}

/**
 * The body of `POST /v1/achievements` for the i-th learner of a run (a new learner each time).
 *
 * @returns the request body.
 */
export function anAchievementRequest({unitId, run, index, profiles}: {
  unitId: string; run: string; index: number; profiles: string[];
}): Record<string, unknown> {
  return {
    learner: {givenName: 'Sanne', familyName: `de Vries ${index}`, email: `learner-${run}-${index}@example.nl`,
      externalId: `${run}-${index}`},
    unitId, achievedAt: '2026-01-15T12:00:00Z', grade: '8,2', issue: profiles
  };
}
