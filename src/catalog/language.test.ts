import {languagePreference, parseAcceptLanguage, pickText} from './language.js';

describe('parseAcceptLanguage', () => {
  test.each([
    ['no header', undefined, []],
    ['one language', 'nl', ['nl']],
    ['q-values out of order', 'en;q=0.5, de, nl;q=0.8', ['de', 'nl', 'en']],
    ['equal q-values', 'fr;q=0.7, de;q=0.7', ['fr', 'de']],
    ['a region subtag', 'en-GB,en;q=0.9', ['en-GB', 'en']],
    ['q=0 (not acceptable)', 'de;q=0, nl', ['nl']],
    ['a wildcard', '*;q=0.5, nl', ['nl']],
    ['malformed entries', 'nl;q=abc, ;;, en_US, fr;q=2, de', ['de']],
    ['spaces around separators', ' nl ; q=0.4 ,  en ', ['en', 'nl']]
  ])('when the header has %s, then the languages come in q-order', (_what, header, expected) => {
    expect(parseAcceptLanguage(header)).toEqual(expected);
  });
});

describe('languagePreference', () => {
  test.each([
    ['nothing is asked', {}, ['en', 'nl']],
    ['lang is given', {lang: 'de,fr'}, ['de', 'fr', 'en', 'nl']],
    ['lang and Accept-Language are both given', {lang: 'fr', acceptLanguage: 'de'}, ['fr', 'en', 'nl']],
    ['only Accept-Language is given', {acceptLanguage: 'nl, de;q=0.5'}, ['nl', 'de', 'en']],
    ['a fallback is asked for in another case', {lang: 'EN'}, ['EN', 'nl']]
  ])('when %s, then the fallbacks en and nl follow the reader\'s languages', (_what, options, expected) => {
    expect(languagePreference(options)).toEqual(expected);
  });
});

describe('pickText', () => {
  const map = {nl: 'Beeldzorg', 'en-GB': 'Video care', de: 'Videopflege'};

  test.each([
    ['an available language', ['de'], {text: 'Videopflege', lang: 'de'}],
    ['a language in another case', ['DE'], {text: 'Videopflege', lang: 'de'}],
    ['a primary language with a region available', ['en'], {text: 'Video care', lang: 'en-GB'}],
    ['a regional variant of an available language', ['de-AT'], {text: 'Videopflege', lang: 'de'}],
    ['an unavailable language before an available one', ['fr', 'nl'], {text: 'Beeldzorg', lang: 'nl'}],
    ['only unavailable languages', ['fr', 'es'], {text: 'Beeldzorg', lang: 'nl'}]
  ])('when the reader asks for %s, then the best text is picked with its language', (_what, preference, expected) => {
    expect(pickText(map, preference)).toEqual(expected);
  });

  test('when the reader asks for nothing the text has, then the first language of the text is used', () => {
    expect(pickText({fy: 'Byldsoarch', de: 'Videopflege'}, ['en', 'nl'])).toEqual({text: 'Byldsoarch', lang: 'fy'});
  });
});
