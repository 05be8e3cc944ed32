// FreeSWITCH's switch_url_encode_opt (switch_utils.c) with SWITCH_URL_UNSAFE, byte for byte.

const UNSAFE = new Set(Array.from('\r\n #%&+:;<=>?@[\\]^`{|}"', (c) => c.charCodeAt(0)));
const UPPER_HEX = new Set(Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0)));
const HEX = '0123456789ABCDEF';
/** Any character the encoder would change (fast path: most values need no encoding). */
const NEEDS_ENCODING = /[^\x20-\x7e]|[\r\n #%&+:;<=>?@[\\\]^`{|}"]/;

/**
 * Percent-encodes a header value as FreeSWITCH's plain serializer does: bytes < 0x20, > 0x7E and the unsafe set become
 * `%XX` (uppercase); a `%` already followed by two uppercase hex digits is copied (no double encoding). As in the C
 * code, a `%` followed by one hex digit at the very end also counts as encoded (strchr finds the terminating NUL).
 */
export function fsUrlEncode(value: string | Uint8Array): string {
  if (typeof value === 'string' && !NEEDS_ENCODING.test(value)) return value;
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25 && i + 1 < bytes.length && UPPER_HEX.has(bytes[i + 1]!) && (i + 2 >= bytes.length || UPPER_HEX.has(bytes[i + 2]!))) {
      out += '%';
      continue;
    }
    if (b < 0x20 || b > 0x7e || UNSAFE.has(b)) out += '%' + HEX[b >> 4]! + HEX[b & 0x0f]!;
    else out += String.fromCharCode(b);
  }
  return out;
}

/** Decodes %XX sequences leniently (invalid ones are kept verbatim), returning the raw bytes as UTF-8 text. */
export function fsUrlDecode(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x25 && i + 2 < value.length + 0 && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(value[i]!, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
