/**
 * The share page over HTTP: content negotiation (the page or the credential itself), downloads,
 * languages, and the answers for unknown, withdrawn and erased share links.
 */
import request from 'supertest';

import {expectContract} from '../../test/support/contract.js';
import {issueAnother, issueBoth, issueOne, type SharedCredential} from '../../test/support/shares.js';
import {startTestApp, type TestApp} from '../../test/support/test-app.js';
import {anOrganisation, aPublishedUnit, type TestOrganisation} from '../../test/support/units.js';

let carecred: TestApp;
let school: TestOrganisation;
let unitId: string;
let ob3: SharedCredential;
let edc: SharedCredential;

beforeAll(async () => {
  carecred = await startTestApp();
  school = await anOrganisation(carecred, {slug: 'zorgacademie-web'});
  ({unitId} = await aPublishedUnit(carecred, school));
  ({ob3, edc} = await issueBoth(carecred, school, {unitId}));
});
afterAll(async () => carecred.stop());

function verdictOf(html: string): string | undefined {
  return /data-verdict="([a-z-]+)"/.exec(html)?.[1];
}

describe('getSharePage', () => {
  test.each([
    ['Accept-Language nl', {'Accept-Language': 'nl-NL,nl;q=0.9'}, '', 'nl', 'Beeldzorg in de praktijk', 'Geldig'],
    ['Accept-Language en', {'Accept-Language': 'en-GB'}, '', 'en', 'Video care in practice', 'Valid'],
    ['lang=en over Accept-Language nl', {'Accept-Language': 'nl'}, '?lang=en', 'en', 'Video care in practice', 'Valid'],
    ['lang=nl and tracking parameters', {}, '?lang=nl&utm_source=linkedin', 'nl', 'Beeldzorg in de praktijk', 'Geldig']
  ])('when a browser asks with %s, then the page is in that language with a live verdict',
    async (_what, headers, query, lang, title, verdict) => {
      const response = await request(carecred.app).get(`${ob3.path}${query}`).set(headers);

      expect(response.status).toBe(200);
      expectContract(response, 'getSharePage');
      expect(response.text).toContain(`<html lang="${lang}">`);
      expect(response.text).toContain(`<h1 id="unit-title">${title}</h1>`);
      expect(response.text).toMatch(new RegExp(`verdict__title">.*${verdict}</span>`));
      expect(verdictOf(response.text)).toBe('valid');
      expect(response.headers.vary).toMatch(/Accept, Accept-Language/);
      expect(response.headers).toMatchObject({'content-language': lang, 'cache-control': 'no-store',
        'x-robots-tag': 'noindex'});
    });

  test('when the page is shown, then it has the facts, the downloads, a QR code and a LinkedIn link', async () => {
    const response = await request(carecred.app).get(`${edc.path}?lang=en`);

    const text = response.text;
    expect(text).toContain('<dt>ECTS credits</dt>');
    expect(text).toContain('<dd>Blended (online and on site), including work experience</dd>');
    expect(text).toContain(`href="${edc.shareId}/credential.jwt"`);
    expect(text).not.toContain('credential.json');
    expect(text).toContain(`<link rel="alternate" type="application/vc+jwt" href="${edc.shareId}/credential.jwt">`);
    expect(text).toMatch(/<svg role="img" aria-labelledby="qr-caption" class="qr" /);
    const linkedIn = new URL(/href="(https:\/\/www\.linkedin\.com[^"]+)"/.exec(text)![1]!.replaceAll('&amp;', '&'));
    expect(linkedIn.searchParams.get('certUrl')).toBe(edc.shareUrl);
    expect(linkedIn.searchParams.get('organizationName')).toBe('Northern Care College');
  });

  test.each([
    ['application/vc', () => ob3, 'di'],
    ['application/vc+ld+json', () => ob3, 'di'],
    ['application/vc+jwt', () => edc, 'jwt'],
    ['text/html;q=0.5, application/vc+jwt', () => edc, 'jwt']
  ])('when a client accepts %s, then it gets the credential as issued, with that media type',
    async (accept, shared, format) => {
      const response = await request(carecred.app).get(shared().path).set('Accept', accept);

      expect(response.status).toBe(200);
      expectContract(response, 'getSharePage');
      const mediaType = format === 'di' ? accept : 'application/vc+jwt';
      expect(response.headers['content-type']).toMatch(new RegExp(`^${mediaType.replaceAll('+', '\\+')}`));
      expect(format === 'di' ? JSON.parse(response.text) : response.text).toEqual(shared().credential);
    });

  test.each([
    ['application/vc+jwt', () => ob3, ['text/html', 'application/vc', 'application/vc+ld+json']],
    ['application/vc', () => edc, ['text/html', 'application/vc+jwt']],
    ['application/json', () => ob3, ['text/html', 'application/vc', 'application/vc+ld+json']]
  ])('when a client accepts only %s and it is not available, then 406 lists what is', async (accept, shared,
    available) => {
    const response = await request(carecred.app).get(shared().path).set('Accept', accept);

    expect(response.status).toBe(406);
    expectContract(response, 'getSharePage');
    expect(response.body).toMatchObject({type: expect.stringMatching(/not-acceptable$/), available});
  });

  test('when the same profile was also issued as a JWT, then both formats are offered', async () => {
    const di = await issueOne(carecred, school, {unitId, profile: 'ob3'});
    const jwt = await issueAnother(carecred, school, {achievementId: di.achievementId, profile: 'ob3', format: 'jwt'});

    const page = await request(carecred.app).get(di.path);
    const asJwt = await request(carecred.app).get(di.path).set('Accept', 'application/vc+jwt');

    expect(page.text).toContain('credential.json');
    expect(page.text).toContain('credential.jwt');
    expect(asJwt.text).toBe(jwt.credential);
  });

  test('when the credential was revoked, then the page says so', async () => {
    const revoked = await issueOne(carecred, school, {unitId, profile: 'ob3'});
    await request(carecred.app).post(`/v1/credentials/${revoked.id}/revoke`).set(school.auth)
      .send({reason: 'issued by mistake'}).expect(200);

    const response = await request(carecred.app).get(`${revoked.path}?lang=nl`);

    expect(verdictOf(response.text)).toBe('revoked');
    expect(response.text).toContain('Ingetrokken');
  });

  describe('when the share link cannot be served', () => {
    let withdrawn: SharedCredential;
    let erased: SharedCredential;
    beforeAll(async () => {
      withdrawn = await issueOne(carecred, school, {unitId, profile: 'ob3'});
      await request(carecred.app).post(`/v1/credentials/${withdrawn.id}/share/withdraw`).set(school.auth).expect(204);
      erased = await issueOne(carecred, school, {unitId, profile: 'edc'});
      await request(carecred.app).delete(`/v1/learners/${erased.learnerId}`).set(school.auth).expect(204);
    });

    test.each([
      ['unknown', () => '/c/AAAAAAAAAAAAAAAAAAAAAA', 404, 'Page not found'],
      ['withdrawn', () => withdrawn.path, 404, 'Page not found'],
      ['erased', () => erased.path, 410, 'Credential no longer available']
    ])('when it is %s, then a browser gets a page with the status', async (_what, path, status, heading) => {
      const response = await request(carecred.app).get(path()).set('Accept', 'text/html,*/*;q=0.8');

      expect(response.status).toBe(status);
      expectContract(response, 'getSharePage');
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain(`<h1>${heading}</h1>`);
    });

    test.each([
      ['unknown', () => '/c/AAAAAAAAAAAAAAAAAAAAAA', 'application/json', 404, 'not-found'],
      ['withdrawn', () => withdrawn.path, 'application/vc', 404, 'not-found'],
      ['erased', () => erased.path, 'application/vc+jwt', 410, 'credential-erased']
    ])('when it is %s, then an API client gets problem+json', async (_what, path, accept, status, code) => {
      const response = await request(carecred.app).get(path()).set('Accept', accept);

      expect(response.status).toBe(status);
      expectContract(response, 'getSharePage');
      expect(response.body.type).toMatch(new RegExp(`/problems/${code}$`));
    });

    test('when a download of it is asked for, then it is gone too', async () => {
      const response = await request(carecred.app).get(`${erased.path}/credential.jwt`).set('Accept', '*/*');

      expect(response.status).toBe(410);
      expectContract(response, 'getSharedCredentialJwt');
    });
  });

  test('when the share id has characters no share id has, then 400', async () => {
    const response = await request(carecred.app).get('/c/abc.def').set('Accept', 'application/json');

    expect(response.status).toBe(400);
    expectContract(response, 'getSharePage');
  });
});

describe.each([
  ['getSharedCredentialJson', 'credential.json', () => ob3, 'application/vc'],
  ['getSharedCredentialJwt', 'credential.jwt', () => edc, 'application/vc+jwt']
])('%s', (operationId, file, shared, mediaType) => {
  test('when downloaded, then it is the credential as issued, as an attachment', async () => {
    const response = await request(carecred.app).get(`${shared().path}/${file}`);

    expect(response.status).toBe(200);
    expectContract(response, operationId);
    expect(response.headers['content-type']).toMatch(new RegExp(`^${mediaType.replaceAll('+', '\\+')}`));
    expect(response.headers['content-disposition']).toBe(`attachment; filename=${file}`);
    expect(file.endsWith('json') ? JSON.parse(response.text) : response.text).toEqual(shared().credential);
  });

  test('when the credential is not issued in this format, then 404', async () => {
    const other = shared() === ob3 ? edc : ob3;

    const response = await request(carecred.app).get(`${other.path}/${file}`).set('Accept', 'application/json');

    expect(response.status).toBe(404);
    expectContract(response, operationId);
  });
});

describe('getWebAsset', () => {
  test.each([['carecred.css', /^text\/css/], ['verify.js', /^text\/javascript/], ['favicon.svg', /^image\/svg\+xml/]])(
    'when %s is asked for, then it is served from the same origin with a cache lifetime', async (asset, type) => {
      const response = await request(carecred.app).get(`/assets/${asset}`);

      expect(response.status).toBe(200);
      expectContract(response, 'getWebAsset');
      expect(response.headers['content-type']).toMatch(type);
      expect(response.headers['cache-control']).toBe('public, max-age=3600');
    });

  test.each(['unknown.css', '..%2Fservice.ts'])('when %s is asked for, then there is no such asset', async asset => {
    const response = await request(carecred.app).get(`/assets/${asset}`);

    expect([400, 404]).toContain(response.status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
