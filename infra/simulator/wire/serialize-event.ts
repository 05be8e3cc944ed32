// The three event formats of mod_event_socket: plain (switch_event_serialize), json (cJSON unformatted), xml.
import type { FsEvent } from '../events/fs-event.ts';
import { fsUrlEncode } from './url-encode.ts';

export type EventFormat = 'plain' | 'json' | 'xml';

/** `Name: <url-encoded>\n` per header, `_undef_` for empty values, then `Content-Length: n\n\n<body>` or a final `\n`. */
export function serializePlain(event: FsEvent): string {
  let out = '';
  for (const [name, value] of event.headers) {
    const encoded = fsUrlEncode(value);
    out += `${name}: ${encoded === '' ? '_undef_' : encoded}\n`;
  }
  if (event.body !== undefined && event.body !== '') {
    out += `Content-Length: ${Buffer.byteLength(event.body, 'utf8')}\n\n${event.body}`;
  } else {
    out += '\n';
  }
  return out;
}

/** One-line JSON with string values (not URL-encoded); a body adds `"Content-Length":"n"` and `"_body"`. */
export function serializeJson(event: FsEvent): string {
  const parts = event.headers.map(([n, v]) => `${JSON.stringify(n)}:${JSON.stringify(v)}`);
  if (event.body !== undefined && event.body !== '') {
    parts.push(`"Content-Length":${JSON.stringify(String(Buffer.byteLength(event.body, 'utf8')))}`);
    parts.push(`"_body":${JSON.stringify(event.body)}`);
  }
  return `{${parts.join(',')}}`;
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** `<event><headers>…</headers>[<Content-Length>n</Content-Length><body>…</body>]</event>`, values URL-encoded then XML-escaped. */
export function serializeXml(event: FsEvent): string {
  let out = '<event>\n  <headers>\n';
  for (const [name, value] of event.headers) out += `    <${name}>${xmlEscape(fsUrlEncode(value))}</${name}>\n`;
  out += '  </headers>\n';
  if (event.body !== undefined && event.body !== '') {
    out += `  <Content-Length>${Buffer.byteLength(event.body, 'utf8')}</Content-Length>\n  <body>${xmlEscape(event.body)}</body>\n`;
  }
  return out + '</event>';
}

/** Serializes in the connection's format. */
export function serializeEvent(event: FsEvent, format: EventFormat): string {
  return format === 'json' ? serializeJson(event) : format === 'xml' ? serializeXml(event) : serializePlain(event);
}
