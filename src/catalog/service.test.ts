import {startTestApp, type TestApp} from '../../test/support/test-app.js';
import {anOrganisation, aUnit, type TestOrganisation} from '../../test/support/units.js';
import {LifecycleConflict, UnitNotIssuable} from './errors.js';
import type {CatalogService} from './service.js';

let carecred: TestApp;
let catalog: CatalogService;
let school: TestOrganisation;
let other: TestOrganisation;
beforeAll(async () => {
  carecred = await startTestApp();
  catalog = carecred.services.catalog;
  school = await anOrganisation(carecred, {slug: 'umc-leerhuis'});
  other = await anOrganisation(carecred, {slug: 'zorgnetwerk'});
});
afterAll(async () => carecred.stop());

async function publishedUnit(overrides = {}): Promise<string> {
  const {id} = await catalog.createUnit({orgId: school.id, input: aUnit(overrides)});
  await catalog.publishUnit({orgId: school.id, unitId: id});
  return id;
}

function revisionsOf(unitId: string) {
  return carecred.db.collection('units').find({unitId}).sort({revision: 1}).toArray();
}

describe('concurrent changes', () => {
  test('when two edits of a published unit run at once, then one draft version 2 holds both', async () => {
    const unitId = await publishedUnit();

    const results = await Promise.all([
      catalog.updateUnit({orgId: school.id, unitId, patch: {workloadHours: 56}}),
      catalog.updateUnit({orgId: school.id, unitId, patch: {tags: ['tweede']}})
    ]);

    expect(results.map(unit => unit.version)).toEqual([2, 2]);
    const versions = await catalog.listUnitVersions({orgId: school.id, unitId});
    expect(versions.map(v => [v.version, v.state])).toEqual([[2, 'draft'], [1, 'published']]);
    const [draft, published] = await Promise.all([catalog.getUnit({orgId: school.id, unitId}),
      catalog.getUnitVersion({orgId: school.id, unitId, version: 1})]);
    expect(draft.content).toMatchObject({workloadHours: 56, tags: ['tweede']});
    expect(published.content).toMatchObject({workloadHours: 28, tags: ['beeldzorg', 'ehealth']});
  });

  test('when many edits of one draft run at once, then every edit lands in its own revision', async () => {
    const {id: unitId} = await catalog.createUnit({orgId: school.id, input: aUnit()});
    const patches = [{workloadHours: 30}, {ectsCredits: 1.1}, {eqfLevel: 5}, {iscedF: '0913'},
      {credentialValidityMonths: 24}, {languages: ['nl']}];

    await Promise.all(patches.map(patch => catalog.updateUnit({orgId: school.id, unitId, patch})));

    const unit = await catalog.getUnit({orgId: school.id, unitId});
    expect(unit).toMatchObject({version: 1, state: 'draft', content: Object.assign({}, ...patches)});
    const revisions = await revisionsOf(unitId);
    expect(revisions.map(revision => revision.revision)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(revisions.filter(revision => revision.head)).toHaveLength(1);
  });

  test('when a draft is published twice at once, then one publish wins and the other is a lifecycle conflict', async () => {
    const {id: unitId} = await catalog.createUnit({orgId: school.id, input: aUnit()});

    const results = await Promise.allSettled([
      catalog.publishUnit({orgId: school.id, unitId}), catalog.publishUnit({orgId: school.id, unitId})]);

    expect(results.filter(result => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find(result => result.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(LifecycleConflict);
  });

  test.each([1, 2, 3, 4, 5])('when archive and edit race (round %i), then the unit ends archived', async round => {
    const unitId = await publishedUnit({title: {en: `Race ${round}`, nl: `Wedloop ${round}`}});

    const [archive, edit] = await Promise.allSettled([
      catalog.archiveUnit({orgId: school.id, unitId}),
      catalog.updateUnit({orgId: school.id, unitId, patch: {ectsCredits: 2}})
    ]);

    expect(archive.status).toBe('fulfilled');
    expect(edit.status === 'fulfilled' || edit.reason instanceof LifecycleConflict).toBe(true);
    expect((await catalog.getUnit({orgId: school.id, unitId})).state).toBe('archived');
    expect((await catalog.listCatalogue({q: `wedloop ${round}`})).items).toEqual([]);
    await expect(catalog.getIssuableVersion({orgId: school.id, unitId}))
      .rejects.toBeInstanceOf(UnitNotIssuable);
  });
});

describe('getIssuableVersion', () => {
  test('when a unit is published, then its latest published version is issuable with its public URL', async () => {
    const {country: _c, region: _r, ...input} = aUnit({credentialValidityMonths: 24});
    const {id: unitId} = await catalog.createUnit({orgId: school.id, input});
    await catalog.publishUnit({orgId: school.id, unitId});
    await catalog.updateUnit({orgId: school.id, unitId, patch: {ectsCredits: 2}});

    const issuable = await catalog.getIssuableVersion({orgId: school.id, unitId});

    expect(issuable).toMatchObject({
      unitId, version: 1, orgId: school.id, orgSlug: 'umc-leerhuis',
      content: {country: 'NL', region: 'NL-GR', ectsCredits: 1, credentialValidityMonths: 24,
        participationForm: {mode: 'blended', volunteering: false, workExperience: true}},
      publicUrl: `http://carecred.test/v1/catalog/umc-leerhuis/units/${unitId}/versions/1`
    });
    expect(new Date(issuable.publishedAt).getTime()).toBeLessThanOrEqual(Date.now());
  });

  test('when an older published version is asked for, then it stays issuable after a newer one is published', async () => {
    const unitId = await publishedUnit();
    await catalog.updateUnit({orgId: school.id, unitId, patch: {ectsCredits: 2}});
    await catalog.publishUnit({orgId: school.id, unitId});

    const [latest, older] = await Promise.all([catalog.getIssuableVersion({orgId: school.id, unitId}),
      catalog.getIssuableVersion({orgId: school.id, unitId, version: 1})]);

    expect([latest.version, latest.content.ectsCredits]).toEqual([2, 2]);
    expect([older.version, older.content.ectsCredits]).toEqual([1, 1]);
  });

  test.each([
    ['a unit never published', async () =>
      (await catalog.createUnit({orgId: school.id, input: aUnit()})).id, undefined],
    ['a draft version', async () => {
      const unitId = await publishedUnit();
      await catalog.updateUnit({orgId: school.id, unitId, patch: {ectsCredits: 2}});
      return unitId;
    }, 2],
    ['an archived unit', async () => {
      const unitId = await publishedUnit();
      await catalog.archiveUnit({orgId: school.id, unitId});
      return unitId;
    }, 1]
  ])('when it is %s, then it is not issuable', async (_what, arrange, version) => {
    const unitId = await arrange();

    await expect(catalog.getIssuableVersion({orgId: school.id, unitId, version}))
      .rejects.toMatchObject({code: 'unit-not-issuable', status: 409});
  });

  test('when the version or the organisation does not match, then it is not found', async () => {
    const unitId = await publishedUnit();

    await expect(catalog.getIssuableVersion({orgId: school.id, unitId, version: 9}))
      .rejects.toMatchObject({code: 'not-found'});
    await expect(catalog.getIssuableVersion({orgId: other.id, unitId}))
      .rejects.toMatchObject({code: 'not-found'});
  });
});

describe('list hints after a crash', () => {
  test('when a superseded revision is still flagged, then the lists leave it out and clear its flags', async () => {
    const unitId = await publishedUnit({title: {nl: 'Hersteltest', en: 'Recovery test'}});
    await catalog.updateUnit({orgId: school.id, unitId, patch: {ectsCredits: 2}});
    await catalog.publishUnit({orgId: school.id, unitId});
    // As if the process died right after publishing version 2, before clearing the older flags.
    const units = carecred.db.collection('units');
    await units.updateOne({unitId, version: 1, state: 'published'}, {$set: {listed: true}});
    await units.updateOne({unitId, version: 2, state: 'draft'}, {$set: {head: true}});

    const publicPage = await catalog.listCatalogue({q: 'hersteltest'});
    const ownPage = await catalog.listUnits({orgId: school.id, limit: 100});

    expect(publicPage.items.map(item => item.version)).toEqual([2]);
    expect(ownPage.items.filter(unit => unit.id === unitId).map(unit => unit.version)).toEqual([2]);
    const flagged = (await revisionsOf(unitId)).filter(revision => revision.listed || revision.head);
    expect(flagged.map(revision => [revision.version, revision.state])).toEqual([[2, 'published']]);
  });

  test('when the process died right after archiving, then the archived unit still leaves the catalogue', async () => {
    const unitId = await publishedUnit({title: {nl: 'Archieftest', en: 'Archive test'}});
    await catalog.archiveUnit({orgId: school.id, unitId});
    await carecred.db.collection('units').updateMany({unitId, state: 'published'}, {$set: {listed: true}});

    const page = await catalog.listCatalogue({q: 'archieftest'});

    expect(page.items).toEqual([]);
    expect((await revisionsOf(unitId)).filter(revision => revision.listed)).toEqual([]);
  });
});
