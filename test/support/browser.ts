// A real browser for the tests that need one (CORS from another origin, the console): Debian's
// `chromium` (installed by .ci/run) driven by playwright-core, which downloads no browser of its own.
// Tests call `launchBrowser()` and close what they open (or `useBrowser()` for one per describe block); `browserAvailable()` lets a local run without
// chromium skip with a visible reason, while CI (CI=true) must have it and fails instead.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (p): p is string => !!p,
);

/** The chromium executable, or null when none is installed. */
export function chromiumPath(): string | null {
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** True when a browser can be launched; throws under CI when it cannot (CI must run browser tests). */
export function browserAvailable(): boolean {
  const path = chromiumPath();
  if (!path && process.env.CI) throw new Error('browser tests need chromium (.ci/run installs it)');
  return !!path;
}

/** Launch headless chromium. As root (CI, this machine) chromium's own sandbox cannot start. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('chromium is not installed (apt-get install chromium)');
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** Inside a describe block: one browser for its tests, launched before them and closed after (if chromium is there). */
export function useBrowser(): { available: boolean; readonly browser: Browser } {
  const available = browserAvailable();
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (available) browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    available,
    get browser() {
      if (!browser) throw new Error('no browser: use it inside a test that is skipped when !available');
      return browser;
    },
  };
}
