import {aUnit} from '../../test/support/units.js';
import {ValidationFailed} from '../platform/errors.js';
import {applyDefaults, escapeRegex, mergePatch, normaliseText, queryWords, searchTextOf} from './content.js';
import {decodeCursor, encodeCursor} from './cursor.js';
import {unitVersionUrl} from './views.js';

describe('normaliseText', () => {
  test.each([
    ['Beeldzorg', 'beeldzorg'],
    ['Één cliënt, twee zorgverleners!', 'een client twee zorgverleners'],
    ['NEN 7510 / AVG-proof', 'nen 7510 avg proof'],
    ['Ĳsselmeer  Crème brûlée', 'ijsselmeer creme brulee'],
    ['   ', '']
  ])('when %j is normalised, then it becomes %j', (text, expected) => {
    expect(normaliseText(text)).toBe(expected);
  });
});

describe('searchTextOf', () => {
  test('when a unit is indexed, then the words of every language, the outcomes and the tags are in it once', () => {
    const words = searchTextOf(aUnit({tags: ['val-detectie']})).split(' ');

    expect(words).toEqual(expect.arrayContaining(['beeldzorg', 'video', 'care', 'dossier', 'val', 'detectie']));
    expect(new Set(words).size).toBe(words.length);
  });
});

describe('queryWords', () => {
  test('when a query has accents, punctuation and repeats, then its distinct words remain', () => {
    expect(queryWords('Cliënt-veiligheid, cliënt!')).toEqual(['client', 'veiligheid']);
  });

  test('when a query has many words, then at most eight are used', () => {
    expect(queryWords('a b c d e f g h i j')).toHaveLength(8);
  });

  test('when a word has regex characters, then escaping makes them literal', () => {
    expect(new RegExp(escapeRegex('a.b*(c)')).test('a.b*(c)')).toBe(true);
    expect(new RegExp(escapeRegex('a.b')).test('axb')).toBe(false);
  });
});

describe('applyDefaults', () => {
  test('when the unit has no country or region, then the organisation\'s are used', () => {
    const {country: _c, region: _r, ...unit} = aUnit();

    const completed = applyDefaults(unit, {country: 'NL', region: 'NL-GR'});

    expect(completed).toMatchObject({country: 'NL', region: 'NL-GR'});
  });

  test('when the unit names its own country, then it is kept and the input is not changed', () => {
    const unit = aUnit({country: 'BE', participationForm: {mode: 'online'} as never});

    const completed = applyDefaults(unit, {country: 'NL'});

    expect(completed.country).toBe('BE');
    expect(completed.participationForm).toEqual({mode: 'online', volunteering: false, workExperience: false});
    expect(unit.participationForm).toEqual({mode: 'online'});
  });
});

describe('mergePatch', () => {
  test('when a patch sets, replaces and removes members, then only those change', () => {
    const unit = aUnit({credentialValidityMonths: 24});

    const patched = mergePatch(unit, {ectsCredits: 2, eqfLevel: null, tags: ['nieuw']});

    expect(patched).toMatchObject({ectsCredits: 2, tags: ['nieuw'], credentialValidityMonths: 24});
    expect(patched).not.toHaveProperty('eqfLevel');
    expect(unit.eqfLevel).toBe(4);
  });

  test('when a patch removes a mandatory member, then it is refused with the field named', () => {
    expect(() => mergePatch(aUnit(), {title: null} as never)).toThrow(ValidationFailed);
  });
});

describe('cursor', () => {
  test('when a cursor is made, then it reads back as the same position', () => {
    const position = {unitId: '65a1b2c3d4e5f6a7b8c9d0e1', revision: 3};

    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  test.each(['bm90LWpzb24', Buffer.from('{"u":"x","r":1}').toString('base64url'),
    Buffer.from('{"u":"65a1b2c3d4e5f6a7b8c9d0e1","r":0}').toString('base64url'), 'AAAA'])(
    'when the cursor %s was not made by this service, then it is a validation error', cursor => {
      expect(() => decodeCursor(cursor)).toThrow(ValidationFailed);
    });
});

describe('unitVersionUrl', () => {
  test('when the base URL has a path and a trailing slash, then the URL is still well formed', () => {
    expect(unitVersionUrl({publicBaseUrl: 'https://example.org/carecred/', orgSlug: 'umc-leerhuis',
      unitId: '65a1b2c3d4e5f6a7b8c9d0e1', version: 3}))
      .toBe('https://example.org/carecred/v1/catalog/umc-leerhuis/units/65a1b2c3d4e5f6a7b8c9d0e1/versions/3');
  });
});
