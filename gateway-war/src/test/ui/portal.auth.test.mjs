// The portal with basic authentication on, in headless Debian chromium: a browser without
// credentials gets the challenge and no portal; with them (as a user types them into the
// browser's prompt) the portal loads and lists the gateway's functions through its own relative
// requests, and the password shows up nowhere in the page or its address.
// Usage: PORTAL_USER=... PORTAL_PASSWORD=... node portal.auth.test.mjs <gateway base URL> <function>
// where <function> is one the gateway has deployed. Exits 1 on any failure.

import { chromium } from 'playwright-core';

const [baseArg, fn] = process.argv.slice(2);
const base = (baseArg || '').replace(/\/$/, '');
const username = process.env.PORTAL_USER;
const password = process.env.PORTAL_PASSWORD;
if (!base || !fn || !username || !password) {
  console.error('usage: PORTAL_USER=.. PORTAL_PASSWORD=.. node portal.auth.test.mjs <base URL> <function>');
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
let failed = false;
try {
  const anonymous = await browser.newContext();
  const refused = await anonymous.request.get(base + '/ui/');
  check(refused.status() === 401, `without credentials: status ${refused.status()}`);
  check(/^Basic /.test(refused.headers()['www-authenticate'] || ''), 'a Basic challenge');
  check(!(await refused.text()).includes('data-name'), 'no portal without credentials');
  // a headless browser with nobody to answer the prompt gives up on the page
  const page = await anonymous.newPage();
  const shownAnyway = await page.goto(base + '/ui/').then(() => true, () => false);
  check(!shownAnyway || (await page.$('tr[data-name]')) === null, 'portal shown without credentials');
  console.log('ok - without credentials the portal is refused with a Basic challenge');

  const user = await browser.newContext({ httpCredentials: { username, password } });
  const signedIn = await user.newPage();
  const shown = await signedIn.goto(base + '/ui/');
  check(shown.status() === 200, `with credentials: status ${shown.status()}`);
  await signedIn.waitForSelector(`tr[data-name="${fn}"]`, { timeout: 60_000 });
  console.log(`ok - with credentials the portal lists ${fn}`);
  const html = await signedIn.content();
  check(!signedIn.url().includes(password) && !html.includes(password), 'password in the page');
  console.log('ok - the password is neither in the address nor in the page');

  // the address as users paste it, credentials in it: the portal loads the same address without
  // them and lists the functions (a browser builds no request from an address with credentials)
  const pasted = await browser.newContext();
  const withCredentials = await pasted.newPage();
  const inAddress = new URL(base + '/ui/');
  inAddress.username = encodeURIComponent(username);
  inAddress.password = encodeURIComponent(password);
  await withCredentials.goto(inAddress.href);
  await withCredentials.waitForSelector(`tr[data-name="${fn}"]`, { timeout: 60_000 });
  check(!withCredentials.url().includes('@'), `credentials left in the address: ${withCredentials.url()}`);
  check(!(await withCredentials.content()).includes(password), 'password in the page');
  console.log(`ok - opened with credentials in its address, the portal drops them and lists ${fn}`);
} catch (e) {
  failed = true;
  console.log(`not ok - ${e.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
