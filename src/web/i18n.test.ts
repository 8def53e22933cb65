import {readdirSync, readFileSync} from 'node:fs';

import {projectPath} from '../platform/paths.js';
import {checkText, chooseLanguage, formatDate, formatNumber, messagesFor, UI_LANGUAGES} from './i18n.js';

/** Every outcome code the verification engine writes, read from its source. */
function engineCodes(): string[] {
  const dir = projectPath('src', 'verification');
  const source = readdirSync(dir).filter(file => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map(file => readFileSync(`${dir}/${file}`, 'utf8')).join('\n');
  const patterns = [/\b(?:pass|fail|warn|skip)\(\s*[^,()]+,\s*'([a-z0-9-]+)'/g, /failure\('([a-z0-9-]+)'/g,
    /code: '([a-z0-9-]+)'/g, /'(skipped-after-failure)'/g];
  return [...new Set(patterns.flatMap(pattern => [...source.matchAll(pattern)].map(match => match[1]!)))];
}

/** The texts of a message table, nested maps flattened (`verdicts/valid/title`). */
function leavesOf(value: unknown, prefix = ''): [string, unknown][] {
  if(typeof value !== 'object' || value === null) {
    return [[prefix, value]];
  }
  return Object.entries(value).flatMap(([key, child]) => leavesOf(child, prefix ? `${prefix}/${key}` : key));
}

describe('chooseLanguage', () => {
  test.each([
    {what: 'lang=en wins over Accept-Language nl', reader: {lang: 'en', acceptLanguage: 'nl'}, expected: 'en'},
    {what: 'lang=nl', reader: {lang: 'nl'}, expected: 'nl'},
    {what: 'Accept-Language is nl-BE', reader: {acceptLanguage: 'nl-BE,nl;q=0.9,en;q=0.8'}, expected: 'nl'},
    {what: 'nl is weighted above en', reader: {acceptLanguage: 'en;q=0.5, nl;q=0.9'}, expected: 'nl'},
    {what: 'the reader wants German only', reader: {acceptLanguage: 'de-DE'}, expected: 'en'},
    {what: 'the reader wants German, then Dutch', reader: {acceptLanguage: 'de, nl;q=0.5'}, expected: 'nl'},
    {what: 'nothing is asked', reader: {}, expected: 'en'},
    {what: 'the header is malformed', reader: {acceptLanguage: ';;;,q=2'}, expected: 'en'}
  ])('when $what, then the page is in $expected', ({reader, expected}) => {
    expect(chooseLanguage(reader)).toBe(expected);
  });
});

describe('messages', () => {
  test('when the two languages are compared, then they have the same texts, none empty', () => {
    const [nl, en] = UI_LANGUAGES.map(language => messagesFor(language));

    const [nlTexts, enTexts] = [leavesOf(nl), leavesOf(en)];

    expect(nlTexts.map(([key]) => key).sort()).toEqual(enTexts.map(([key]) => key).sort());
    expect([...nlTexts, ...enTexts].filter(([, text]) => text === '')).toEqual([]);
  });

  test.each(UI_LANGUAGES)('when in %s, then every outcome code of the engine has a plain-word text', language => {
    const codes = engineCodes();
    const texts = Object.keys(messagesFor(language).checkTexts);

    expect(codes.length).toBeGreaterThan(40);
    expect(codes.filter(code => !texts.some(key => key === code || key.endsWith(` ${code}`)))).toEqual([]);
  });

  test.each([
    ['status.revocation', 'status-unknown', 'en', 'Whether the credential was revoked could not be checked.'],
    ['status.suspension', 'status-unknown', 'nl', 'Of de credential is geschorst, kon niet worden nagegaan.'],
    ['validity.validUntil', 'expired', 'nl', 'Verlopen op 1 mei 2026.'],
    ['validity.validUntil', 'expired', 'en', 'Expired on 1 May 2026.'],
    ['issuer', 'issuer-registered', 'en', 'The issuer, Zorgcollege Noord, is registered with carecred.'],
    ['format', 'conforming', 'nl',
      'Het is een W3C Verifiable Credential in een formaat dat carecred kan controleren.']
  ])('when the %s outcome is %s in %s, then the text says it in plain words', (id, code, language, expected) => {
    const context = {validUntil: language === 'nl' ? '1 mei 2026' : '1 May 2026', issuerName: 'Zorgcollege Noord'};

    expect(checkText({id, code, language: language as 'nl' | 'en', context})).toBe(expected);
  });

  test('when an outcome is unknown, then there is no text (the page shows the engine\'s message)', () => {
    expect(checkText({id: 'signature', code: 'brand-new-code', language: 'nl', context: {}})).toBeUndefined();
  });
});

describe('formatting', () => {
  test.each([
    ['nl', '2026-05-01T10:00:00Z', '1 mei 2026'],
    ['en', '2026-05-01T10:00:00Z', '1 May 2026'],
    ['nl', '2026-04-30T23:30:00Z', '1 mei 2026']
  ])('when a date is shown in %s, then it is written as a reader of it writes it', (language, iso, expected) => {
    expect(formatDate(iso, language as 'nl' | 'en')).toBe(expected);
  });

  test('when a date is missing or unreadable, then there is nothing to show', () => {
    expect([formatDate(undefined, 'en'), formatDate('not a date', 'nl')]).toEqual([undefined, undefined]);
  });

  test('when a fractional number is shown, then Dutch uses a decimal comma', () => {
    expect([formatNumber(1.5, 'nl'), formatNumber(1.5, 'en')]).toEqual(['1,5', '1.5']);
  });
});
