// The portal: reads the gateway's API with relative, same-origin requests (so a browser's
// basic-auth prompt covers them) and shows everything as text nodes, never as markup.

import { parsePrometheus, functionSample, chartSeries } from './metrics.js';
import { parsePairs, formatPairs, fieldForMessage, bodyKind, bodyText, SCALE_LABELS } from './forms.js';
import { drawLineChart } from './charts.js';

// Opened as http://user:password@host/ui/ (as users paste it), the page's own address holds
// credentials, and a browser refuses to build a request from such an address, so every relative
// call would fail. The browser has already used the credentials to load the page and keeps them
// for this origin: load the same address without them, before anything else runs.
// (location.href hides them; the document's URL, which relative requests resolve against, does not)
const pageAddress = new URL(document.URL);
if (pageAddress.username || pageAddress.password) {
  pageAddress.username = '';
  pageAddress.password = '';
  location.replace(pageAddress.href);
}

const REFRESH_MS = 2000;
const WINDOW_MS = 5 * 60 * 1000;
const KEEP_MS = WINDOW_MS + 30 * 1000;
const API = '../system/';

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children.map((c) => (c instanceof Node ? c : String(c))));
  return e;
}

const state = {
  functions: new Map(), // name -> FunctionStatus
  rows: new Map(), // name -> {tr, cells}
  history: new Map(), // name -> [sample]
  selected: null,
  tab: 'invoke',
  editing: null,
  downloadUrl: null,
};

/** The message of a failed answer: the platform's one-line text, or the status. */
async function problem(response) {
  const text = (await response.text()).trim();
  if (response.status === 401) return 'not signed in (401): reload the page to sign in';
  return text ? `${text} (${response.status})` : `HTTP ${response.status}`;
}

async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(API + path, init);
  if (!response.ok) {
    const error = new Error(await problem(response));
    error.status = response.status;
    throw error;
  }
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

// ---- list

function commandOf(f) {
  return f.image ? `${f.image} (${f.envProcess || ''})`.replace(' ()', '') : f.envProcess || (f.envVars || {}).fprocess || '';
}

function labelsOf(f) {
  return Object.entries(f.labels || {}).map(([k, v]) => `${k}=${v}`);
}

function renderList() {
  const tbody = $('functions').querySelector('tbody');
  const names = [...state.functions.keys()].sort();
  for (const [name, row] of state.rows) {
    if (!state.functions.has(name)) {
      row.tr.remove();
      state.rows.delete(name);
    }
  }
  names.forEach((name, i) => {
    const f = state.functions.get(name);
    let row = state.rows.get(name);
    if (!row) {
      const button = el('button', { type: 'button', class: 'link', 'data-name': name }, name);
      button.addEventListener('click', () => select(name, true));
      const cells = {
        command: el('td', { 'data-label': 'Image / command' }),
        invocations: el('td', { class: 'num', 'data-label': 'Invocations' }),
        replicas: el('td', { class: 'num replicas', 'data-label': 'Replicas ready / desired' }),
        labels: el('td', { 'data-label': 'Labels' }),
      };
      const tr = el('tr', { 'data-name': name }, el('th', { scope: 'row' }, button), cells.command, cells.invocations, cells.replicas, cells.labels);
      row = { tr, cells };
      state.rows.set(name, row);
    }
    if (tbody.children[i] !== row.tr) tbody.insertBefore(row.tr, tbody.children[i] || null);
    setText(row.cells.command, commandOf(f));
    setText(row.cells.invocations, String(f.invocationCount));
    setText(row.cells.replicas, `${f.availableReplicas} / ${f.replicas}`);
    const labels = labelsOf(f);
    if (row.cells.labels.dataset.text !== labels.join('\n')) {
      row.cells.labels.dataset.text = labels.join('\n');
      row.cells.labels.replaceChildren(...labels.map((l) => el('span', { class: 'chip' }, l)));
    }
    row.tr.classList.toggle('selected', name === state.selected);
  });
  const empty = names.length === 0;
  $('empty').hidden = !empty;
  $('functions').hidden = empty;
  if (state.selected && !state.functions.has(state.selected)) select(null);
  else if (state.selected) renderManage();
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

// ---- selection and tabs

function select(name, focus = false) {
  state.selected = name;
  $('detail').hidden = name === null;
  for (const [n, row] of state.rows) row.tr.classList.toggle('selected', n === name);
  stopLogs();
  if (name === null) return;
  setText($('detail-heading'), name);
  $('invoke-result').hidden = true;
  setText($('logs'), '');
  renderManage();
  showTab(state.tab);
  refreshView();
  if (focus) $('detail-heading').focus();
}

function showTab(tab) {
  state.tab = tab;
  for (const t of ['invoke', 'charts', 'logs', 'manage']) {
    const on = t === tab;
    $(`tab-${t}`).setAttribute('aria-selected', String(on));
    $(`tab-${t}`).tabIndex = on ? 0 : -1;
    $(`panel-${t}`).hidden = !on;
  }
  refreshView();
}

function setUpTabs() {
  const order = ['invoke', 'charts', 'logs', 'manage'];
  for (const t of order) {
    $(`tab-${t}`).addEventListener('click', () => showTab(t));
    $(`tab-${t}`).addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      const next = order[(order.indexOf(t) + step + order.length) % order.length];
      showTab(next);
      $(`tab-${next}`).focus();
    });
  }
}

// ---- invoke

function setUpInvoke() {
  $('invoke-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = state.selected;
    setText($('invoke-error'), '');
    const headers = parsePairs($('invoke-headers').value, ':');
    if (headers.error) {
      setText($('invoke-error'), `Extra headers, ${headers.error}`);
      return;
    }
    const method = $('invoke-method').value;
    const init = { method, headers: { ...headers.values }, credentials: 'same-origin' };
    if ($('invoke-type').value.trim()) init.headers['Content-Type'] = $('invoke-type').value.trim();
    if (method !== 'GET') init.body = $('invoke-body').value;
    const started = performance.now();
    let response;
    let bytes;
    try {
      response = await fetch(`../function/${encodeURIComponent(name)}`, init);
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (err) {
      setText($('invoke-error'), `The request failed: ${err.message}`);
      return;
    }
    const ms = performance.now() - started;
    showAnswer(name, response, bytes, ms);
    refresh();
  });
}

function showAnswer(name, response, bytes, ms) {
  const status = $('invoke-status');
  setText(status, `${response.status} ${response.statusText}`.trim());
  status.className = `badge c${String(response.status)[0]}xx`;
  setText($('invoke-time'), `${ms.toFixed(1)} ms round trip, ${bytes.length} bytes`);
  const lines = [];
  response.headers.forEach((v, k) => lines.push(`${k}: ${v}`));
  setText($('invoke-response-headers'), lines.join('\n'));
  const type = response.headers.get('Content-Type');
  const kind = bodyKind(type, bytes);
  if (state.downloadUrl) URL.revokeObjectURL(state.downloadUrl);
  state.downloadUrl = null;
  $('invoke-download-row').hidden = kind !== 'binary';
  if (kind === 'binary') {
    setText($('invoke-output'), `(binary output, ${bytes.length} bytes)`);
    state.downloadUrl = URL.createObjectURL(new Blob([bytes], { type: type || 'application/octet-stream' }));
    const a = $('invoke-download');
    a.href = state.downloadUrl;
    a.download = `${name}-output`;
    setText(a, `Download the output (${bytes.length} bytes)`);
  } else {
    setText($('invoke-output'), bodyText(kind, bytes));
  }
  $('invoke-output').dataset.kind = kind;
  $('invoke-result').hidden = false;
}

// ---- manage: details, scale, edit, delete

function renderManage() {
  const f = state.functions.get(state.selected);
  if (!f) return;
  const facts = [
    ['Image', f.image || '(none)'],
    ['Command', f.envProcess || ''],
    ['Environment', formatPairs(f.envVars) || '(none)'],
    ['Labels', formatPairs(f.labels) || '(none)'],
    ['Replicas', `${f.availableReplicas} ready of ${f.replicas} desired`],
    ['Invocations', String(f.invocationCount)],
    ['Created', f.createdAt || ''],
  ];
  // nextRun is there while the function is on a schedule (annotations topic: cron-function)
  if (f.nextRun) facts.push(['Schedule', `${(f.annotations || {}).schedule || ''}, next run ${f.nextRun}`]);
  const key = JSON.stringify(facts);
  const dl = $('deployment');
  if (dl.dataset.key === key) return;
  dl.dataset.key = key;
  dl.replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  if (document.activeElement !== $('scale-replicas')) $('scale-replicas').value = String(f.replicas);
}

function setUpManage() {
  $('scale-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    setText($('scale-error'), '');
    const replicas = Number($('scale-replicas').value);
    if ($('scale-replicas').value.trim() === '' || !Number.isInteger(replicas) || replicas < 0) {
      setText($('scale-error'), 'Replicas must be a whole number, 0 or more.');
      return;
    }
    try {
      await api('POST', `scale-function/${encodeURIComponent(state.selected)}`, { serviceName: state.selected, replicas });
      setStatus(`Scaling ${state.selected} to ${replicas}.`);
    } catch (err) {
      setText($('scale-error'), err.message);
    }
    refresh();
  });
  $('edit-function').addEventListener('click', () => edit(state.functions.get(state.selected)));
  $('delete-function').addEventListener('click', () => {
    setText($('confirm-text'), `Delete the function ${state.selected}? Its replicas are stopped.`);
    $('confirm-delete').dataset.name = state.selected;
    $('confirm-delete').showModal();
    $('confirm-cancel').focus();
  });
  $('confirm-delete').addEventListener('close', async () => {
    const name = $('confirm-delete').dataset.name;
    if ($('confirm-delete').returnValue !== 'delete') return;
    try {
      await api('DELETE', 'functions', { functionName: name });
      setStatus(`Deleted ${name}.`);
      state.functions.delete(name);
      renderList();
      $('functions-heading').focus();
    } catch (err) {
      setStatus(`Could not delete ${name}: ${err.message}`);
    }
    refresh();
  });
}

// ---- deploy and update

function edit(f) {
  state.editing = f.name;
  const labels = { ...(f.labels || {}) };
  $('f-name').value = f.name;
  $('f-name').readOnly = true;
  $('f-fprocess').value = f.envProcess || '';
  $('f-image').value = f.image || '';
  $('f-env').value = formatPairs(f.envVars);
  $('f-min').value = labels[SCALE_LABELS.min] || '';
  $('f-max').value = labels[SCALE_LABELS.max] || '';
  $('f-zero').checked = labels[SCALE_LABELS.zero] === 'true';
  for (const k of Object.values(SCALE_LABELS)) delete labels[k];
  $('f-labels').value = formatPairs(labels);
  setText($('deploy-heading'), `Update ${f.name}`);
  setText($('deploy-submit'), 'Update');
  $('deploy-cancel').hidden = false;
  clearErrors();
  $('deploy-heading').focus();
}

function resetDeployForm() {
  state.editing = null;
  $('deploy-form').reset();
  $('f-name').readOnly = false;
  setText($('deploy-heading'), 'Deploy a function');
  setText($('deploy-submit'), 'Deploy');
  $('deploy-cancel').hidden = true;
  clearErrors();
}

function clearErrors() {
  for (const id of ['name', 'fprocess', 'image', 'env', 'labels', 'replicas', 'form']) setText($(`e-${id}`), '');
  for (const input of $('deploy-form').querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

function showError(field, message) {
  const target = $(`e-${field || 'form'}`);
  setText(target, message);
  const input = $(`f-${field === 'replicas' ? 'min' : field}`);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}

function deployment() {
  const env = parsePairs($('f-env').value);
  if (env.error) return { field: 'env', error: `Environment, ${env.error}` };
  const labels = parsePairs($('f-labels').value);
  if (labels.error) return { field: 'labels', error: `Labels, ${labels.error}` };
  const l = labels.values;
  if ($('f-min').value.trim()) l[SCALE_LABELS.min] = $('f-min').value.trim();
  if ($('f-max').value.trim()) l[SCALE_LABELS.max] = $('f-max').value.trim();
  if ($('f-zero').checked) l[SCALE_LABELS.zero] = 'true';
  return {
    body: {
      service: $('f-name').value.trim(),
      image: $('f-image').value.trim(),
      envProcess: $('f-fprocess').value.trim(),
      envVars: env.values,
      labels: l,
    },
  };
}

function setUpDeploy() {
  $('new-function').addEventListener('click', () => {
    resetDeployForm();
    $('f-name').focus();
  });
  $('deploy-cancel').addEventListener('click', resetDeployForm);
  $('deploy-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const d = deployment();
    if (d.error) {
      showError(d.field, d.error);
      return;
    }
    const updating = state.editing !== null;
    if (updating) {
      // an update replaces the whole deployment: keep what the form does not show (a schedule's
      // annotations, secrets, constraints, limits)
      const old = state.functions.get(state.editing) || {};
      for (const k of ['annotations', 'secrets', 'constraints', 'limits', 'requests', 'readOnlyRootFilesystem']) {
        if (old[k] !== undefined) d.body[k] = old[k];
      }
    }
    try {
      const status = await api(updating ? 'PUT' : 'POST', 'functions', d.body);
      setStatus(`${updating ? 'Updated' : 'Deployed'} ${status.name}.`);
      state.functions.set(status.name, status);
      resetDeployForm();
      renderList();
      select(status.name, true);
    } catch (err) {
      showError(fieldForMessage(err.message), err.message);
    }
    refresh();
  });
}

// ---- charts and logs

function drawCharts() {
  const samples = state.history.get(state.selected) || [];
  const s = chartSeries(samples);
  const now = Date.now();
  // the time axis spans what this page has seen: at least a minute, at most WINDOW_MS
  const seen = samples.length ? now - samples[0].t : 0;
  const windowMs = Math.min(WINDOW_MS, Math.max(60_000, Math.ceil(seen / 60_000) * 60_000));
  const codes = Object.keys(s.rates).sort();
  drawLineChart($('chart-rate'), {
    now, windowMs,
    series: codes.map((c) => ({ name: c, cls: `s-c${c[0]}xx`, points: s.rates[c] })),
  });
  $('legend-rate').replaceChildren(...codes.map((c) => el('span', { class: `key s-c${c[0]}xx` }, c)));
  drawLineChart($('chart-latency'), {
    now, windowMs,
    series: [{ name: 'p50', cls: 's-p50', points: s.p50 }, { name: 'p99', cls: 's-p99', points: s.p99 }],
  });
  drawLineChart($('chart-replicas'), {
    now, windowMs, integer: true,
    series: [{ name: 'ready', cls: 's-ready', points: s.ready }, { name: 'desired', cls: 's-desired', points: s.desired }],
  });
  drawLineChart($('chart-cold'), {
    now, windowMs, integer: true,
    series: [{ name: 'cold starts', cls: 's-cold', points: s.cold }],
  });
  const last = (points) => (points.length ? points[points.length - 1][1] : null);
  const rate = codes.map((c) => `${c}: ${last(s.rates[c]).toFixed(1)}/s`).join(', ');
  setText($('now-rate'), rate ? `(now ${rate})` : '(no requests yet)');
  const p50 = last(s.p50);
  const p99 = last(s.p99);
  setText($('now-latency'), p50 === null ? '(no requests in the last interval)' : `(now p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms)`);
  const f = state.functions.get(state.selected);
  const steps = `${s.steps.up} autoscaling steps up, ${s.steps.down} down`;
  setText($('now-replicas'), f ? `(now ${f.availableReplicas} ready, ${f.replicas} desired; ${steps})` : '');
  const total = s.cold.reduce((sum, [, v]) => sum + v, 0);
  setText($('now-cold'), `(${total} in the window)`);
}

// The log tab reads /system/logs with follow=true while "Follow new lines" is on: one request that
// stays open and gets each new line as the function prints it; it is aborted (the gateway then lets
// the follower go) when the tab, the function or the settings change.
let logRead = null;

function stopLogs() {
  if (logRead) logRead.abort();
  logRead = null;
}

function logText(line) {
  try {
    const j = JSON.parse(line);
    return `${j.timestamp}  ${j.instance}  ${j.text}`;
  } catch (e) {
    return line;
  }
}

function showLogs(lines) {
  const pre = $('logs');
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  setText(pre, lines.length ? lines.join('\n') : '(no log lines yet)');
  if (atBottom) pre.scrollTop = pre.scrollHeight;
}

async function refreshLogs() {
  stopLogs();
  const name = state.selected;
  if (!name || state.tab !== 'logs') return;
  const tail = Number($('logs-tail').value);
  const follow = $('logs-follow').checked;
  const read = new AbortController();
  logRead = read;
  const lines = [];
  try {
    const response = await fetch(
      `${API}logs?name=${encodeURIComponent(name)}&tail=${tail}${follow ? '&follow=true' : ''}`,
      { credentials: 'same-origin', signal: read.signal },
    );
    if (!response.ok) throw new Error(await problem(response));
    showLogs(lines);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      rest += decoder.decode(value || new Uint8Array(), { stream: !done });
      const parts = rest.split('\n');
      rest = done ? '' : parts.pop();
      // empty lines are the gateway's heartbeats
      for (const p of parts) if (p.trim() !== '') lines.push(logText(p));
      if (lines.length > tail) lines.splice(0, lines.length - tail);
      if (logRead !== read) return;
      showLogs(lines);
      if (done) break;
    }
    // the stream ended (function removed, gateway stopping): the refresh loop follows again
    if (logRead === read) logRead = null;
  } catch (err) {
    if (read.signal.aborted) return;
    if (logRead === read) logRead = null;
    setText($('logs'), `Could not read the logs: ${err.message}`);
  }
}

/**
 * Redraws the open view. The log is read when the view opens; while "Follow new lines" is on and
 * its read has ended, the refresh loop starts it again.
 */
function refreshView(byTimer = false) {
  if (!state.selected) {
    stopLogs();
    return;
  }
  if (state.tab === 'charts') drawCharts();
  if (state.tab !== 'logs') stopLogs();
  else if (!byTimer || ($('logs-follow').checked && logRead === null)) refreshLogs();
}

// ---- the refresh loop

let noticeTimer;

/** Tells the outcome of the user's last action, for a few seconds. */
function setStatus(text) {
  setText($('notice'), text);
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => setText($('notice'), ''), 8000);
}

function record(metricsText, at) {
  const series = metricsText === null ? [] : parsePrometheus(metricsText);
  for (const [name, f] of state.functions) {
    const sample = functionSample(series, name);
    sample.t = at;
    sample.desired = f.replicas;
    if (sample.ready === null) sample.ready = f.availableReplicas;
    const h = state.history.get(name) || [];
    h.push(sample);
    while (h.length && h[0].t < at - KEEP_MS) h.shift();
    state.history.set(name, h);
  }
  for (const name of state.history.keys()) if (!state.functions.has(name)) state.history.delete(name);
}

let refreshing = false;

async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    const [list, metrics] = await Promise.all([
      api('GET', 'functions'),
      fetch('../metrics?scope=application', { credentials: 'same-origin' })
        // 404: MicroProfile Metrics answers so while the scope has no metric yet
        .then((r) => (r.ok ? r.text() : r.status === 404 ? '' : null))
        .catch(() => null),
    ]);
    state.functions = new Map(list.map((f) => [f.name, f]));
    record(metrics, Date.now());
    renderList();
    refreshView(true);
    setText($('status'), `Updated ${new Date().toLocaleTimeString()}${metrics === null ? ' (metrics unavailable)' : ''}`);
  } catch (err) {
    setText($('status'), `Cannot read the functions: ${err.message}`);
  } finally {
    refreshing = false;
  }
}

async function loadInfo() {
  try {
    const info = await api('GET', 'info');
    setText($('platform'), `${info.provider.provider} ${info.version.release}, ${info.provider.orchestration} backend`);
  } catch (err) {
    setText($('platform'), '');
  }
}

function start() {
  // the management API asks for the credentials the page was opened with; stack/up.sh keeps the
  // password in data/basic-auth-password (the address is built without any credentials in it)
  const deployUrl = new URL('../system/functions', location.origin + location.pathname);
  setText($('empty-curl'), `curl -u admin:$(cat data/basic-auth-password) \\\n  -d '{"service":"rev","envProcess":"rev"}' ${deployUrl}`);
  setUpTabs();
  setUpInvoke();
  setUpManage();
  setUpDeploy();
  $('logs-tail').addEventListener('change', refreshLogs);
  $('logs-follow').addEventListener('change', refreshLogs);
  loadInfo();
  refresh();
  setInterval(refresh, REFRESH_MS);
}

start();
