/**
 * Builders for catalogue tests: a valid unit input with overrides, and an organisation with its
 * API key created through the admin API.
 */
import request from 'supertest';

import type {UnitContent} from '../../src/catalog/index.js';
import type {TestApp} from './test-app.js';
import {TEST_ADMIN_TOKEN} from './test-app.js';

/**
 * A valid unit (every mandatory Annex I element) with overrides.
 *
 * @param overrides - members to replace.
 * @returns a new unit input.
 */
export function aUnit(overrides: Partial<UnitContent> = {}): UnitContent {
  return {
    title: {nl: 'Beeldzorg in de praktijk', en: 'Video care in practice'},
    description: {
      nl: 'Zorg op afstand via beeldbellen: voorbereiden, uitvoeren en vastleggen.',
      en: 'Remote care by video call: preparing, carrying out and recording it.'
    },
    learningOutcomes: [
      {text: {nl: 'Voert een beeldzorgcontact veilig uit.', en: 'Carries out a video care contact safely.'}},
      {text: {nl: 'Legt afspraken vast in het dossier.', en: 'Records agreements in the care record.'}}
    ],
    workloadHours: 28,
    ectsCredits: 1,
    assessmentType: 'practical',
    participationForm: {mode: 'blended', volunteering: false, workExperience: true},
    qualityAssurance: {nl: 'Interne examencommissie.', en: 'Internal examination board.'},
    eqfLevel: 4,
    nlqfLevel: 4,
    tags: ['beeldzorg', 'ehealth'],
    ...overrides
  };
}

/** An organisation created for a test, with its all-scopes API key. */
export interface TestOrganisation {
  id: string;
  slug: string;
  apiKey: string;
  /** `Authorization` header with the key. */
  auth: {Authorization: string};
}

/**
 * Creates an organisation through the admin API.
 *
 * @param app - the test app.
 * @param overrides - members of the organisation input to replace (slug at least, to keep it unique).
 * @returns the organisation's id, slug and key.
 */
export async function anOrganisation(app: TestApp, overrides: Record<string, unknown> = {}):
  Promise<TestOrganisation> {
  const response = await request(app.app).post('/v1/admin/organisations')
    .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
    .send({
      slug: 'zorgcollege-noord', name: {nl: 'Zorgcollege Noord', en: 'Northern Care College'},
      country: 'NL', region: 'NL-GR', type: 'vocational-college', ...overrides
    });
  if(response.status !== 201) {
    throw new Error(`creating the test organisation failed: ${response.status} ${response.text}`);
  }
  const {organisation, apiKey} = response.body as {organisation: {id: string; slug: string}; apiKey: string};
  return {id: organisation.id, slug: organisation.slug, apiKey, auth: {Authorization: `Bearer ${apiKey}`}};
}

/**
 * Creates and publishes a unit through the API.
 *
 * @returns the unit id and its published version number.
 */
export async function aPublishedUnit(app: TestApp, organisation: TestOrganisation,
  content: UnitContent = aUnit()): Promise<{unitId: string; version: number}> {
  const created = await request(app.app).post('/v1/units').set(organisation.auth).send(content);
  if(created.status !== 201) {
    throw new Error(`creating the test unit failed: ${created.status} ${created.text}`);
  }
  const published = await request(app.app).post(`/v1/units/${created.body.id}/publish`).set(organisation.auth);
  if(published.status !== 200) {
    throw new Error(`publishing the test unit failed: ${published.status} ${published.text}`);
  }
  return {unitId: created.body.id, version: published.body.version};
}
