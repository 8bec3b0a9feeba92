// The portal's log tab follows a function's log, in headless Debian chromium: it opens one
// /system/logs request with follow=true, shows a line the function prints after the tab opened
// without reloading anything, and aborts that request when another tab is chosen.
// Usage: node portal.logs.test.mjs <gateway base URL> <function>
// where <function> is one the gateway has deployed with write_debug=true (each call logs a line).
// Exits 1 on any failure.

import { chromium } from 'playwright-core';

const [baseArg, fn] = process.argv.slice(2);
const base = (baseArg || '').replace(/\/$/, '');
if (!base || !fn) {
  console.error('usage: node portal.logs.test.mjs <base URL> <function>');
  process.exit(2);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
  timeout: 60_000,
});
let passed = 0;
let failed = 0;
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const logRequests = [];
  page.on('request', (r) => {
    if (r.url().includes('/system/logs')) logRequests.push(r.url());
  });
  await page.goto(base + '/ui/');
  await page.click(`tr[data-name="${fn}"] button.link`, { timeout: 60_000 });
  await page.click('#tab-logs');
  await page.waitForFunction(() => document.querySelector('#logs').textContent !== '', null, { timeout: 30_000 });
  check(logRequests.length === 1, `log requests: ${logRequests.join(' ')}`);
  check(logRequests[0].includes('follow=true'), `not followed: ${logRequests[0]}`);
  console.log(`ok - the log tab opens one followed request: ${new URL(logRequests[0]).search}`);
  passed++;

  const marker = `portal-follow-${Date.now()}`;
  const call = await context.request.get(`${base}/function/${fn}/${marker}`);
  check(call.status() === 200, `invoking ${fn}: ${call.status()}`);
  await page.waitForFunction((m) => document.querySelector('#logs').textContent.includes(m), marker, { timeout: 30_000 });
  check(logRequests.length === 1, `re-read instead of followed: ${logRequests.length} requests`);
  console.log('ok - a line printed after the tab opened appears on the same request');
  passed++;

  const aborted = page.waitForEvent('requestfailed', { predicate: (r) => r.url().includes('/system/logs'), timeout: 10_000 });
  await page.click('#tab-invoke');
  const failure = await aborted;
  console.log(`ok - leaving the tab aborts the followed request (${failure.failure()?.errorText})`);
  passed++;
} catch (e) {
  failed++;
  console.log(`not ok - ${e.message}`);
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
