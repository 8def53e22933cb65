import {Types} from 'mongoose';

import {uniqueDatabaseName} from '../../test/support/test-app.js';
import {connectDatabase, type Connection, ensureIndexes} from '../platform/db.js';
import {learnerModels} from './model.js';
import {createLearnerService, LearnerErased, type LearnerService} from './service.js';

let db: Connection;
let learners: LearnerService;

function anOrg(): string {
  return new Types.ObjectId().toHexString();
}

beforeAll(async () => {
  db = await connectDatabase({uri: process.env.CARECRED_TEST_MONGODB_URI!, dbName: uniqueDatabaseName('learners')});
  learners = createLearnerService({models: learnerModels(db)});
  await ensureIndexes(db);
});
afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await db.close();
});

describe('findOrCreateLearner', () => {
  test('when 20 calls with one learner number run at once, then exactly one learner exists', async () => {
    const orgId = anOrg();
    const inline = {givenName: 'Ahmed', familyName: 'Benali', externalId: 'RACE-1'};

    const results = await Promise.all(Array.from({length: 20}, () =>
      learners.findOrCreateLearner({orgId, learner: inline})));

    expect(new Set(results.map(result => result.learner.id)).size).toBe(1);
    expect(results.filter(result => result.created)).toHaveLength(1);
    expect(await db.collection('learners').countDocuments({orgId: new Types.ObjectId(orgId)})).toBe(1);
  });

  test('when the learner number is known, then that learner is returned unchanged', async () => {
    const orgId = anOrg();
    const existing = await learners.createLearner({orgId, input: {givenName: 'Eva', familyName: 'Bakker', externalId: 'N1'}});

    const found = await learners.findOrCreateLearner({orgId,
      learner: {givenName: 'Other', familyName: 'Name', externalId: 'N1'}});

    expect(found).toEqual({learner: existing, created: false});
  });

  test('when only an e-mail address is given, then the learner with that address (any case) is matched', async () => {
    const orgId = anOrg();
    const existing = await learners.createLearner({orgId,
      input: {givenName: 'Noor', familyName: 'Smit', email: 'noor.smit@example.nl'}});

    const found = await learners.findOrCreateLearner({orgId,
      learner: {givenName: 'Noor', familyName: 'Smit', email: 'Noor.Smit@Example.nl'}});

    expect(found.created).toBe(false);
    expect(found.learner.id).toBe(existing.id);
  });

  test('when another organisation has the learner number, then a learner of its own is created', async () => {
    const inline = {givenName: 'Lotte', familyName: 'Visser', externalId: 'SHARED-1'};
    const first = await learners.findOrCreateLearner({orgId: anOrg(), learner: inline});

    const second = await learners.findOrCreateLearner({orgId: anOrg(), learner: inline});

    expect(second.created).toBe(true);
    expect(second.learner.id).not.toBe(first.learner.id);
  });

  test('when the matched learner number was erased, then a new learner is created', async () => {
    const orgId = anOrg();
    const erased = await learners.createLearner({orgId, input: {givenName: 'A', familyName: 'B', externalId: 'GONE-1'}});
    await learners.eraseLearner({orgId, learnerId: erased.id});

    const found = await learners.findOrCreateLearner({orgId, learner: {givenName: 'A', familyName: 'B', externalId: 'GONE-1'}});

    expect(found.created).toBe(true);
    expect(found.learner.id).not.toBe(erased.id);
  });

  test('when a learner with the number exists without a lookup (recorded before lookups), then it is matched and the lookup recorded', async () => {
    const orgId = anOrg();
    const existing = await learners.createLearner({orgId, input: {givenName: 'Old', familyName: 'Data', externalId: 'OLD-1'}});
    await db.collection('learnerlookups').deleteMany({learner: new Types.ObjectId(existing.id)});

    const found = await learners.findOrCreateLearner({orgId, learner: {givenName: 'Old', familyName: 'Data', externalId: 'OLD-1'}});

    expect(found).toEqual({learner: existing, created: false});
    expect(await db.collection('learnerlookups').countDocuments({learner: new Types.ObjectId(existing.id)})).toBe(1);
  });

  test('when the number\'s learner was renumbered, then the old number matches a new learner and the new number the renumbered one', async () => {
    const orgId = anOrg();
    const renumbered = await learners.findOrCreateLearner({orgId, learner: {givenName: 'R', familyName: 'N', externalId: 'OLD-2'}});
    await learners.updateLearner({orgId, learnerId: renumbered.learner.id, patch: {externalId: 'NEW-2'}});

    const byOld = await learners.findOrCreateLearner({orgId, learner: {givenName: 'R', familyName: 'N', externalId: 'OLD-2'}});
    const byNew = await learners.findOrCreateLearner({orgId, learner: {givenName: 'R', familyName: 'N', externalId: 'NEW-2'}});

    expect(byOld.created).toBe(true);
    expect(byOld.learner.id).not.toBe(renumbered.learner.id);
    expect(byNew).toMatchObject({created: false, learner: {id: renumbered.learner.id, externalId: 'NEW-2'}});
  });

  test('when a learner is erased, then nothing of its learner number is kept in the lookups', async () => {
    const orgId = anOrg();
    const {learner} = await learners.findOrCreateLearner({orgId, learner: {givenName: 'E', familyName: 'R', externalId: 'ERASE-3'}});

    await learners.eraseLearner({orgId, learnerId: learner.id});

    expect(await db.collection('learnerlookups').countDocuments({learner: new Types.ObjectId(learner.id)})).toBe(0);
    const stored = JSON.stringify(await db.collection('learnerlookups').find().toArray());
    expect(stored).not.toContain('ERASE-3');
  });

  test('when the inline learner has a birth date in the future, then 400 points into the request', async () => {
    const attempt = learners.findOrCreateLearner({orgId: anOrg(),
      learner: {givenName: 'A', familyName: 'B', birthDate: '2999-01-01'}});

    await expect(attempt).rejects.toMatchObject({status: 400,
      extensions: {errors: [{pointer: '/body/learner/birthDate'}]}});
  });
});

describe('getLearner', () => {
  test('when read for issuing, then the identity salt comes along', async () => {
    const orgId = anOrg();
    const created = await learners.createLearner({orgId, input: {givenName: 'A', familyName: 'B', email: 'a@b.nl'}});

    const learner = await learners.getLearner({orgId, learnerId: created.id});

    expect(learner.identitySalt).toMatch(/^[0-9a-f]{32}$/);
  });

  test('when the learner was erased, then LearnerErased (410)', async () => {
    const orgId = anOrg();
    const created = await learners.createLearner({orgId, input: {givenName: 'A', familyName: 'B'}});
    await learners.eraseLearner({orgId, learnerId: created.id});

    const attempt = learners.getLearner({orgId, learnerId: created.id});

    await expect(attempt).rejects.toBeInstanceOf(LearnerErased);
  });

  test.each([['another organisation', 'org'], ['a malformed id', 'id']])(
    'when asked with %s, then NotFound (404)', async (_what, which) => {
      const orgId = anOrg();
      const created = await learners.createLearner({orgId, input: {givenName: 'A', familyName: 'B'}});

      const attempt = which === 'org' ? learners.getLearner({orgId: anOrg(), learnerId: created.id}) :
        learners.getLearner({orgId, learnerId: 'nope'});

      await expect(attempt).rejects.toMatchObject({status: 404, code: 'not-found'});
    });
});
