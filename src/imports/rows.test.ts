import {ValidationFailed} from '../platform/errors.js';
import {importDefaultsOf, toAchievementInput} from './rows.js';

const UNIT = '0123456789abcdef01234567';
const OTHER_UNIT = 'fedcba9876543210fedcba98';
const flat = {externalId: 'S1', givenName: 'Sanne', familyName: 'de Vries', email: 'sanne@example.nl', unit: UNIT,
  achievedAt: '2026-06-30T14:00:00Z', grade: '8'};

function input(row: unknown, defaults = {}) {
  return toAchievementInput({raw: JSON.stringify(row), defaults});
}

function errorsOf(row: unknown, defaults = {}) {
  try {
    input(row, defaults);
  } catch(error) {
    expect(error).toBeInstanceOf(ValidationFailed);
    return (error as ValidationFailed).extensions.errors;
  }
  throw new Error('the row was accepted');
}

describe('toAchievementInput', () => {
  test('when a flat row is complete, then its learner columns become the inline learner', () => {
    expect(input(flat)).toEqual({flat: true, input: {
      learner: {givenName: 'Sanne', familyName: 'de Vries', email: 'sanne@example.nl', externalId: 'S1'},
      unitId: UNIT, achievedAt: '2026-06-30T14:00:00Z', grade: '8'}});
  });

  test.each([
    ['CSV text of unitVersion and issue is typed', {unitVersion: '2', issue: 'ob3|edc'}, {}, {unitVersion: 2, issue: ['ob3', 'edc']}],
    ['defaults fill what the row leaves out', {}, {issue: ['edc'], language: 'en'}, {issue: ['edc'], language: 'en'}],
    ['the row wins over the defaults', {issue: 'ob3', language: 'nl'}, {issue: ['edc'], language: 'en'}, {issue: ['ob3'], language: 'nl'}],
    ['the default version goes with the default unit', {unit: undefined}, {unitId: UNIT, unitVersion: 3}, {unitId: UNIT, unitVersion: 3}],
    ['the default version does not apply to another unit', {unit: OTHER_UNIT}, {unitId: UNIT, unitVersion: 3}, {unitId: OTHER_UNIT}]
  ])('when %s, then the input says so', (_case, row, defaults, expected) => {
    const {input: result} = input({...flat, ...row}, defaults);

    expect(result).toMatchObject(expected);
    if(!('unitVersion' in expected)) {
      expect(result.unitVersion).toBeUndefined();
    }
  });

  test('when a row has the AchievementInput shape, then it is used as it is, with the defaults', () => {
    const row = {learnerId: UNIT, unitId: OTHER_UNIT, achievedAt: '2026-06-30T14:00:00Z'};

    expect(input(row, {issue: ['ob3']})).toEqual({flat: false, input: {...row, issue: ['ob3']}});
  });

  test.each([
    ['a flat row without a unit and no default', {...flat, unit: undefined}, [{pointer: '/unit', message: 'is required'}]],
    ['a bad e-mail column', {...flat, email: 'nope'}, [{pointer: '/email', message: 'must match format "email"'}]],
    ['an unknown profile', {...flat, issue: 'ob3|pdf'}, [{pointer: '/issue/1', message: 'must be one of "ob3", "edc"'}]],
    ['an unknown member', {...flat, shoeSize: 42}, [{pointer: '/shoeSize', message: 'is not allowed here'}]],
    ['a non-numeric version', {...flat, unitVersion: 'two'}, [{pointer: '/unitVersion', message: 'must be integer'}]],
    ['an AchievementInput with a bad learner', {learner: {givenName: 'A'}, unitId: UNIT, achievedAt: '2026-06-30T14:00:00Z'},
      [{pointer: '/learner/familyName', message: 'is required'}]],
    ['not an object', [1, 2], [{pointer: '/', message: 'must be an object'}]]
  ])('when the row is %s, then ValidationFailed points into the row', (_case, row, errors) => {
    expect(errorsOf(row)).toEqual(errors);
  });
});

describe('importDefaultsOf', () => {
  test('when the query names profiles with commas or bars, then they become a list without repeats', () => {
    expect(importDefaultsOf({issue: 'ob3,edc'})).toEqual({issue: ['ob3', 'edc']});
    expect(importDefaultsOf({issue: 'edc|edc', unitVersion: 2})).toEqual({issue: ['edc'], unitVersion: 2});
    expect(importDefaultsOf({})).toEqual({});
  });
});
