// End-to-end tests of the portal in headless Debian chromium, driven by playwright-core (which
// never downloads a browser).
// Usage: node portal.test.mjs [--delete-all] <gateway base URL> [screenshot dir]
// The gateway must run the process backend and have no functions (--delete-all deletes them
// first); the tests deploy, use and delete their own.
// Prints one line per check and a closing "N passed, N failed" line; exits 1 on any failure.

import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const deleteAll = args.includes('--delete-all');
const [baseArg, shotsArg] = args.filter((a) => a !== '--delete-all');
const base = (baseArg || '').replace(/\/$/, '');
const shots = shotsArg || 'target/ui-screenshots';
if (!base) {
  console.error('usage: node portal.test.mjs [--delete-all] <gateway base URL> [screenshot dir]');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const WAIT = 60_000;
const HOSTILE = '"><img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(1)</script>';

const results = [];
const dialogs = [];

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function api(method, path, body) {
  const r = await fetch(base + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(WAIT),
  });
  return { status: r.status, text: await r.text() };
}

/** Waits until the element's text satisfies the test (a substring or a predicate). */
async function waitText(page, selector, test, what) {
  const predicate = typeof test === 'string' ? (t) => t.includes(test) : test;
  const deadline = Date.now() + WAIT;
  let last = '';
  while (Date.now() < deadline) {
    const el = await page.$(selector);
    last = el ? await el.textContent() : '(no element)';
    if (el && predicate(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`${what || selector}: not within ${WAIT / 1000} s; last text ${JSON.stringify(last)}`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, name), fullPage: true });
}

async function deployWithForm(page, fields) {
  await page.click('#new-function');
  await page.fill('#f-name', fields.name);
  await page.fill('#f-fprocess', fields.fprocess);
  await page.fill('#f-env', fields.env || '');
  await page.fill('#f-labels', fields.labels || '');
  await page.click('#deploy-submit');
}

async function selectFunction(page, name) {
  await page.click(`tr[data-name="${name}"] button.link`);
  await waitText(page, '#detail-heading', (t) => t === name, 'detail heading');
}

async function invoke(page, body, type = 'text/plain') {
  await page.click('#tab-invoke');
  await page.fill('#invoke-type', type);
  await page.fill('#invoke-body', body);
  await page.evaluate(() => {
    document.getElementById('invoke-status').textContent = '';
  });
  await page.click('#invoke-form button[type=submit]');
  return waitText(page, '#invoke-status', (t) => t !== '', 'invoke status');
}

const replicasOf = (page, name) => page.textContent(`tr[data-name="${name}"] td.replicas`);

const checks = [
  ['computes quantiles, rates and field messages in the page', async (page) => {
    await page.goto(`${base}/ui/`);
    const r = await page.evaluate(async () => {
      const m = await import('./js/metrics.js');
      const f = await import('./js/forms.js');
      const text = [
        '# TYPE gateway_function_invocation_total counter',
        'gateway_function_invocation_total{code="200",function_name="a",mp_scope="application"} 10.0',
        'gateway_function_invocation_total{code="500",function_name="a",mp_scope="application"} 2.0',
        'gateway_functions_seconds_bucket{code="200",function_name="a",mp_scope="application",le="0.1"} 5.0',
        'gateway_functions_seconds_bucket{code="200",function_name="a",mp_scope="application",le="0.2"} 10.0',
        'gateway_functions_seconds_bucket{code="200",function_name="a",mp_scope="application",le="+Inf"} 10.0',
        'gateway_service_count{function_name="a",mp_scope="application"} 3',
        'gateway_scaling_events_total{direction="up",function_name="a",mp_scope="application"} 4.0',
        'gateway_service_count{function_name="b\\"x",mp_scope="application"} 1',
      ].join('\n');
      const series = m.parsePrometheus(text);
      const a = m.functionSample(series, 'a');
      const rates = m.chartSeries([
        { t: 0, counts: { 200: 4 }, buckets: {}, ready: 1, desired: 1, coldStarts: 0, scaled: { up: 1, down: 0 } },
        { t: 2000, counts: { 200: 10 }, buckets: {}, ready: 2, desired: 2, coldStarts: 1, scaled: { up: 3, down: 1 } },
      ]);
      return {
        ready: a.ready,
        counts: a.counts,
        quoted: m.functionSample(series, 'b"x').ready,
        p50: m.histogramQuantile(0.5, a.buckets),
        p99: m.histogramQuantile(0.99, a.buckets),
        empty: m.histogramQuantile(0.5, { '+Inf': 0 }),
        infOnly: m.histogramQuantile(0.99, { 0.1: 1, '+Inf': 10 }),
        reset: m.increase(10, 3),
        interval: m.latencyQuantiles({ 0.1: 5, 0.2: 5, '+Inf': 5 }, { 0.1: 10, 0.2: 15, '+Inf': 15 }),
        idle: m.latencyQuantiles({ 0.1: 5, '+Inf': 5 }, { 0.1: 5, '+Inf': 5 }),
        reservoir: m.latencyQuantiles(
          { 0.005: 678, 0.01: 890, 10: 1028, '+Inf': 1063 },
          { 0.005: 586, 0.01: 817, 10: 1028, '+Inf': 1407 },
        ),
        rate: rates.rates['200'][0][1],
        cold: rates.cold[0][1],
        scaledUp: a.scaled.up,
        steps: rates.steps,
        nameField: f.fieldForMessage("invalid function name 'A': use at most 63 lower-case letters"),
        fprocessField: f.fieldForMessage("field 'envProcess' is required by the process backend"),
        envField: f.fieldForMessage("envVars may not set 'port'"),
        other: f.fieldForMessage('request body is not valid JSON'),
        pairs: f.parsePairs('A=1\n\nB = x=y\n').values,
        badPair: f.parsePairs('nothing').error,
        json: f.bodyKind('application/json', new TextEncoder().encode('{"a":1}')),
        text: f.bodyKind('text/plain', new TextEncoder().encode('hi\n')),
        binary: f.bodyKind('application/octet-stream', new Uint8Array([0, 255, 1])),
        pretty: f.bodyText('json', new TextEncoder().encode('{"a":[1]}')),
      };
    });
    const want = {
      ready: 3, counts: { 200: 10, 500: 2 }, quoted: 1, p50: 0.1, p99: 0.198, empty: null,
      infOnly: 0.1, reset: 3, scaledUp: 4, steps: { up: 2, down: 1 }, interval: { p50: 0.1, p99: 0.198 }, idle: { p50: null, p99: null },
      reservoir: { p50: (0.005 * 514) / 586, p99: 0.01 + ((10 - 0.01) * (1017.72 - 817)) / (1028 - 817) }, rate: 3, cold: 1, nameField: 'name', fprocessField: 'fprocess',
      envField: 'env', other: null, pairs: { A: '1', B: 'x=y' }, badPair: 'line 1: expected NAME=value',
      json: 'json', text: 'text', binary: 'binary', pretty: '{\n  "a": [\n    1\n  ]\n}',
    };
    for (const [k, v] of Object.entries(want)) {
      const got = r[k];
      const near = (x, y) => (typeof y === 'number' ? Math.abs(x - y) < 1e-9 : x === y);
      const same = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => x === null || typeof x === 'number')
        ? Object.keys(v).every((key) => near(got[key], v[key]))
        : typeof v === 'number' ? near(got, v) : JSON.stringify(got) === JSON.stringify(v);
      check(same, `${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(got)}`);
    }
  }],

  ['shows an empty state that tells how to deploy a first function', async (page) => {
    const list = JSON.parse((await api('GET', '/system/functions')).text);
    check(list.length === 0 || deleteAll, `the gateway has functions (${list.map((f) => f.name)}): use an empty one, or --delete-all`);
    for (const f of list) await api('DELETE', '/system/functions', { functionName: f.name });
    await page.goto(`${base}/ui/`);
    await waitText(page, '#empty', 'No functions deployed yet');
    check(await page.isVisible('#empty'), 'empty state hidden');
    await waitText(page, '#empty-curl', '"envProcess":"rev"');
    await waitText(page, '#status', (t) => t.startsWith('Updated') && !t.includes('unavailable'), 'refresh status');
    await shot(page, 'portal-empty.png');
  }],

  ["shows the server's validation message next to the name field", async (page) => {
    await deployWithForm(page, { name: 'Bad_Name', fprocess: 'cat' });
    await waitText(page, '#e-name', 'invalid function name');
    check((await page.getAttribute('#f-name', 'aria-invalid')) === 'true', 'name field not marked invalid');
    check((await page.textContent('#e-form')) === '', 'message also shown for the whole form');
    check((await api('GET', '/system/function/bad-name')).status === 404, 'something was deployed');
    await shot(page, 'portal-validation.png');
  }],

  ['deploys a function with the form and shows it ready', async (page) => {
    await deployWithForm(page, { name: 'rev-ui', fprocess: 'rev', labels: 'team=portal' });
    await page.waitForSelector('tr[data-name="rev-ui"]', { timeout: WAIT });
    check(await page.isHidden('#empty'), 'empty state still shown');
    await waitText(page, 'tr[data-name="rev-ui"] td.replicas', '1 / 1', 'rev-ui replicas');
    await waitText(page, '#detail-heading', (t) => t === 'rev-ui', 'detail heading');
    const chips = await page.$$eval('tr[data-name="rev-ui"] .chip', (n) => n.map((c) => c.textContent));
    check(chips.includes('team=portal'), `labels shown: ${chips}`);
  }],

  ['invokes the function and shows its output, status and timing', async (page) => {
    await selectFunction(page, 'rev-ui');
    const status = await invoke(page, 'stressed');
    check(status.startsWith('200'), `status ${status}`);
    const out = await page.textContent('#invoke-output');
    check(out.trim() === 'desserts', `output ${JSON.stringify(out)}`);
    check((await page.textContent('#invoke-time')).includes('ms round trip'), 'no round-trip time');
    check((await page.textContent('#invoke-response-headers')).toLowerCase().includes('x-call-id'), 'no headers');
    await waitText(page, 'tr[data-name="rev-ui"] td.num', (t) => Number(t) >= 1, 'invocation count');
    await shot(page, 'portal-invoke.png');
  }],

  ['pretty-prints JSON answers and offers binary ones as a download', async (page) => {
    const r = await api('POST', '/system/functions', { service: 'cat-ui', envProcess: 'cat' });
    check(r.status === 202, `deploy cat-ui: ${r.status} ${r.text}`);
    await waitText(page, 'tr[data-name="cat-ui"] td.replicas', '1 / 1', 'cat-ui replicas');
    await selectFunction(page, 'cat-ui');
    check((await invoke(page, '{"a":[1,2]}', 'application/json')).startsWith('200'), 'JSON call failed');
    check((await page.textContent('#invoke-output')) === '{\n  "a": [\n    1,\n    2\n  ]\n}', 'JSON not pretty-printed');
    check(await page.isHidden('#invoke-download-row'), 'download offered for JSON');
    check((await invoke(page, 'bin\u0001\u0002ary', 'application/octet-stream')).startsWith('200'), 'binary call failed');
    await page.waitForSelector('#invoke-download-row:not([hidden])', { timeout: WAIT });
    check((await page.getAttribute('#invoke-download', 'href')).startsWith('blob:'), 'no download link');
    check((await page.textContent('#invoke-output')).includes('binary output, 8 bytes'), 'binary shown as text');
    await api('DELETE', '/system/functions', { functionName: 'cat-ui' });
    await page.waitForSelector('tr[data-name="cat-ui"]', { state: 'detached', timeout: WAIT });
    await selectFunction(page, 'rev-ui');
  }],

  ['shows when a scheduled function runs next', async (page) => {
    const r = await api('POST', '/system/functions', {
      service: 'cron-ui', envProcess: 'cat',
      annotations: { topic: 'cron-function', schedule: '0 0 1 1 *' },
    });
    check(r.status === 202, `deploy cron-ui: ${r.status} ${r.text}`);
    const next = JSON.parse(r.text).nextRun;
    check(/^\d{4}-01-01T00:00:00Z$/.test(next || ''), `nextRun of a yearly schedule: ${next}`);
    await waitText(page, 'tr[data-name="cron-ui"] td.replicas', '1 / 1', 'cron-ui replicas');
    await selectFunction(page, 'cron-ui');
    await page.click('#tab-manage');
    await waitText(page, '#deployment', `0 0 1 1 *, next run ${next}`, 'the schedule and its next run');
    await shot(page, 'portal-schedule.png');
    // editing in the form keeps the schedule (the form has no field for annotations)
    await page.click('#edit-function');
    await page.fill('#f-labels', 'team=cron');
    await page.click('#deploy-submit');
    await page.waitForSelector('tr[data-name="cron-ui"] .chip:text-is("team=cron")', { timeout: WAIT });
    await waitText(page, '#deployment', `0 0 1 1 *, next run ${next}`, 'the schedule after an edit');
    await api('DELETE', '/system/functions', { functionName: 'cron-ui' });
    await page.waitForSelector('tr[data-name="cron-ui"]', { state: 'detached', timeout: WAIT });
    await selectFunction(page, 'rev-ui');
  }],

  ['scales the function and shows the replica count change', async (page) => {
    await page.click('#tab-manage');
    await page.fill('#scale-replicas', '2');
    await page.click('#scale-form button[type=submit]');
    await waitText(page, 'tr[data-name="rev-ui"] td.replicas', '2 / 2', 'rev-ui replicas after scaling');
    await waitText(page, '#deployment', '2 ready of 2 desired');
  }],

  ['updates the deployment with the form', async (page) => {
    await page.click('#edit-function');
    check((await page.inputValue('#f-name')) === 'rev-ui', 'form not filled for editing');
    check((await page.inputValue('#f-labels')).includes('team=portal'), 'labels not filled');
    await page.fill('#f-labels', 'team=portal\ntier=web');
    await page.click('#deploy-submit');
    await page.waitForSelector('tr[data-name="rev-ui"] .chip:text-is("tier=web")', { timeout: WAIT });
    await waitText(page, 'tr[data-name="rev-ui"] td.replicas', '2 / 2', 'replicas kept by the update');
  }],

  ['draws live charts of requests, latency, replicas and cold starts', async (page) => {
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${base}/function/rev-ui`, { method: 'POST', body: `call ${i}` });
      check(r.status === 200, `load call ${i}: ${r.status}`);
      await r.text();
    }
    await selectFunction(page, 'rev-ui');
    await page.click('#tab-charts');
    await waitText(page, '#now-replicas', 'now 2 ready, 2 desired; 0 autoscaling steps up, 0 down');
    await page.waitForSelector('#chart-replicas polyline.s-ready', { timeout: WAIT });
    await page.waitForSelector('#chart-rate .s-c2xx', { timeout: WAIT });
    await page.waitForSelector('#chart-latency .s-p99', { timeout: WAIT });
    await waitText(page, '#legend-rate', '200');
    await waitText(page, '#now-cold', 'in the window');
    // a few more calls so the rate line shows them as the page samples
    for (let i = 0; i < 10; i++) await (await fetch(`${base}/function/rev-ui`, { method: 'POST', body: 'x' })).text();
    await waitText(page, '#now-latency', 'p99');
    await shot(page, 'portal-charts.png');
  }],

  ["shows the function's log lines", async (page) => {
    await page.click('#tab-logs');
    await waitText(page, '#logs', 'rev-ui-');
    await shot(page, 'portal-logs.png');
  }],

  ['renders hostile labels, environment values and output as text', async (page) => {
    await deployWithForm(page, {
      name: 'xss-ui', fprocess: `echo ${SCRIPT}`, env: `GREETING=${HOSTILE}`, labels: `note=${HOSTILE}`,
    });
    await page.waitForSelector('tr[data-name="xss-ui"]', { timeout: WAIT });
    await waitText(page, 'tr[data-name="xss-ui"] td.replicas', '1 / 1', 'xss-ui replicas');
    const chips = await page.$$eval('tr[data-name="xss-ui"] .chip', (n) => n.map((c) => c.textContent));
    check(chips.includes(`note=${HOSTILE}`), `label not shown literally: ${JSON.stringify(chips)}`);
    await selectFunction(page, 'xss-ui');
    const status = await invoke(page, '');
    check(status.startsWith('200'), `status ${status}`);
    check((await page.textContent('#invoke-output')).trim() === SCRIPT, 'output not shown literally');
    await page.click('#tab-manage');
    await waitText(page, '#deployment', `GREETING=${HOSTILE}`);
    check((await page.textContent('#deployment')).includes(`echo ${SCRIPT}`), 'command not shown literally');
    check((await page.$$('img')).length === 0, 'an img element was created from data');
    check((await page.$$('script')).length === 1, 'a script element was created from data');
    check(dialogs.length === 0, `dialogs opened: ${dialogs}`);
    await shot(page, 'portal-xss.png');
  }],

  ['is usable with the keyboard', async (page) => {
    await page.focus('tr[data-name="rev-ui"] button.link');
    await page.keyboard.press('Enter');
    await waitText(page, '#detail-heading', (t) => t === 'rev-ui', 'detail heading');
    check(await page.evaluate(() => document.activeElement.id === 'detail-heading'), 'focus not moved to the detail');
    await page.focus('#tab-invoke');
    await page.keyboard.press('ArrowRight');
    check((await page.getAttribute('#tab-charts', 'aria-selected')) === 'true', 'arrow did not switch tabs');
    check(await page.evaluate(() => document.activeElement.id === 'tab-charts'), 'focus not on the new tab');
    check(await page.isVisible('#panel-charts'), 'charts panel hidden');
  }],

  ['deletes a function only after confirmation', async (page) => {
    await selectFunction(page, 'rev-ui');
    await page.click('#tab-manage');
    await page.click('#delete-function');
    check(await page.isVisible('#confirm-delete'), 'no confirmation shown');
    check((await page.textContent('#confirm-text')).includes('rev-ui'), 'confirmation does not name the function');
    await shot(page, 'portal-delete-confirm.png');
    await page.click('#confirm-cancel');
    check((await api('GET', '/system/function/rev-ui')).status === 200, 'cancel deleted the function');
    await page.click('#delete-function');
    await page.click('#confirm-ok');
    await page.waitForSelector('tr[data-name="rev-ui"]', { state: 'detached', timeout: WAIT });
    check((await api('GET', '/system/function/rev-ui')).status === 404, 'function still deployed');
  }],

  ['is readable on a narrow screen', async (page) => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.reload();
    await page.waitForSelector('tr[data-name="xss-ui"]', { timeout: WAIT });
    await selectFunction(page, 'xss-ui');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await shot(page, 'portal-narrow.png');
    await page.setViewportSize({ width: 1200, height: 900 });
    await api('DELETE', '/system/functions', { functionName: 'xss-ui' });
  }],
];

const profile = mkdtempSync(join(tmpdir(), 'portal-chromium-'));
let context;
const started = Date.now();
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1200, height: 900 },
    timeout: WAIT,
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(WAIT);
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
  let failedBefore = false;
  for (const [name, run] of checks) {
    if (failedBefore) {
      results.push([name, false, 'not run: an earlier check failed']);
      continue;
    }
    const t = Date.now();
    try {
      await run(page);
      results.push([name, true, `${Date.now() - t} ms`]);
    } catch (e) {
      failedBefore = true;
      results.push([name, false, e.message]);
      await shot(page, 'portal-failure.png').catch(() => {});
    }
    const [n, ok, note] = results[results.length - 1];
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${n} (${note})`);
  }
  if (dialogs.length) results.push(['no dialog opened', false, dialogs.join('; ')]);
} catch (e) {
  results.push(['browser start', false, e.message]);
  console.log(`FAIL browser start (${e.message})`);
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
const passed = results.filter((r) => r[1]).length;
const failed = results.length - passed;
console.log(`browser checks took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
