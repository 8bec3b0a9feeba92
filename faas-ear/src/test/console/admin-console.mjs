// Screenshots of Payara Server's admin console showing what it offers about the platform: the
// Monitor > Applications page for the EJB module (the schedule and autoscaler timers) and for the
// web module (the invocation servlet's requests and times). Headless Debian chromium driven by
// playwright-core, as the portal's tests (gateway-war/src/test/ui).
// Usage: node admin-console.mjs <admin console base URL, e.g. http://127.0.0.1:4848> <output dir>
// Needs a domain without an admin password, monitoring levels ejb-container and web-container at
// HIGH (docs/payara-server.md) and the EAR deployed as "faas".

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node admin-console.mjs <admin console base URL> <output dir>');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const WAIT = 240_000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(WAIT);
  // the console answers "loading" until its own web app is deployed, then redirects itself
  await page.goto(`${base}/common/monitor/monitoringInfo.jsf`);
  await page.waitForSelector('a[href*="serverInstMonitoringAppsPage"]');
  // pages load into the frame by script: follow the link as a user does
  await page.click('a[href*="serverInstMonitoringAppsPage"]', { force: true });
  await page.waitForSelector('text=Application Monitoring');
  const app = 'select[id$="ApplicationProp:View_list"]';
  const component = 'select[id$="ApplicationProp:ComponentView_list"]';

  async function show(module, part, file, expect) {
    await page.waitForSelector(app);
    await page.selectOption(app, module);
    // choosing the module reloads the page with that module's components
    let value;
    for (const until = Date.now() + WAIT; !value && Date.now() < until; ) {
      await page.waitForTimeout(1000);
      value = await page
        .$eval(component, (s, p) => [...s.options].find((o) => o.value.endsWith(p))?.value, part)
        .catch(() => undefined);
    }
    if (!value) throw new Error(`no component ${part} of ${module} in the console`);
    await page.selectOption(component, value);
    await page.waitForLoadState('networkidle');
    await page.waitForSelector(`text=${expect}`);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(out, file), fullPage: true });
    console.log(`ok   ${module} ${part}: ${file}`);
  }

  await show('scaler-ejb.jar', 'ScheduleTimers/timers', 'admin-console-schedule-timers.png', 'NumTimersDelivered');
  await show('gateway.war', 'invocation.boundary.InvokeServlet', 'admin-console-invoke-servlet.png', 'RequestCount');
} catch (e) {
  failed = true;
  console.log(`FAIL ${e.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
