// Debian's Chromium driven by playwright-core (no browser download: the package's own browsers
// cannot be fetched here), plus the waits the tests share.
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const kArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // The presenter's pre-flight check: camera and microphone granted without asking, and fed by
  // Chromium's own test pattern and tone instead of real devices.
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

// launch() gives each browser a fresh temporary --user-data-dir.
export async function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: kArgs });
}

// A browser with a profile on disk at `dir` (not incognito): what a test of installing the site as
// a web app needs. Returns the one context.
export async function launchPersistentBrowser(dir) {
  return chromium.launchPersistentContext(dir, { executablePath: chromiumPath, headless: true, args: kArgs });
}

// Opens `url` in a new page of `context` and records what would mean a broken page: uncaught
// errors and Content-Security-Policy refusals. `problems` is checked at the end of a test.
export async function openPage(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) {
      problems.push(`CSP: ${m.text()}`);
    }
  });
  page.problems = problems;
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

// Polls `read()` until `accept(value)` holds; fails naming what was last seen.
export async function waitUntil(what, read, accept, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (e) {
      last = `(error: ${e.message})`;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function testId(page, id) {
  return page.locator(`[data-testid="${id}"]`);
}

// The text of a test id once it is on the page, or null while it is not.
export async function textOf(page, id) {
  const l = testId(page, id);
  return (await l.count()) > 0 ? ((await l.first().textContent()) ?? '').trim() : null;
}

export async function attributeOf(page, id, name) {
  const l = testId(page, id);
  return (await l.count()) > 0 ? l.first().getAttribute(name) : null;
}
