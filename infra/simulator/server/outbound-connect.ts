// Outbound mode's `connect` reply (MES parse_command "connect"): a CHANNEL_DATA event whose header block is the
// reply itself: Channel-* caller profile, channel data, variables, then Content-Type/Reply-Text/Socket-Mode/Control.
import type { Channel } from '../channels/channel.ts';
import { profileHeaders } from '../channels/channel-data.ts';
import type { EventFactory } from '../core/event-factory.ts';
import type { FsEvent } from '../events/fs-event.ts';
import { serializePlain } from '../wire/serialize-event.ts';

/** Outbound listener flags from `socket host:port [async] [full]`. */
export interface OutboundMode {
  async: boolean;
  full: boolean;
}

/** The CHANNEL_DATA event sent in reply to `connect`. */
export function connectReplyEvent(events: EventFactory, ch: Channel, mode: OutboundMode): FsEvent {
  return events.channel(ch, 'CHANNEL_DATA', {
    before: profileHeaders(ch.profile, 'Channel'),
    withVariables: true,
    after: [
      ['Content-Type', 'command/reply'],
      ['Reply-Text', '+OK\n'],
      ['Socket-Mode', mode.async ? 'async' : 'static'],
      ['Control', mode.full ? 'full' : 'single-channel'],
    ],
    origin: { file: 'mod_event_socket.c', func: 'parse_command', line: 2011 },
  });
}

/** The bytes of the connect reply: the serialized event, not framed with Content-Length. */
export function connectReplyFrame(events: EventFactory, ch: Channel, mode: OutboundMode): string {
  return serializePlain(connectReplyEvent(events, ch, mode));
}

/** Commands an outbound socket without `full` accepts (MES:2236). */
export const SINGLE_CHANNEL_COMMANDS: ReadonlySet<string> = new Set(['connect', 'myevents', 'getvar', 'resume', 'filter', 'divert_events', 'sendmsg', 'exit']);

/** Parses `host[:port][/path] [async] [full]` (alternatives after `|` are ignored). Default port 8084. */
export function parseSocketTarget(data: string): { host: string; port: number; mode: OutboundMode } | undefined {
  const [target = '', ...flags] = data.trim().split(/\s+/);
  const first = target.split('|')[0]!.split('/')[0]!;
  const m = /^(.+?)(?::(\d+))?$/.exec(first);
  if (!m) return undefined;
  return { host: m[1]!, port: m[2] ? Number(m[2]) : 8084, mode: { async: flags.includes('async'), full: flags.includes('full') } };
}
