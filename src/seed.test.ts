import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Writable} from 'node:stream';

import request from 'supertest';

import {startTestApp, type TestApp} from '../test/support/test-app.js';
import {createLogger} from './platform/logger.js';
import {projectPath} from './platform/paths.js';
import {DEMO_API_KEYS_FILE, loadUnitFixtures, seedDemoData} from './seed.js';

const DEMO_ORGANISATIONS = (JSON.parse(readFileSync(projectPath('fixtures', 'organisations.json'), 'utf8')) as
  {slug: string}[]).map(organisation => organisation.slug);
const HOURS_PER_ECTS = 28;

/** A logger that keeps its lines, to check what seeding logs. */
function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({write(chunk, _encoding, done) {
    lines.push(String(chunk));
    done();
  }});
  return {logger: createLogger({level: 'debug', destination}), lines};
}

describe('unit fixtures', () => {
  const fixtures = loadUnitFixtures();

  test('when the fixtures are read, then there are at least 8, valid, from every demo organisation', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    expect(new Set(fixtures.map(fixture => fixture.organisation))).toEqual(new Set(DEMO_ORGANISATIONS));
  });

  test.each(loadUnitFixtures().map(fixture => [fixture.file, fixture]))(
    'when %s is checked, then it is bilingual and plausible for its level', (_file, {unit}) => {
      const texts = [unit.title, unit.description, unit.qualityAssurance,
        ...unit.learningOutcomes.map(outcome => outcome.text)];
      expect(texts.every(text => text.nl && text.en)).toBe(true);
      expect(unit.eqfLevel).toBeGreaterThanOrEqual(3);
      expect(unit.eqfLevel).toBeLessThanOrEqual(6);
      expect(unit.nlqfLevel).toBe(unit.eqfLevel);
      const hoursFromEcts = unit.ectsCredits * HOURS_PER_ECTS;
      expect(Math.abs(hoursFromEcts - unit.workloadHours)).toBeLessThanOrEqual(HOURS_PER_ECTS / 4);
      expect(unit.learningOutcomes.length).toBeGreaterThanOrEqual(3);
      expect(unit.iscedF).toMatch(/^\d{4}$/);
    });
});

describe('seedDemoData', () => {
  let carecred: TestApp;
  let dataDir: string;
  beforeAll(async () => {
    carecred = await startTestApp();
    dataDir = mkdtempSync(join(tmpdir(), 'carecred-seed-'));
  });
  afterAll(async () => {
    await carecred.stop();
    rmSync(dataDir, {recursive: true, force: true});
  });

  test('when an empty database is seeded, then every unit is published and the keys are only in a 0600 file', async () => {
    const {logger, lines} = capturingLogger();

    const result = await seedDemoData({services: carecred.services, logger, dataDir});

    expect(Object.keys(result.apiKeys).sort()).toEqual([...DEMO_ORGANISATIONS].sort());
    expect(result.units).toBe(loadUnitFixtures().length);
    const keysFile = join(dataDir, DEMO_API_KEYS_FILE);
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(keysFile, 'utf8'))).toEqual(result.apiKeys);
    const catalogue = await request(carecred.app).get('/v1/catalog').query({limit: 100});
    expect(catalogue.body.items).toHaveLength(result.units);
    const logs = [...lines, ...carecred.logLines].join('\n');
    expect(logs).toContain(keysFile);
    expect(Object.values(result.apiKeys).some(key => logs.includes(key))).toBe(false);
  });

  test('when a demo key is used, then it sees its organisation\'s published units and can issue from them', async () => {
    const apiKeys = JSON.parse(readFileSync(join(dataDir, DEMO_API_KEYS_FILE), 'utf8')) as Record<string, string>;

    const response = await request(carecred.app).get('/v1/units').query({state: 'published'})
      .set('Authorization', `Bearer ${apiKeys['umc-leerhuis']}`);

    expect(response.status).toBe(200);
    const robot = (response.body.items as {id: string; content: {credentialValidityMonths?: number;
      tags: string[]}}[]).find(unit => unit.content.tags.includes('medicatierobot'));
    expect(robot?.content.credentialValidityMonths).toBe(24);
    const organisation = await request(carecred.app).get('/v1/organisation')
      .set('Authorization', `Bearer ${apiKeys['umc-leerhuis']}`);
    const issuable = await carecred.services.catalog.getIssuableVersion({orgId: organisation.body.id,
      unitId: robot!.id});
    expect(issuable.version).toBe(1);
  });

  test('when the database has organisations already, then seeding loads nothing', async () => {
    const before = await carecred.db.collection('units').countDocuments();

    const {logger} = capturingLogger();

    const result = await seedDemoData({services: carecred.services, logger, dataDir});

    expect(result).toEqual({apiKeys: {}, units: 0});
    expect(await carecred.db.collection('units').countDocuments()).toBe(before);
  });
});
