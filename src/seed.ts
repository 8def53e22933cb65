/**
 * Demo data: the organisations in `fixtures/organisations.json` and the learning units in
 * `fixtures/units/*.json`, created and published through the services (so they obey the same
 * rules as API requests). Loaded by `npm run seed` and by the first start of an empty embedded
 * database. The demo organisations' API keys are written to `<DATA_DIR>/demo-api-keys.json`
 * (mode 0600); the log names the file, never a key.
 */
import {chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';

import type {CarecredApp} from './app.js';
import type {UnitContent} from './catalog/index.js';
import type {OrganisationInput} from './orgs/index.js';
import {loadContract, toFieldErrors} from './platform/http/contract.js';
import type {Logger} from './platform/logger.js';
import {projectPath} from './platform/paths.js';

export const DEMO_API_KEYS_FILE = 'demo-api-keys.json';

/** One file of `fixtures/units/`: a unit and the slug of the organisation that offers it. */
export interface UnitFixture {
  file: string;
  organisation: string;
  unit: UnitContent;
}

/** What `seedDemoData` loaded (empty when the database had organisations already). */
export interface SeedResult {
  apiKeys: Record<string, string>;
  units: number;
  apiKeysFile?: string;
}

/**
 * Reads the unit fixtures and checks each against the contract's unit input schema.
 *
 * @param directory - the fixtures folder; `fixtures/units` of the project by default.
 * @returns the fixtures, sorted by file name.
 * @throws Error naming the file and the failing fields when a fixture is invalid.
 */
export function loadUnitFixtures(directory = projectPath('fixtures', 'units')): UnitFixture[] {
  const validate = loadContract().bodyValidator('createUnit', 'application/json')!;
  return readdirSync(directory).filter(name => name.endsWith('.json')).sort().map(file => {
    const {organisation, unit} = JSON.parse(readFileSync(join(directory, file), 'utf8')) as
      {organisation?: unknown; unit?: unknown};
    if(typeof organisation !== 'string' || !validate(unit)) {
      const problems = typeof organisation !== 'string' ? [{pointer: '/organisation', message: 'is required'}] :
        toFieldErrors(validate.errors, '/unit');
      throw new Error(`fixtures/units/${file}: ${problems.map(p => `${p.pointer} ${p.message}`).join('; ')}`);
    }
    return {file, organisation, unit: unit as UnitContent};
  });
}

/** Writes the demo keys where the operator can find them (0600: they are secrets). */
function writeApiKeysFile(dataDir: string, apiKeys: Record<string, string>): string {
  const directory = resolve(dataDir);
  mkdirSync(directory, {recursive: true});
  const path = join(directory, DEMO_API_KEYS_FILE);
  writeFileSync(path, `${JSON.stringify(apiKeys, null, 2)}\n`, {mode: 0o600});
  chmodSync(path, 0o600);
  return path;
}

/**
 * Loads the demo organisations and their published units when the database has no
 * organisations.
 *
 * @param options.dataDir - DATA_DIR, where the demo API keys file is written.
 * @returns the organisations' API keys by slug, the number of units and the keys file.
 * @throws Error when a fixture is invalid or names an unknown organisation (before anything is stored).
 */
export async function seedDemoData({services, logger, dataDir}: {
  services: CarecredApp['services']; logger: Logger; dataDir: string;
}): Promise<SeedResult> {
  if((await services.orgs.listOrganisations()).length > 0) {
    return {apiKeys: {}, units: 0};
  }
  const organisations = JSON.parse(readFileSync(projectPath('fixtures', 'organisations.json'), 'utf8')) as
    OrganisationInput[];
  const fixtures = loadUnitFixtures();
  const unknown = fixtures.filter(fixture => !organisations.some(org => org.slug === fixture.organisation));
  if(unknown.length > 0) {
    throw new Error(`unit fixtures name unknown organisations: ${unknown.map(f => f.file).join(', ')}`);
  }
  const apiKeys: Record<string, string> = {};
  const orgIds: Record<string, string> = {};
  for(const input of organisations) {
    const {organisation, apiKey} = await services.orgs.createOrganisation(input);
    apiKeys[organisation.slug] = apiKey;
    orgIds[organisation.slug] = organisation.id;
  }
  const apiKeysFile = writeApiKeysFile(dataDir, apiKeys);
  logger.info({path: apiKeysFile}, 'demo organisations created; their API keys are in this file (mode 0600)');
  for(const {organisation, unit} of fixtures) {
    const orgId = orgIds[organisation]!;
    const {id} = await services.catalog.createUnit({orgId, input: unit});
    await services.catalog.publishUnit({orgId, unitId: id});
  }
  logger.info({organisations: Object.keys(apiKeys), units: fixtures.length}, 'demo data loaded');
  return {apiKeys, units: fixtures.length, apiKeysFile};
}
