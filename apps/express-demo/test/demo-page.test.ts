import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { sendHttp, startDemoProcess, type DemoProcess } from '@securetoken/testkit';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
// Debian's package; `.ci/run` installs it. A missing browser fails the suite, it never skips it.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

let demo: DemoProcess | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: the demo page test drives Debian's chromium (apt-get install chromium; .ci/run installs it)`);
  }
  mkdirSync(artifacts, { recursive: true });
  [demo, browser] = await Promise.all([
    startDemoProcess({ appDir }),
    chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
  ]);
}, 30_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

interface OpenPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** CSP or Trusted Types violations and uncaught errors seen by the page. */
  readonly problems: string[];
}

/** A fresh page at `/` on a fake clock that starts now and runs on until the test moves it. */
async function openPage(): Promise<OpenPage> {
  if (!browser || !demo) throw new Error('the browser or the demo did not start');
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Trusted ?(Type|Script|HTML)/i.test(message.text())) problems.push(message.text());
  });
  await page.clock.install({ time: Date.now() });
  const response = await page.goto(`${demo.url}/`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toMatch(/default-src 'none'; script-src 'self';/);
  return { page, context, problems };
}

/** Logs in through the form with the keyboard only, and returns the token the page received. */
async function logIn(page: Page, username: string, password: string): Promise<string> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  const answered = page.waitForResponse((response) => response.url().endsWith('/api/login'));
  await page.getByLabel('Password').press('Enter');
  const { access_token: token } = (await (await answered).json()) as { access_token: string };
  await page.getByRole('heading', { name: `Signed in as ${username}` }).waitFor();
  return token;
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();
const seconds = (clock: string) => clock.split(':').map(Number).reduce((total, part) => total * 60 + part, 0);

describe('express-demo page in Chromium', () => {
  it('refuses a wrong password with a message in the live region', async () => {
    const { page, problems } = await openPage();
    await page.getByLabel('Username').fill('user');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('status').filter({ hasText: 'Login failed' }).waitFor();
    expect(await text(page, '#status')).toContain('invalid_credentials');
    expect(await page.locator('#session-view').isHidden()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('as `user`: countdown, 403 on the admin button, automatic refresh, logout', async () => {
    const { page, context, problems } = await openPage();
    const firstToken = await logIn(page, 'user', 'user123');
    expect(await page.getByRole('listitem').allTextContents()).toEqual(['read', 'write']);
    const firstId = await text(page, '#token-id');
    expect(firstId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await page.locator('#issued-at').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await page.locator('#expires-at').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);

    const before = await text(page, '#countdown');
    expect(seconds(before)).toBeGreaterThan(23 * 3600);
    await page.clock.runFor(5_000);
    const after = await text(page, '#countdown');
    expect(seconds(before) - seconds(after)).toBeGreaterThanOrEqual(4);
    expect(seconds(before) - seconds(after)).toBeLessThanOrEqual(6);

    await page.getByRole('button', { name: 'Call admin API' }).click();
    await page.getByText('403 Forbidden').waitFor();
    expect(await text(page, '#admin-body')).toMatch(/needs the “admin” permission; your token grants read, write/);
    expect(await text(page, '#status')).toMatch(/Access denied/);

    // The page's clock jumps to 30 s before expiry; the server's real clock still finds the
    // token valid, so the refresh it triggers succeeds and brings a new token.
    await page.clock.fastForward(seconds(await text(page, '#countdown')) * 1000 - 30_000);
    await page.locator('#refreshes').filter({ hasText: 'automatic' }).waitFor();
    const secondId = await text(page, '#token-id');
    expect(secondId).not.toBe(firstId);
    expect(await text(page, '#refreshes')).toContain(secondId);
    expect(await text(page, '#status')).toContain(`New token id ${secondId}`);
    expect(seconds(await text(page, '#countdown'))).toBeGreaterThan(23 * 3600);
    expect((await sendHttp(demo!.url, { method: 'GET', path: '/api/profile', headers: { authorization: `Bearer ${firstToken}` } })).status).toBe(401);

    await page.screenshot({ path: `${artifacts}demo-page-user.png`, fullPage: true });

    // Held in memory only: nothing in cookies or Web Storage. (Strings: this package has no DOM types.)
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate('[document.cookie, localStorage.length, sessionStorage.length]')).toEqual(['', 0, 0]);

    const refreshed = page.waitForResponse((response) => response.url().endsWith('/api/logout'));
    await page.getByRole('button', { name: 'Log out' }).click();
    expect((await refreshed).status()).toBe(200);
    await page.getByRole('status').filter({ hasText: 'Logged out' }).waitFor();
    expect(await page.getByLabel('Username').isVisible()).toBe(true);
    expect(await page.locator('#session-view').isHidden()).toBe(true);
    expect(await page.evaluate('document.activeElement.id')).toBe('username');
    expect(problems).toEqual([]);
  });

  it('as `admin`: the admin call lists the users', async () => {
    const { page, problems } = await openPage();
    await logIn(page, 'admin', 'admin123');
    await page.getByRole('button', { name: 'Call admin API' }).click();
    const table = page.getByRole('table');
    await table.waitFor();
    expect(await table.getByRole('row').allTextContents()).toEqual([
      'UsernamePermissions',
      expect.stringMatching(/^admin.*admin/),
      'userread, write',
    ]);
    expect(await text(page, '#status')).toMatch(/Admin API answered: 2 users/);
    await page.screenshot({ path: `${artifacts}demo-page-admin.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
