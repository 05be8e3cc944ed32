// The adapter's own view of one ESL event: header values as strings, `_undef_` and empty values normalised away,
// a repeated header keeping its last value (modesl's rule, and JSON.parse's for duplicate keys).

/** One event from FreeSWITCH, independent of modesl's Event class. */
export interface EslEvent {
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

const UNDEFINED_VALUES = new Set(['', '_undef_']);

/** A header value, or undefined when absent, empty or `_undef_`. Multi-valued JSON headers give their last value. */
export function header(event: EslEvent, name: string): string | undefined {
  const v = event.headers.get(name);
  return v === undefined || UNDEFINED_VALUES.has(v) ? undefined : v;
}

/** A channel variable (`variable_<name>`). */
export function variable(event: EslEvent, name: string): string | undefined {
  return header(event, `variable_${name}`);
}

/** An integer header (e.g. Event-Sequence, µs timestamps), or undefined when absent or not a number. */
export function intHeader(event: EslEvent, name: string): number | undefined {
  const v = header(event, name);
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Turns any header value modesl hands over (string, number, array for multi-valued JSON headers) into a string. */
export function headerValueToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length === 0 ? '' : headerValueToString(value[value.length - 1]);
  if (value === null || value === undefined) return '';
  return String(value);
}

/** Builds an EslEvent from name/value pairs (later duplicates win). */
export function eslEventFrom(pairs: Iterable<readonly [string, unknown]>, body = ''): EslEvent {
  const headers = new Map<string, string>();
  for (const [name, value] of pairs) headers.set(name, headerValueToString(value));
  return { headers, body };
}

/**
 * Parses a plain-format event payload (`Name: url-encoded value` lines, optional inner Content-Length and body).
 * Tolerant where modesl is not: a value that is not valid percent-encoded UTF-8 (`%FC`) is decoded byte-wise as
 * Latin-1 instead of throwing. Used for fixtures and `uuid_dump` output; live events arrive as JSON.
 */
export function parsePlainEvent(text: string): EslEvent {
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const pairs: Array<[string, string]> = [];
  let bodyLength: number | undefined;
  for (const line of head.split('\n')) {
    const colon = line.indexOf(': ');
    if (colon <= 0) continue;
    const name = line.slice(0, colon);
    const value = decodeTolerant(line.slice(colon + 2));
    if (name === 'Content-Length') bodyLength = Number.parseInt(value, 10);
    else pairs.push([name, value]);
  }
  let body = '';
  if (end >= 0 && bodyLength !== undefined && Number.isFinite(bodyLength)) {
    body = Buffer.from(text.slice(end + 2), 'utf8').subarray(0, bodyLength).toString('utf8');
  }
  return eslEventFrom(pairs, body);
}

/** decodeURIComponent that never throws: invalid sequences fall back to byte-wise Latin-1 decoding. */
export function decodeTolerant(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
}
