// Pure functions behind the forms: reading the text areas, placing the server's messages next to
// the field they are about, and deciding how a function's answer is shown.

/** The scaling labels the deploy form has fields for. */
export const SCALE_LABELS = {
  min: 'com.openfaas.scale.min',
  max: 'com.openfaas.scale.max',
  zero: 'com.openfaas.scale.zero',
};

/**
 * Reads "KEY=VALUE" lines (separator '=' or ':') into an object; blank lines are skipped.
 * Returns {values} or {error} naming the first bad line.
 */
export function parsePairs(text, separator = '=') {
  const values = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const at = line.indexOf(separator);
    if (at <= 0) {
      return { error: `line ${i + 1}: expected NAME${separator}value` };
    }
    values[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { values };
}

/** The object as "KEY=VALUE" lines, for editing. */
export function formatPairs(values, separator = '=') {
  return Object.entries(values || {})
    .map(([k, v]) => `${k}${separator}${v}`)
    .join('\n');
}

/** Which deploy-form field a server message is about (null: the form as a whole). */
export function fieldForMessage(message) {
  const m = message.toLowerCase();
  if (m.includes('function name') || m.includes("'service'")) return 'name';
  if (m.includes('envprocess') || m.includes('fprocess')) return 'fprocess';
  if (m.includes('envvars')) return 'env';
  if (m.includes('label') || m.includes('com.openfaas')) return 'labels';
  if (m.includes("'image'")) return 'image';
  if (m.includes('replicas')) return 'replicas';
  return null;
}

/** How to show a response body: 'json' (pretty), 'text' or 'binary' (a download). */
export function bodyKind(contentType, bytes) {
  const type = (contentType || '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      return 'json';
    } catch (e) {
      return isText(bytes) ? 'text' : 'binary';
    }
  }
  return isText(bytes) ? 'text' : 'binary';
}

function isText(bytes) {
  let decoded;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    return false;
  }
  // control characters other than tab, newline and carriage return mean binary
  return !/[\u0000-\u0008\u000e-\u001f]/.test(decoded);
}

/** The body as shown: pretty JSON, or the text itself. */
export function bodyText(kind, bytes) {
  const text = new TextDecoder('utf-8').decode(bytes);
  return kind === 'json' ? JSON.stringify(JSON.parse(text), null, 2) : text;
}
