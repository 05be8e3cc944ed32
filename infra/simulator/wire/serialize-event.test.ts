import { describe, expect, it } from 'vitest';
import type { FsEvent } from '../events/fs-event.ts';
import { apiResponseFrame, commandReplyFrame, disconnectNoticeFrame, eventFrame, GOODBYE_TEXT } from './frames.ts';
import { serializeJson, serializePlain, serializeXml } from './serialize-event.ts';

const ev: FsEvent = { name: 'X', headers: [['Event-Name', 'X'], ['Empty', ''], ['Name', 'a b:c'], ['Name', 'dup']] };

describe('serializers', () => {
  it('plain: URL-encoded values, _undef_ for empty, duplicates kept, final blank line', () => {
    expect(serializePlain(ev)).toBe('Event-Name: X\nEmpty: _undef_\nName: a%20b%3Ac\nName: dup\n\n');
  });
  it('plain with a body: inner Content-Length in bytes, no newline after the body', () => {
    expect(serializePlain({ ...ev, headers: ev.headers.slice(0, 1), body: 'hé\n' })).toBe('Event-Name: X\nContent-Length: 4\n\nhé\n');
  });
  it('json: raw values, "" for empty, Content-Length string and _body', () => {
    expect(serializeJson({ ...ev, body: 'x"\n' })).toBe('{"Event-Name":"X","Empty":"","Name":"a b:c","Name":"dup","Content-Length":"3","_body":"x\\"\\n"}');
  });
  it('xml: URL-encoded then XML-escaped values', () => {
    const xml = serializeXml({ name: 'X', headers: [['Event-Name', 'X'], ['V', '<a&b>']], body: '<b>' });
    expect(xml).toBe('<event>\n  <headers>\n    <Event-Name>X</Event-Name>\n    <V>%3Ca%26b%3E</V>\n  </headers>\n  <Content-Length>3</Content-Length>\n  <body>&lt;b&gt;</body>\n</event>');
  });
});

describe('frames', () => {
  it('lays out each frame type in FreeSWITCH’s header order with LF only', () => {
    expect(commandReplyFrame('+OK')).toBe('Content-Type: command/reply\nReply-Text: +OK\n\n');
    expect(apiResponseFrame('+OK é\n')).toBe('Content-Type: api/response\nContent-Length: 7\n\n+OK é\n');
    expect(eventFrame({ name: 'X', headers: [['Event-Name', 'X']] }, 'plain')).toBe('Content-Length: 15\nContent-Type: text/event-plain\n\nEvent-Name: X\n\n');
    expect(Buffer.byteLength(GOODBYE_TEXT)).toBe(67);
    expect(disconnectNoticeFrame()).toBe(`Content-Type: text/disconnect-notice\nContent-Length: 67\n\n${GOODBYE_TEXT}`);
    for (const f of [commandReplyFrame('x'), apiResponseFrame('y'), eventFrame(ev, 'json'), disconnectNoticeFrame()]) expect(f).not.toContain('\r');
  });
});
