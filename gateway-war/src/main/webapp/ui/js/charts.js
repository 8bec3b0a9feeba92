// Line charts as SVG built with DOM calls (never markup strings): a time axis over the last
// minutes, a y axis from zero, one polyline per series, gaps where a series has no value.

const SVG = 'http://www.w3.org/2000/svg';
const W = 480;
const H = 180;
const PAD = { left: 44, right: 10, top: 10, bottom: 22 };

function node(name, attrs, text) {
  const n = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

/** A round upper bound for the y axis. */
export function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}

function label(value) {
  if (value >= 100 || Number.isInteger(value)) return String(Math.round(value));
  return value.toFixed(value >= 10 ? 1 : 2);
}

/**
 * Draws into the svg element: series [{name, cls, points: [[t, v|null]]}] between now - windowMs
 * and now; integer forces whole-number ticks (replica counts).
 */
export function drawLineChart(svg, { series, now, windowMs, integer = false }) {
  const from = now - windowMs;
  let top = 0;
  for (const s of series) for (const [t, v] of s.points) if (t >= from && v !== null) top = Math.max(top, v);
  const max = integer ? Math.max(1, Math.ceil(niceMax(top))) : niceMax(top);
  const x = (t) => PAD.left + ((t - from) / windowMs) * (W - PAD.left - PAD.right);
  const y = (v) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);

  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const parts = [];
  for (const f of [0, 0.5, 1]) {
    const v = max * f;
    parts.push(node('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }));
    if (!integer || Number.isInteger(v)) {
      parts.push(node('text', { class: 'tick', x: PAD.left - 4, y: y(v) + 4, 'text-anchor': 'end' }, label(v)));
    }
  }
  const minutes = Math.round(windowMs / 60000);
  parts.push(node('text', { class: 'tick', x: PAD.left, y: H - 6 }, `-${minutes} min`));
  parts.push(node('text', { class: 'tick', x: W - PAD.right, y: H - 6, 'text-anchor': 'end' }, 'now'));
  for (const s of series) {
    let run = [];
    const flush = () => {
      if (run.length === 1) {
        parts.push(node('circle', { class: `dot ${s.cls}`, cx: run[0][0], cy: run[0][1], r: 2 }));
      } else if (run.length > 1) {
        parts.push(node('polyline', { class: `line ${s.cls}`, points: run.map((p) => p.join(',')).join(' ') }));
      }
      run = [];
    };
    for (const [t, v] of s.points) {
      if (t < from) continue;
      if (v === null) flush();
      else run.push([x(t).toFixed(1), y(v).toFixed(1)]);
    }
    flush();
  }
  svg.replaceChildren(...parts);
}
