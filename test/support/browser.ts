/**
 * Headless Chromium for the browser tests (playwright-core drives the system Chromium; nothing
 * is downloaded): the app listening on a random localhost port, a browser with a temporary
 * profile, an accessibility check with axe-core, and a record of the page's errors (a script
 * error or a Content-Security-Policy violation fails a test).
 */
import {createRequire} from 'node:module';
import type {AddressInfo} from 'node:net';

import type {Result} from 'axe-core';
import {type Browser, chromium, type Page} from 'playwright-core';

import type {TestApp} from './test-app.js';

/** Where the system Chromium is (Debian's package; CI installs it). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
/** Same-origin URL the axe script is served at, so the page's CSP (`script-src 'self'`) allows it. */
const AXE_URL_PATH = '/__test__/axe.min.js';

/**
 * Starts listening on a random port of 127.0.0.1.
 *
 * @returns the base URL and a function that stops listening.
 */
export async function listen(app: TestApp): Promise<{baseUrl: string; close(): Promise<void>}> {
  const server = app.app.listen(0, '127.0.0.1');
  await new Promise<void>((listening, failed) => server.once('listening', listening).once('error', failed));
  const {port} = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>(closed => {
      server.closeAllConnections();
      server.close(() => closed());
    })
  };
}

/**
 * Launches headless Chromium (Playwright gives it a temporary profile and removes it on close).
 *
 * @returns the browser.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true});
}

/**
 * Records what goes wrong in a page: script errors, console errors (CSP violations are
 * reported there) and failed requests.
 *
 * @returns the list, filled as the page runs.
 */
export function recordPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', error => errors.push(`pageerror: ${error.message}`));
  page.on('console', message => {
    if(message.type() === 'error') {
      errors.push(`console: ${message.text()}`);
    }
  });
  page.on('requestfailed', failed => errors.push(`requestfailed: ${failed.url()}`));
  return errors;
}

/**
 * Runs axe-core in the page: injected with `addScriptTag` from a same-origin URL that Playwright
 * answers with the axe-core package's file (the page's CSP forbids inline scripts).
 *
 * @returns the violations (an empty list when the page passes).
 */
export async function axeViolations(page: Page): Promise<Pick<Result, 'id' | 'impact' | 'help' | 'nodes'>[]> {
  await page.route(`**${AXE_URL_PATH}`, route => route.fulfill({path: AXE_PATH, contentType: 'text/javascript'}));
  await page.addScriptTag({url: AXE_URL_PATH});
  const {violations} = await page.evaluate<{violations: Result[]}>('window.axe.run(document)');
  return violations.map(({id, impact, help, nodes}) => ({id, impact, help,
    nodes: nodes.map(node => ({...node, html: node.html.slice(0, 200)}))}));
}

/**
 * Runs axe-core on what a page shows with JavaScript off (axe itself needs JavaScript): the
 * page's HTML is served again at its URL to a page with JavaScript on, with the page's own
 * scripts replaced by empty ones, so the document is the one the reader without JavaScript got.
 *
 * @returns the violations.
 */
export async function axeViolationsWithoutScripts(browser: Browser, page: Page):
  ReturnType<typeof axeViolations> {
  const [url, html] = [page.url().split('#')[0]!, await page.content()];
  const context = await browser.newContext();
  try {
    const snapshot = await context.newPage();
    await snapshot.route('**/assets/*.js', route => route.fulfill({contentType: 'text/javascript', body: ''}));
    await snapshot.route(url, route => route.fulfill({contentType: 'text/html', body: html}));
    await snapshot.goto(url);
    return await axeViolations(snapshot);
  } finally {
    await context.close();
  }
}
