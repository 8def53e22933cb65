/**
 * Demo data: the organisations in `fixtures/organisations.json` (and, through the catalogue, their
 * published units). Loaded by `npm run seed` and by the first start of an empty embedded database.
 */
import {readFileSync} from 'node:fs';

import type {CarecredApp} from './app.js';
import type {OrganisationInput} from './orgs/index.js';
import type {Logger} from './platform/logger.js';
import {projectPath} from './platform/paths.js';

/**
 * Loads the demo organisations when the database has none.
 *
 * @returns the created organisations' API keys by slug (empty when nothing was loaded).
 */
export async function seedDemoData({services, logger}: {
  services: CarecredApp['services']; logger: Logger;
}): Promise<Record<string, string>> {
  if((await services.orgs.listOrganisations()).length > 0) {
    return {};
  }
  const inputs = JSON.parse(readFileSync(projectPath('fixtures', 'organisations.json'), 'utf8')) as
    OrganisationInput[];
  const apiKeys: Record<string, string> = {};
  for(const input of inputs) {
    const {organisation, apiKey} = await services.orgs.createOrganisation(input);
    apiKeys[organisation.slug] = apiKey;
  }
  logger.info({organisations: Object.keys(apiKeys)}, 'demo data loaded');
  return apiKeys;
}
