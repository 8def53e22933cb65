import {aUnitContent} from '../../../test/support/credential-inputs.js';
import {addMonths} from './dates.js';
import {hashIdentity, normaliseEmail} from './identity.js';
import {choosePrimaryLanguage, normaliseLanguageTag, textIn, toElmLangMap} from './language.js';
import {parseStatusEntryId, statusEntryId} from './status-entries.js';

describe('languages', () => {
  test('when a language is requested, then its closest unit language is primary', () => {
    const content = aUnitContent({title: {nl: 'Titel', 'en-GB': 'Title'}});

    expect(choosePrimaryLanguage({content, requested: 'en'})).toBe('en-GB');
    expect(choosePrimaryLanguage({content, requested: 'de'})).toBe('nl');
    expect(choosePrimaryLanguage({content: {...content, languages: ['en']}})).toBe('en-GB');
  });

  test('when a BCP 47 map becomes an ELM map, then keys are ISO 639-1 and an exact key wins', () => {
    expect(toElmLangMap({'en-GB': 'Colour', en: 'Color', nds: 'Farv', nl: 'Kleur'}))
      .toEqual({en: ['Color'], nl: ['Kleur']});
  });

  test('when text is asked in a missing language, then the same language or the first is used', () => {
    expect(textIn({'en-GB': 'Colour', nl: 'Kleur'}, 'en-US')).toBe('Colour');
    expect(textIn({nl: 'Kleur'}, 'fr')).toBe('Kleur');
    expect(normaliseLanguageTag('sr-latn-rs')).toBe('sr-Latn-RS');
  });
});

describe('status entry ids, dates, identity hashes', () => {
  test('when a position becomes an id, then it reads back', () => {
    const position = {statusListCredential: 'https://c.test/status/org/r1', statusListIndex: 131071};

    expect(parseStatusEntryId(statusEntryId(position))).toEqual(position);
    expect(parseStatusEntryId('https://c.test/status/org/r1#x')).toBeUndefined();
    expect(() => statusEntryId({...position, statusListIndex: -1})).toThrow(TypeError);
  });

  test('when months are added to the 31st, then the month\'s last day is used', () => {
    expect(addMonths(new Date('2024-01-31T08:00:00Z'), 1).toISOString()).toBe('2024-02-29T08:00:00.000Z');
    expect(addMonths(new Date('2024-03-14T08:00:00Z'), 36).toISOString()).toBe('2027-03-14T08:00:00.000Z');
  });

  test('when an e-mail address is hashed, then it is the OB3 sha256$ form of address + salt', () => {
    const {identityHash} = hashIdentity({identity: normaliseEmail(' Fenna@School.NL '), salt: 'abc'});

    // echo -n 'fenna@school.nlabc' | sha256sum
    expect(identityHash).toBe('sha256$3eadd2722524382a4fd759c61c2c81b47d94ee42ace916c0e2aa91f3d28437f3');
    expect(identityHash).toMatch(/^sha256\$[0-9a-f]{64}$/);
  });
});
