/**
 * The share page in headless Chromium: it renders in Dutch and English with the verdict
 * "valid", the downloads give the credential as issued, the QR code and the LinkedIn link are
 * there, it works by keyboard, and axe-core finds no accessibility violation.
 */
import {readFile} from 'node:fs/promises';

import {jest} from '@jest/globals';
import type {Browser, BrowserContext, Page} from 'playwright-core';
import request from 'supertest';

import {axeViolations, launchChromium, listen, recordPageErrors} from '../support/browser.js';
import {issueBoth, type SharedCredential} from '../support/shares.js';
import {startTestApp, type TestApp} from '../support/test-app.js';
import {anOrganisation, aPublishedUnit} from '../support/units.js';

jest.setTimeout(60_000);

let carecred: TestApp;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let ob3: SharedCredential;
let edc: SharedCredential;

beforeAll(async () => {
  carecred = await startTestApp();
  server = await listen(carecred);
  const school = await anOrganisation(carecred, {slug: 'zorgcollege-browser'});
  const {unitId} = await aPublishedUnit(carecred, school);
  ({ob3, edc} = await issueBoth(carecred, school, {unitId}));
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

async function openPage(path: string, locale = 'en-GB'): Promise<void> {
  context = await browser.newContext({locale, viewport: {width: 1000, height: 900}});
  page = await context.newPage();
  errors = recordPageErrors(page);
  await page.goto(`${server.baseUrl}${path}`);
}

afterEach(async () => {
  expect(errors).toEqual([]);
  await context?.close();
});

describe('the share page', () => {
  test.each([
    ['nl-NL', 'nl', 'Beeldzorg in de praktijk', 'Geldig'],
    ['en-GB', 'en', 'Video care in practice', 'Valid']
  ])('when a browser with locale %s opens it, then it is in that language with the verdict valid',
    async (locale, lang, title, verdict) => {
      await openPage(ob3.path, locale);

      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect(await page.textContent('h1')).toBe(title);
      expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('valid');
      expect(await page.textContent('.verdict__title')).toContain(verdict);
      expect(await page.locator('.check--passed').count()).toBe(8);
      await page.screenshot({path: `/tmp/carecred-share-${lang}.png`, fullPage: true});
      expect(await axeViolations(page)).toEqual([]);
    });

  test('when the reader switches language, then the page comes back in the other language', async () => {
    await openPage(edc.path, 'nl-NL');

    await page.getByRole('link', {name: 'English'}).click();

    await page.waitForURL(/\?lang=en$/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('Video care in practice');
  });

  test.each([
    ['Download as JSON (Data Integrity)', () => ob3, (text: string) => JSON.parse(text)],
    ['Download as JWT (VC-JOSE)', () => edc, (text: string) => text]
  ])('when "%s" is clicked, then the file is the credential as issued', async (name, shared, parse) => {
    await openPage(`${shared().path}?lang=en`);

    const [download] = await Promise.all([page.waitForEvent('download'),
      page.getByRole('link', {name}).click()]);

    expect(parse(await readFile((await download.path())!, 'utf8'))).toEqual(shared().credential);
  });

  test('when the page is shown, then it has a QR code of the share URL and a LinkedIn link', async () => {
    await openPage(`${ob3.path}?lang=en`);

    const qr = page.getByRole('img', {name: 'QR code of the link to this page'});
    expect(await qr.evaluate(svg => svg.tagName)).toBe('svg');
    expect(await qr.boundingBox()).toMatchObject({width: expect.any(Number)});
    const href = await page.getByRole('link', {name: /Add to LinkedIn profile/}).getAttribute('href');
    const linkedIn = new URL(href!);
    expect(Object.fromEntries(linkedIn.searchParams)).toMatchObject({startTask: 'CERTIFICATION_NAME',
      name: 'Video care in practice', organizationName: 'Northern Care College', certUrl: ob3.shareUrl,
      certId: (ob3.credential as {id: string}).id});
  });

  test('when used by keyboard, then the skip link comes first and focus is visible', async () => {
    await openPage(`${ob3.path}?lang=en`);

    await page.keyboard.press('Tab');
    const first = await page.evaluate('[document.activeElement.textContent, getComputedStyle(document.activeElement).outlineStyle]');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const next = await page.evaluate('document.activeElement.closest("main") !== null');

    expect(first).toEqual(['Skip to content', 'solid']);
    expect(next).toBe(true);
  });

  test('when the share link is unknown, then a browser gets a 404 page that passes axe', async () => {
    context = await browser.newContext();
    page = await context.newPage();
    errors = [];

    const response = await page.goto(`${server.baseUrl}/c/AAAAAAAAAAAAAAAAAAAAAA?lang=nl`);

    expect(response!.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Pagina niet gevonden');
    expect(await axeViolations(page)).toEqual([]);
  });

  test('when the share page is served, then the same URL with Accept application/vc is the credential', async () => {
    const response = await request(server.baseUrl).get(ob3.path).set('Accept', 'application/vc');

    expect(JSON.parse(response.text)).toEqual(ob3.credential);
  });
});
