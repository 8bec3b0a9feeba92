// Pure functions over the gateway's Prometheus text: parsing, one sample per function, and the
// series the charts draw (rates from counter deltas, quantiles from histogram bucket deltas).

/** Parses Prometheus text into [{name, labels, value}]; comments and malformed lines are skipped. */
export function parsePrometheus(text) {
  const out = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const value = Number(m[4]);
    if (Number.isNaN(value) && m[4] !== 'NaN') continue;
    out.push({ name: m[1], labels: m[3] ? parseLabels(m[3]) : {}, value });
  }
  return out;
}

function parseLabels(text) {
  const labels = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    labels[m[1]] = m[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

/**
 * What one scrape says about one function: invocations by status code, latency buckets (le to
 * cumulative count, summed over codes), ready replicas and cold starts so far.
 */
export function functionSample(series, name) {
  const s = { counts: {}, buckets: {}, ready: null, coldStarts: 0, scaled: { up: 0, down: 0 } };
  for (const m of series) {
    if (m.labels.function_name !== name) continue;
    if (m.name === 'gateway_function_invocation_total') {
      s.counts[m.labels.code] = (s.counts[m.labels.code] || 0) + m.value;
    } else if (m.name === 'gateway_functions_seconds_bucket') {
      s.buckets[m.labels.le] = (s.buckets[m.labels.le] || 0) + m.value;
    } else if (m.name === 'gateway_service_count') {
      s.ready = m.value;
    } else if (m.name === 'gateway_function_cold_start_seconds_count') {
      s.coldStarts += m.value;
    } else if (m.name === 'gateway_scaling_events_total' && m.labels.direction in s.scaled) {
      s.scaled[m.labels.direction] += m.value;
    }
  }
  return s;
}

/** A counter's growth; a counter that went down was reset (function redeployed): its new value. */
export function increase(before, after) {
  const b = before || 0;
  const a = after || 0;
  return a >= b ? a - b : a;
}

/**
 * The q-quantile (0..1) of a histogram given as le to cumulative count, interpolating linearly
 * inside the bucket as Prometheus's histogram_quantile does; null when it holds no observation.
 */
export function histogramQuantile(q, buckets) {
  const bounds = Object.keys(buckets)
    .map((le) => ({ le: le === '+Inf' ? Infinity : Number(le), count: buckets[le] }))
    .filter((b) => !Number.isNaN(b.le))
    .sort((x, y) => x.le - y.le);
  if (bounds.length === 0) return null;
  const total = bounds[bounds.length - 1].count;
  if (!(total > 0)) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const b of bounds) {
    if (b.count >= rank) {
      if (b.le === Infinity) return lower;
      if (b.count === below) return b.le;
      return lower + ((b.le - lower) * (rank - below)) / (b.count - below);
    }
    lower = b.le;
    below = b.count;
  }
  return lower;
}

/** The bucket counts added between two samples (le to cumulative count). */
export function bucketIncrease(before, after) {
  const d = {};
  for (const le of Object.keys(after)) d[le] = increase(before[le], after[le]);
  return d;
}

/**
 * Latency quantiles (seconds) of the calls between two samples of a function's buckets, null when
 * there were none. When the buckets grew as cumulative counts do, the quantiles are those of the
 * calls in between. Payara's timer buckets are not always such counts: past 1028 calls they
 * describe a reservoir of recent calls (only +Inf keeps counting), so then the later sample's
 * finite buckets are read as the distribution of recent calls.
 */
export function latencyQuantiles(before, after) {
  const calls = increase(before['+Inf'], after['+Inf']);
  if (!(calls > 0)) return { p50: null, p99: null };
  const finite = Object.keys(after)
    .filter((le) => le !== '+Inf')
    .sort((x, y) => Number(x) - Number(y));
  let cumulative = finite.length > 0;
  let previous = 0;
  for (const le of finite) {
    const d = (after[le] || 0) - (before[le] || 0);
    if (d < previous || (after[le] || 0) < (before[le] || 0)) cumulative = false;
    previous = d;
  }
  if (cumulative && previous !== calls) cumulative = false;
  let buckets;
  if (cumulative) {
    buckets = bucketIncrease(before, after);
  } else {
    buckets = {};
    for (const le of finite) buckets[le] = after[le];
  }
  return { p50: histogramQuantile(0.5, buckets), p99: histogramQuantile(0.99, buckets) };
}

/**
 * Chart series from samples [{t (ms), counts, buckets, ready, desired, coldStarts}] oldest
 * first: request rate per status code (per second), p50/p99 latency (ms) over each interval,
 * ready and desired replicas, cold starts per interval, and the platform's scaling steps up and
 * down over all the samples.
 */
export function chartSeries(samples) {
  const rates = {};
  const p50 = [];
  const p99 = [];
  const ready = [];
  const desired = [];
  const cold = [];
  const steps = { up: 0, down: 0 };
  for (const s of samples) {
    if (s.ready !== null && s.ready !== undefined) ready.push([s.t, s.ready]);
    if (s.desired !== null && s.desired !== undefined) desired.push([s.t, s.desired]);
  }
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const seconds = (b.t - a.t) / 1000;
    if (!(seconds > 0)) continue;
    const codes = new Set([...Object.keys(a.counts), ...Object.keys(b.counts)]);
    for (const code of codes) {
      (rates[code] ||= []).push([b.t, increase(a.counts[code], b.counts[code]) / seconds]);
    }
    const q = latencyQuantiles(a.buckets, b.buckets);
    p50.push([b.t, q.p50 === null ? null : q.p50 * 1000]);
    p99.push([b.t, q.p99 === null ? null : q.p99 * 1000]);
    cold.push([b.t, increase(a.coldStarts, b.coldStarts)]);
    for (const d of ['up', 'down']) {
      steps[d] += increase((a.scaled || {})[d], (b.scaled || {})[d]);
    }
  }
  return { rates, p50, p99, ready, desired, cold, steps };
}
