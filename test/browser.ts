import { afterAll, beforeAll, expect } from '@jest/globals';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Browser tests drive Debian's Chromium (`apt-get install -y chromium`): Playwright's own
 * browser download cannot be reached from these machines. `.ci/run` installs it when missing.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots are test artifacts (gitignored), not committed. */
export const SCREENSHOTS = new URL('../test-artifacts/screenshots/', import.meta.url);

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface BrowserSession {
  browser: Browser;
  /** Every URL the pages requested, to check none left the app. */
  requests: string[];
  /** Console errors and CSP violations the pages reported. */
  pageErrors: string[];
  newPage(): Promise<Page>;
}

/** One Chromium for the enclosing describe block; each newPage is a fresh context (no shared storage). */
export function useBrowser(): BrowserSession {
  const session = { requests: [] as string[], pageErrors: [] as string[] } as BrowserSession;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // As root (CI), Chromium needs its sandbox off.
    session.browser = await chromium.launch({ executablePath: CHROMIUM, chromiumSandbox: false, args: ['--disable-dev-shm-usage'] });
    session.newPage = async () => {
      const context = await session.browser.newContext({ viewport: PHONE, locale: 'en-GB', timezoneId: 'Europe/Berlin' });
      contexts.push(context);
      const page = await context.newPage();
      page.on('request', (request) => session.requests.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') session.pageErrors.push(message.text());
      });
      page.on('pageerror', (error) => session.pageErrors.push(error.message));
      return page;
    };
  }, 30_000);
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await session.browser?.close();
  });
  return session;
}

/**
 * Runs axe-core on the page as it is now. Its source is evaluated through the DevTools
 * protocol, which the page's CSP (no inline script) does not apply to. Returns the serious and
 * critical violations, with the elements they were found on.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  // Evaluated in the page (as text: this project's types have no DOM).
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, targets: nodes.map((node) => node.target.join(' ')) })))`)) as Array<{ id: string; impact: string | null; help: string; targets: string[] }>;
  return violations.filter(({ impact }) => impact === 'serious' || impact === 'critical').map(({ id, impact, help, targets }) => `${impact} ${id}: ${help} (${targets.join(', ')})`);
}

/** A phone-width and a desktop screenshot of the page, named `<name>-phone.png` and `<name>-desktop.png`; the viewport is put back. */
export async function screenshots(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize() ?? PHONE;
  for (const [width, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: new URL(`${name}-${width}.png`, SCREENSHOTS).pathname, fullPage: true });
  }
  await page.setViewportSize(viewport);
}

/** Checks a page at both widths: it fits the width (no sideways scrolling), no serious or critical axe violation; and screenshots. */
export async function checkPage(page: Page, name: string): Promise<void> {
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    expect({ width: await page.evaluate('document.documentElement.scrollWidth') }).toEqual({ width: size.width });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }
  await page.setViewportSize(PHONE);
  await screenshots(page, name);
}
