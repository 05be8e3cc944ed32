// Byte-exact server frames of mod_event_socket (LF only; header order per frame type, reference §1.1).
import type { FsEvent } from '../events/fs-event.ts';
import { type EventFormat, serializeEvent } from './serialize-event.ts';

/** The 67-byte goodbye FreeSWITCH sends on exit, failed auth and any listener shutdown. */
export const GOODBYE_TEXT = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';

export const authRequestFrame = (): string => 'Content-Type: auth/request\n\n';

/** `command/reply`: no body, no Content-Length; `extra` lines follow Reply-Text verbatim (bgapi's Job-UUID). */
export function commandReplyFrame(replyText: string, extra: ReadonlyArray<readonly [string, string]> = []): string {
  return `Content-Type: command/reply\nReply-Text: ${replyText}\n${extra.map(([n, v]) => `${n}: ${v}\n`).join('')}\n`;
}

/** `api/response`: Content-Type first, then Content-Length in bytes. */
export function apiResponseFrame(body: string): string {
  return `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body, 'utf8')}\n\n${body}`;
}

/** An event frame: Content-Length first (unlike api/response). */
export function eventFrame(event: FsEvent, format: EventFormat): string {
  const payload = serializeEvent(event, format);
  return `Content-Length: ${Buffer.byteLength(payload, 'utf8')}\nContent-Type: text/event-${format}\n\n${payload}`;
}

/** `text/disconnect-notice`; with a controlled session it names it and says `Content-Disposition: disconnect`. */
export function disconnectNoticeFrame(text: string = GOODBYE_TEXT, controlledSessionUuid?: string): string {
  const session = controlledSessionUuid ? `Controlled-Session-UUID: ${controlledSessionUuid}\nContent-Disposition: disconnect\n` : '';
  return `Content-Type: text/disconnect-notice\n${session}Content-Length: ${Buffer.byteLength(text, 'utf8')}\n\n${text}`;
}

/** The linger notice sent when a lingering controlled session hangs up. */
export function lingerNoticeFrame(uuid: string, channelName: string, lingerSeconds: number): string {
  return `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${uuid}\nContent-Disposition: linger\nChannel-Name: ${channelName}\nLinger-Time: ${lingerSeconds}\nContent-Length: 0\n\n`;
}

/** ACL rejection (not used by default: the simulator accepts every client). */
export const rudeRejectionFrame = (): string => 'Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n';
