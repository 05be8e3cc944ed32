// Every value that goes into an ESL command string passes through here: validated against a strict shape, or quoted,
// or (display names only) cleaned. A caller name or a variable can then never end the command line, add an originate
// variable, start FreeSWITCH `${…}` expansion (which can run API commands) or split into extra arguments.
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';

function check(kind: string, value: string, pattern: RegExp): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new LedgerlineError('ESL_INVALID_ARGUMENT', `Not a valid ${kind} for a FreeSWITCH command`, { kind, value: String(value).slice(0, 80) });
  }
  return value;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A channel UUID (canonical 8-4-4-4-12 form). */
export const channelUuid = (v: string): string => check('channel uuid', v, UUID);
/** A channel variable name. */
export const variableName = (v: string): string => check('variable name', v, /^[A-Za-z_][A-Za-z0-9_]{0,63}$/);
/** A hangup cause name (NORMAL_CLEARING, USER_BUSY …). */
export const hangupCause = (v: string): string => check('hangup cause', v, /^[A-Z][A-Z0-9_]{0,47}$/);
/** A directory user (agent extension). */
export const directoryUser = (v: string): string => check('directory user', v, /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/);
/** A phone number or extension. */
export const phoneNumber = (v: string): string => check('phone number', v, /^\+?[0-9A-Za-z*#_.-]{1,64}$/);
/** A dialplan extension, context or dialplan name. */
export const dialplanWord = (v: string): string => check('dialplan word', v, /^[A-Za-z0-9_+*#.-]{1,64}$/);
/** A sofia gateway or profile name. */
export const gatewayName = (v: string): string => check('gateway name', v, /^[A-Za-z0-9_.-]{1,64}$/);
/** A conference room name (optionally `room@profile`). */
export const conferenceName = (v: string): string => check('conference name', v, /^[A-Za-z0-9_.-]{1,64}(@[A-Za-z0-9_.-]{1,64})?$/);
/** DTMF digits (w = wait). */
export const dtmfDigits = (v: string): string => check('DTMF digits', v, /^[0-9*#A-Da-dwW]{1,64}$/);
/** Terminator keys for digit collection. */
export const terminators = (v: string): string => check('terminators', v, /^[0-9*#]{0,4}$|^none$/);

/**
 * A media or recording path: no spaces (uuid_broadcast and uuid_record split on them), no quotes or braces, no `${`.
 * Allows file paths and the stream URLs FreeSWITCH knows (local_stream://moh, tone_stream://%(250,0,440), silence_stream://1000).
 */
export function mediaPath(v: string): string {
  check('media path', v, /^[A-Za-z0-9_\-./:@%(),;=+~]{1,512}$/);
  if (v.includes('${') || v.includes('$${')) throw new LedgerlineError('ESL_INVALID_ARGUMENT', 'Not a valid media path for a FreeSWITCH command', { kind: 'media path' });
  return v;
}

/**
 * What `playback` plays, sent as a sendmsg header (so spaces are safe there): a media path, or `say:<text>` — spoken
 * by the channel's TTS engine (`tts_engine`/`tts_voice`) — whose text may hold spaces and punctuation but no line
 * break, quote, brace, `$` or backslash.
 */
export function playbackPath(v: string): string {
  if (typeof v === 'string' && v.startsWith('say:')) return check('spoken text', v, /^say:[^\r\n\0'"{}[\]<>^`|\\$]{1,1000}$/);
  return mediaPath(v);
}

/** A regular expression for play_and_get_digits (no spaces: the app splits its arguments on them). */
export const digitRegex = (v: string): string => check('digit regex', v, /^[A-Za-z0-9\\^$|()[\]{},.*+?#-]{1,128}$/);

const UNSAFE_IN_VALUE = /[\r\n\0'"{}[\]<>^`|\\$]/;

/**
 * A channel variable value inside an originate `{…}` list or uuid_setvar: rejected if it holds characters that could
 * break out of the list (quotes, braces, brackets, pipes, `$` expansion, line breaks); wrapped in single quotes when it
 * holds a comma or a space.
 */
export function variableValue(v: string): string {
  if (typeof v !== 'string' || v.length > 512 || UNSAFE_IN_VALUE.test(v)) {
    throw new LedgerlineError('ESL_INVALID_ARGUMENT', 'Not a valid channel variable value for a FreeSWITCH command', { kind: 'variable value', value: String(v).slice(0, 80) });
  }
  return /[\s,]/.test(v) ? `'${v}'` : v;
}

/** A value for `uuid_setvar <uuid> <name> <value>` (the rest of the line is the value): same rules, never quoted. */
export function setvarValue(v: string): string {
  if (typeof v !== 'string' || v.length > 512 || UNSAFE_IN_VALUE.test(v)) {
    throw new LedgerlineError('ESL_INVALID_ARGUMENT', 'Not a valid channel variable value for a FreeSWITCH command', { kind: 'variable value', value: String(v).slice(0, 80) });
  }
  return v;
}

/** A display name (caller id name): characters that are unsafe anywhere are replaced, never rejected (O'Brien → O Brien). */
export function displayName(v: string): string {
  const cleaned = v.replace(/[\r\n\0'"{}[\]<>^`|\\$,]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 64);
  return cleaned === '' ? 'Unknown' : cleaned;
}

/** `{a=1,b='x y'}` from pairs (names and values validated). */
export function variableList(vars: Iterable<readonly [string, string]>): string {
  const parts: string[] = [];
  for (const [name, value] of vars) parts.push(`${variableName(name)}=${variableValue(value)}`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}
