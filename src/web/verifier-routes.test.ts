/**
 * The verifier page over HTTP, without a browser: a share link in the query, and the form that
 * the page posts (what a browser without JavaScript does).
 */
import request from 'supertest';

import {expectContract} from '../../test/support/contract.js';
import {aCredential, aDidKeyIdentity, aDocumentLoader, envelope, signDataIntegrity, signJwt,
  V2} from '../../test/support/credentials.js';
import {issueBoth, issueOne, type SharedCredential, tampered, tamperedJwt} from '../../test/support/shares.js';
import {startTestApp, type TestApp} from '../../test/support/test-app.js';
import {anOrganisation, aPublishedUnit, type TestOrganisation} from '../../test/support/units.js';

let carecred: TestApp;
let school: TestOrganisation;
let ob3: SharedCredential;
let edc: SharedCredential;
let revoked: SharedCredential;

beforeAll(async () => {
  carecred = await startTestApp();
  school = await anOrganisation(carecred, {slug: 'zorgacademie-verify'});
  const {unitId} = await aPublishedUnit(carecred, school);
  ({ob3, edc} = await issueBoth(carecred, school, {unitId}));
  revoked = await issueOne(carecred, school, {unitId, profile: 'ob3'});
  await request(carecred.app).post(`/v1/credentials/${revoked.id}/revoke`).set(school.auth)
    .send({reason: 'fraud'}).expect(200);
});
afterAll(async () => carecred.stop());

function verdictOf(html: string): string | undefined {
  return /id="verdict"[^>]*data-verdict="([a-z-]+)"/.exec(html)?.[1];
}

describe('getVerifierPage', () => {
  test('when opened without a share link, then it is the form, with no verdict yet', async () => {
    const response = await request(carecred.app).get('/verify').set('Accept-Language', 'nl');

    expect(response.status).toBe(200);
    expectContract(response, 'getVerifierPage');
    expect(response.text).toContain('<html lang="nl">');
    expect(response.text).toContain('<form id="verify-form"');
    expect(response.text).toContain('<script src="assets/verify.js" defer></script>');
    expect(verdictOf(response.text)).toBeUndefined();
  });

  test.each([
    ['a share id', () => ob3.shareId, 'valid'],
    ['a share URL', () => ob3.shareUrl, 'valid'],
    ['the share URL of a JWT credential', () => edc.shareUrl, 'valid'],
    ['the share id of a revoked credential', () => revoked.shareId, 'revoked'],
    ['an unknown share id', () => 'AAAAAAAAAAAAAAAAAAAAAA', 'share-not-found'],
    ['a URL that is no share link', () => 'https://example.org/badge/1', 'unsupported-link']
  ])('when opened with %s, then the verdict is in the page', async (_what, share, expected) => {
    const response = await request(carecred.app).get('/verify').query({share: share(), lang: 'en', fbclid: 'x'});

    expect(response.status).toBe(200);
    expectContract(response, 'getVerifierPage');
    expect(verdictOf(response.text)).toBe(expected);
  });

  test('when a share link is verified, then the checks and the content are listed in plain words', async () => {
    const response = await request(carecred.app).get('/verify').query({share: edc.shareId, lang: 'nl'});

    expect(response.text).toContain('<strong class="check__name">Handtekening:</strong>');
    expect(response.text).toContain('De uitgever heeft de credential niet ingetrokken.');
    expect(response.text).toContain('<dt>EQF-niveau</dt>');
    expect(response.text).toContain('<dd>Zorgcollege Noord (geregistreerd bij carecred)</dd>');
    expect(response.text).toContain('<title>Geldig — Een credential controleren · carecred</title>');
  });

  test('when the language is switched, then the link keeps the share link', async () => {
    const response = await request(carecred.app).get('/verify').query({share: ob3.shareId, lang: 'en'});

    expect(response.text).toContain(`href="?share=${ob3.shareId}&amp;lang=nl"`);
  });
});

describe('submitVerifierForm', () => {
  test.each([
    ['a Data Integrity credential', () => JSON.stringify(ob3.credential), 'valid'],
    ['a JWT credential', () => edc.credential as string, 'valid'],
    ['a JWT with white space around it', () => `\n  ${edc.credential as string}\n`, 'valid'],
    ['a tampered credential', () => JSON.stringify(tampered(ob3.credential)), 'invalid-signature'],
    ['a JWT with its payload changed', () => tamperedJwt(edc.credential as string), 'invalid-signature'],
    ['a revoked credential', () => JSON.stringify(revoked.credential), 'revoked'],
    ['a share URL', () => ob3.shareUrl, 'valid'],
    ['text that is no credential', () => 'hello, is this valid?', 'unknown-format'],
    ['JSON that is no credential', () => '{"name": "x"}', 'unknown-format'],
    ['nothing', () => '   ', 'empty']
  ])('when the form holds %s, then the answer is the page with that verdict', async (_what, text, expected) => {
    const response = await request(carecred.app).post('/verify').type('form').send({credential: text(), lang: 'en'});

    expect(response.status).toBe(200);
    expectContract(response, 'submitVerifierForm');
    expect(verdictOf(response.text)).toBe(expected);
  });

  test('when the form names Dutch, then the result is in Dutch and the text stays in the box', async () => {
    const response = await request(carecred.app).post('/verify').type('form')
      .send({credential: edc.credential, lang: 'nl'});

    expect(response.text).toContain('<html lang="nl">');
    expect(response.text).toContain('Resultaat van de controle:');
    expect(response.text).toContain(`aria-describedby="credential-hint">${edc.credential as string}</textarea>`);
  });

  test('when the pasted text holds markup, then it is shown as text, not as markup', async () => {
    const response = await request(carecred.app).post('/verify').type('form')
      .send({credential: '</textarea><script>alert(1)</script>'});

    expect(response.text).not.toContain('<script>alert(1)</script>');
    expect(response.text).toContain('&lt;/textarea&gt;&lt;script&gt;');
  });

  test.each([
    ['an unknown field', 'credential=x&extra=y', 'application/x-www-form-urlencoded', 400],
    ['a repeated field', 'credential=x&credential=y', 'application/x-www-form-urlencoded', 400],
    ['JSON instead of a form', '{"credential": "x"}', 'application/json', 415]
  ])('when the body has %s, then it is refused with a problem', async (_what, body, type, status) => {
    const response = await request(carecred.app).post('/verify').set('Content-Type', type).send(body);

    expect(response.status).toBe(status);
    expectContract(response, 'submitVerifierForm');
  });
});

describe('submitVerifierForm with credentials from elsewhere', () => {
  test('when the issuer is not registered here, then the verdict is valid with a caution', async () => {
    const issuer = await aDidKeyIdentity();
    const credential = await signDataIntegrity({credential: aCredential(issuer.did), identity: issuer,
      documentLoader: aDocumentLoader([issuer])});

    const response = await request(carecred.app).post('/verify').type('form')
      .send({credential: JSON.stringify(credential), lang: 'en'});

    expect(verdictOf(response.text)).toBe('valid');
    expect(response.text).toContain('<p class="verdict__note">The issuer is not registered with carecred');
    expect(response.text).toContain('<dd>Claimed Issuer Name (not registered with carecred)</dd>');
  });

  test('when it is a presentation, then the presentation and each credential in it are shown', async () => {
    const holder = await aDidKeyIdentity();
    const presentation = await signJwt({identity: holder, typ: 'vp+jwt', payload: {'@context': [V2],
      type: ['VerifiablePresentation'], holder: holder.did, verifiableCredential: [envelope(edc.credential as string)]}});

    const response = await request(carecred.app).post('/verify').type('form')
      .send({credential: presentation, lang: 'en'});

    expect(response.status).toBe(200);
    expect(verdictOf(response.text)).toBe('valid');
    expect(response.text).toContain('This is a presentation holding 1 credential; each is checked below.');
    expect(response.text).toContain('<h2 id="credential-1-title">Credential 1: Valid</h2>');
    expect(response.text).toContain('<strong class="check__name">Holder&#39;s signature:</strong>');
  });
});

describe('public rate limit', () => {
  test('when a reader asks too often, then the pages answer 429 with Retry-After', async () => {
    const limited = await startTestApp({PUBLIC_RATE_LIMIT_PER_MINUTE: '2'});
    try {
      const statuses = [];
      for(const path of ['/verify', '/c/AAAAAAAAAAAAAAAAAAAAAA', '/verify']) {
        const response = await request(limited.app).get(path).set('Accept', 'application/json');
        statuses.push(response.status);
        if(response.status === 429) {
          expectContract(response, 'getVerifierPage');
          expect(response.headers['retry-after']).toBeDefined();
        }
      }

      expect(statuses).toEqual([200, 404, 429]);
    } finally {
      await limited.stop();
    }
  });
});
