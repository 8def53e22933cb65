import request from 'supertest';

import {expectContract} from '../../test/support/contract.js';
import {startTestApp, type TestApp} from '../../test/support/test-app.js';
import {anOrganisation, aUnit} from '../../test/support/units.js';
import type {UnitContent} from './model.js';
import type {CatalogService} from './service.js';

let carecred: TestApp;
let catalog: CatalogService;
const units: Record<string, string> = {};

interface Entry {
  unitId: string;
  version: number;
  url: string;
  title: {text: string; lang: string};
  organisation: {slug: string; name: {text: string; lang: string}};
}

async function published(orgId: string, content: Partial<UnitContent>): Promise<string> {
  const {id} = await catalog.createUnit({orgId, input: aUnit(content)});
  await catalog.publishUnit({orgId, unitId: id});
  return id;
}

beforeAll(async () => {
  carecred = await startTestApp();
  catalog = carecred.services.catalog;
  const college = await anOrganisation(carecred, {slug: 'zorgcollege'});
  const hospital = await anOrganisation(carecred, {slug: 'leerhuis', name: {nl: 'Leerhuis UMC', en: 'UMC Academy'}});
  units.videoCare = await published(college.id, {});
  units.robot = await published(college.id, {
    title: {nl: 'Werken met de medicatierobot', en: 'Working with the medication robot'},
    description: {nl: 'De cliënt krijgt medicatie uit een robot.', en: 'The client gets medication from a robot.'},
    eqfLevel: 3, ectsCredits: 0.5, tags: ['medicatie'], participationForm: {mode: 'onsite'} as never
  });
  units.fall = await published(hospital.id, {
    title: {nl: 'Valdetectie met sensoren', en: 'Fall detection with sensors'},
    eqfLevel: 5, ectsCredits: 2, tags: ['domotica', 'sensoren', 'ehealth'],
    participationForm: {mode: 'online'} as never
  });
  units.privacy = await published(hospital.id, {
    title: {nl: 'Privacy en AVG in de zorg'}, description: {nl: 'Gegevensbescherming volgens NEN 7510.'},
    ectsCredits: 1.5, tags: ['privacy'], participationForm: {mode: 'online'} as never
  });
  units.frisian = await published(hospital.id, {
    title: {fy: 'Byldsoarch', de: 'Videopflege'}, description: {fy: 'Soarch op ôfstân.', de: 'Pflege.'},
    tags: ['fries']
  });
  units.draft = (await catalog.createUnit({orgId: college.id, input: aUnit({tags: ['geheim']})})).id;
  units.archived = await published(college.id, {tags: ['oud']});
  await catalog.archiveUnit({orgId: college.id, unitId: units.archived});
  units.telemonitoring = await published(college.id, {title: {nl: 'Telemonitoring', en: 'Telemonitoring'}});
  await catalog.updateUnit({orgId: college.id, unitId: units.telemonitoring, patch: {ectsCredits: 2}});
  await catalog.publishUnit({orgId: college.id, unitId: units.telemonitoring});
  await catalog.updateUnit({orgId: college.id, unitId: units.telemonitoring, patch: {ectsCredits: 3}});
});
afterAll(async () => carecred.stop());

async function allPages(query: Record<string, unknown> = {}): Promise<Entry[]> {
  const entries: Entry[] = [];
  let cursor: string | undefined;
  do {
    const page = await request(carecred.app).get('/v1/catalog').query({...query, ...(cursor ? {cursor} : {})});
    expect(page.status).toBe(200);
    expectContract(page, 'listCatalogue');
    entries.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while(cursor);
  return entries;
}

const idsOf = (entries: Entry[]) => entries.map(entry => entry.unitId).sort();
const named = (...names: string[]) => names.map(name => units[name]!).sort();

describe('listCatalogue', () => {
  test('when anyone lists the catalogue without a key, then only the latest published, live versions appear', async () => {
    const entries = await allPages({limit: 100});

    expect(idsOf(entries)).toEqual(named('videoCare', 'robot', 'fall', 'privacy', 'frisian', 'telemonitoring'));
    expect(entries.find(entry => entry.unitId === units.telemonitoring)!.version).toBe(2);
  });

  test.each([
    ['a word inside a compound word', {q: 'detectie'}, ['fall']],
    ['another case and an accent', {q: 'CLIENT'}, ['robot']],
    ['words from two languages', {q: 'video praktijk'}, ['videoCare']],
    ['regex characters', {q: 'gegevens.*'}, ['privacy']],
    ['an organisation', {org: 'leerhuis'}, ['fall', 'privacy', 'frisian']],
    ['an EQF level', {eqfLevel: 3}, ['robot']],
    ['an ECTS range', {minEcts: 1, maxEcts: 1.5}, ['videoCare', 'privacy', 'frisian']],
    ['a tag', {tag: 'ehealth'}, ['videoCare', 'fall', 'telemonitoring']],
    ['two tags', {tag: ['ehealth', 'sensoren']}, ['fall']],
    ['a participation form', {participationForm: 'online'}, ['fall', 'privacy']],
    ['filters combined', {org: 'zorgcollege', tag: 'ehealth', minEcts: 2}, ['telemonitoring']],
    ['a word nobody uses', {q: 'ruimtevaart'}, []]
  ])('when filtering by %s, then exactly the matching units appear', async (_what, query, expected) => {
    const entries = await allPages({...query, limit: 2});

    expect(idsOf(entries)).toEqual(named(...expected));
  });

  test('when paging with limit 1, then every unit comes exactly once and the last page has no cursor', async () => {
    const entries = await allPages({limit: 1});

    expect(entries).toHaveLength(6);
    expect(new Set(idsOf(entries)).size).toBe(6);
  });

  test('when stale flagged revisions straddle a page boundary, then the unit still appears once', async () => {
    await carecred.db.collection('units').updateMany({unitId: units.telemonitoring}, {$set: {listed: true}});

    const entries = await allPages({tag: 'ehealth', limit: 1});

    const telemonitoring = entries.filter(entry => entry.unitId === units.telemonitoring);
    expect(telemonitoring.map(entry => entry.version)).toEqual([2]);
  });

  test.each([
    ['lang=en', {lang: 'en'}, {}, {videoCare: 'en', privacy: 'nl', frisian: 'fy'}],
    ['lang=de,nl', {lang: 'de,nl'}, {}, {videoCare: 'nl', privacy: 'nl', frisian: 'de'}],
    ['Accept-Language with q-values', {}, {'Accept-Language': 'fr, nl;q=0.9, en;q=0.8'},
      {videoCare: 'nl', privacy: 'nl', frisian: 'fy'}],
    ['lang over Accept-Language', {lang: 'en'}, {'Accept-Language': 'nl'}, {videoCare: 'en', privacy: 'nl'}],
    ['nothing (fallback en, then nl, then the first language)', {}, {},
      {videoCare: 'en', privacy: 'nl', frisian: 'fy'}]
  ])('when the reader asks for %s, then each text says the language it is in', async (_what, query, headers, expected) => {
    const response = await request(carecred.app).get('/v1/catalog').query({...query, limit: 100}).set(headers);

    expect(response.status).toBe(200);
    expect(response.headers.vary).toMatch(/Accept-Language/);
    const languages = Object.fromEntries(Object.keys(expected).map(name => [name,
      (response.body.items as Entry[]).find(entry => entry.unitId === units[name])!.title.lang]));
    expect(languages).toEqual(expected);
  });

  test('when the reader asks for English, then the organisation name is English too', async () => {
    const response = await request(carecred.app).get('/v1/catalog').query({org: 'leerhuis', lang: 'en'});

    expect(response.body.items[0].organisation).toEqual({slug: 'leerhuis', name: {text: 'UMC Academy', lang: 'en'}});
    expect(response.body.languagePreference).toEqual(['en', 'nl']);
  });

  test.each([
    ['an EQF level of 9', {eqfLevel: 9}],
    ['a negative ECTS minimum', {minEcts: -1}],
    ['a limit of 0', {limit: 0}],
    ['a malformed language', {lang: 'en_US'}],
    ['an unknown parameter', {sort: 'title'}],
    ['a foreign cursor', {cursor: 'eyJ1IjoieCJ9'}]
  ])('when the query has %s, then 400 problem+json', async (_what, query) => {
    const response = await request(carecred.app).get('/v1/catalog').query(query);

    expect(response.status).toBe(400);
    expectContract(response, 'listCatalogue');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('getCatalogueUnitVersion', () => {
  const urlOf = (unitId: string, version: number, slug = 'zorgcollege') =>
    `/v1/catalog/${slug}/units/${unitId}/versions/${version}`;

  test('when a published version is fetched without a key, then it has every language and the listed URL', async () => {
    const [entry] = (await allPages({q: 'medicatierobot'}));

    const response = await request(carecred.app).get(urlOf(units.robot!, 1));

    expect(response.status).toBe(200);
    expectContract(response, 'getCatalogueUnitVersion');
    expect(response.body).toMatchObject({state: 'published', url: entry!.url,
      content: {title: {nl: 'Werken met de medicatierobot', en: 'Working with the medication robot'}}});
    expect(entry!.url).toBe(`http://carecred.test${urlOf(units.robot!, 1)}`);
  });

  test('when a newer version is published, then the older one stays readable unchanged', async () => {
    const [first, second] = await Promise.all([request(carecred.app).get(urlOf(units.telemonitoring!, 1)),
      request(carecred.app).get(urlOf(units.telemonitoring!, 2))]);

    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.body.content.ectsCredits, second.body.content.ectsCredits]).toEqual([1, 2]);
  });

  test('when the unit is archived, then its published version stays readable, marked archived', async () => {
    const response = await request(carecred.app).get(urlOf(units.archived!, 1));

    expect(response.status).toBe(200);
    expectContract(response, 'getCatalogueUnitVersion');
    expect(response.body.state).toBe('archived');
    expect(response.body.archivedAt).toBeDefined();
  });

  test.each([
    ['a draft version', () => urlOf(units.telemonitoring!, 3), 404],
    ['a never published unit', () => urlOf(units.draft!, 1), 404],
    ['another organisation\'s slug', () => urlOf(units.robot!, 1, 'leerhuis'), 404],
    ['a version that does not exist', () => urlOf(units.robot!, 2), 404],
    ['a malformed unit id', () => '/v1/catalog/zorgcollege/units/xyz/versions/1', 400]
  ])('when the URL names %s, then it is a problem', async (_what, url, status) => {
    const response = await request(carecred.app).get(url());

    expect(response.status).toBe(status);
    expectContract(response, 'getCatalogueUnitVersion');
  });
});
