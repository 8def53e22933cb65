/**
 * The verifier page in headless Chromium: pasting a credential, choosing or dropping a file and
 * opening a share link each show the right verdict (valid, revoked, invalid signature, unknown
 * format); without JavaScript the form still works; axe-core finds no violation in any state.
 */
import {jest} from '@jest/globals';
import type {Browser, BrowserContext, Page} from 'playwright-core';
import request from 'supertest';

import {axeViolations, axeViolationsWithoutScripts, launchChromium, listen, recordPageErrors} from '../support/browser.js';
import {issueBoth, issueOne, type SharedCredential, tampered} from '../support/shares.js';
import {startTestApp, type TestApp} from '../support/test-app.js';
import {anOrganisation, aPublishedUnit} from '../support/units.js';

jest.setTimeout(60_000);

let carecred: TestApp;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let ob3: SharedCredential;
let edc: SharedCredential;
let revoked: SharedCredential;

beforeAll(async () => {
  carecred = await startTestApp();
  server = await listen(carecred);
  const school = await anOrganisation(carecred, {slug: 'zorgcollege-verifier'});
  const {unitId} = await aPublishedUnit(carecred, school);
  ({ob3, edc} = await issueBoth(carecred, school, {unitId}));
  revoked = await issueOne(carecred, school, {unitId, profile: 'ob3'});
  await request(carecred.app).post(`/v1/credentials/${revoked.id}/revoke`).set(school.auth)
    .send({reason: 'issued by mistake'}).expect(200);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await carecred?.stop();
});

let context: BrowserContext;
let page: Page;
let errors: string[];

async function openVerifier({query = 'lang=en', javaScriptEnabled = true} = {}): Promise<void> {
  context = await browser.newContext({javaScriptEnabled, viewport: {width: 1000, height: 900}});
  page = await context.newPage();
  errors = recordPageErrors(page);
  await page.goto(`${server.baseUrl}/verify?${query}`);
}

/** Waits until the verdict box shows a verdict and returns it. */
async function verdict(): Promise<string | null> {
  await page.waitForSelector('#verdict[data-verdict]');
  return page.getAttribute('#verdict', 'data-verdict');
}

afterEach(async () => {
  expect(errors).toEqual([]);
  await context?.close();
});

describe('the verifier page', () => {
  test('when opened, then it is a labelled form with no verdict and no accessibility violation', async () => {
    await openVerifier();

    expect(await page.getByLabel('Credential or share link').count()).toBe(1);
    expect(await page.getByLabel('Or choose a file').isVisible()).toBe(true);
    expect(await page.getAttribute('#verdict', 'aria-live')).toBe('polite');
    await page.screenshot({path: '/tmp/carecred-verify-empty.png', fullPage: true});
    expect(await axeViolations(page)).toEqual([]);
  });

  test.each([
    ['a valid credential', () => JSON.stringify(ob3.credential, null, 2), 'valid', 'Valid'],
    ['a revoked credential', () => JSON.stringify(revoked.credential), 'revoked', 'Revoked'],
    ['a tampered credential', () => JSON.stringify(tampered(ob3.credential)), 'invalid-signature', 'Invalid signature'],
    ['text that is no credential', () => 'not a credential', 'unknown-format', 'Unknown format']
  ])('when %s is pasted and verified, then the verdict says so in the live region', async (what, text, kind, title) => {
    await openVerifier();

    await page.getByLabel('Credential or share link').fill(text());
    await page.getByRole('button', {name: 'Verify'}).click();

    expect(await verdict()).toBe(kind);
    expect(await page.textContent('#verdict .verdict__title')).toContain(title);
    expect(page.url()).toBe(`${server.baseUrl}/verify?lang=en`);
    await page.screenshot({path: `/tmp/carecred-verify-${kind}.png`, fullPage: true});
    expect(await axeViolations(page)).toEqual([]);
  });

  test('when a credential is pasted, then it is verified without pressing the button', async () => {
    await openVerifier();

    const box = page.getByLabel('Credential or share link');
    await box.fill(edc.credential as string);
    await box.dispatchEvent('paste');

    expect(await verdict()).toBe('valid');
  });

  test('when a file is chosen, then its credential is verified', async () => {
    await openVerifier({query: 'lang=nl'});

    await page.getByLabel('Of kies een bestand').setInputFiles({name: 'credential.jwt', mimeType: 'application/vc+jwt',
      buffer: Buffer.from(edc.credential as string)});

    expect(await verdict()).toBe('valid');
    expect(await page.textContent('#verdict .verdict__title')).toContain('Geldig');
    expect(await page.locator('#report').textContent()).toContain('Beeldzorg in de praktijk');
    await page.screenshot({path: '/tmp/carecred-verify-file-nl.png', fullPage: true});
    expect(await axeViolations(page)).toEqual([]);
  });

  test('when a file is dropped onto the text box, then its credential is verified', async () => {
    await openVerifier();
    const text = JSON.stringify(revoked.credential);

    const dataTransfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([${JSON.stringify(text)}], 'credential.json', {type: 'application/json'}));
      return transfer;
    })()`);
    await page.dispatchEvent('#credential-input', 'drop', {dataTransfer});

    expect(await verdict()).toBe('revoked');
    expect(await page.inputValue('#credential-input')).toBe(text);
  });

  test.each([
    ['a share id', () => ob3.shareId, 'valid'],
    ['a share URL', () => ob3.shareUrl, 'valid'],
    ['the share link of a revoked credential', () => revoked.shareId, 'revoked']
  ])('when opened with %s (as from a QR code), then the verdict is there without JavaScript',
    async (_what, share, kind) => {
      await openVerifier({query: `share=${encodeURIComponent(share())}&lang=en`, javaScriptEnabled: false});

      expect(await verdict()).toBe(kind);
      expect(await axeViolationsWithoutScripts(browser, page)).toEqual([]);
    });

  test('when JavaScript is off, then the form posts and the answer is the page with the verdict', async () => {
    await openVerifier({javaScriptEnabled: false});

    expect(await page.getByLabel('Or choose a file').isVisible()).toBe(false);
    await page.getByLabel('Credential or share link').fill(JSON.stringify(tampered(ob3.credential)));
    await page.getByRole('button', {name: 'Verify'}).click();

    await page.waitForURL(/\/verify#verdict-title$/);
    expect(await verdict()).toBe('invalid-signature');
    expect(await page.locator('.check--failed .check__name').allTextContents()).toEqual(['Signature:']);
    await page.screenshot({path: '/tmp/carecred-verify-nojs.png', fullPage: true});
    expect(await axeViolationsWithoutScripts(browser, page)).toEqual([]);
  });

  test('when used by keyboard, then the text box, the file field and the button are reached in order', async () => {
    await openVerifier();
    await page.getByLabel('Credential or share link').focus();

    const order: string[] = [];
    for(let step = 0; step < 3; step++) {
      order.push(String(await page.evaluate('document.activeElement.id || document.activeElement.textContent')));
      await page.keyboard.press('Tab');
    }

    expect(order).toEqual(['credential-input', 'credential-file', 'Verify']);
  });
});
