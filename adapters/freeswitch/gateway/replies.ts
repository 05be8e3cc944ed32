// FreeSWITCH API reply bodies → typed results or coded errors. The reply strings are the ones of reference §4,
// including the odd ones (`-ERROR` from uuid_answer, `+OK Success`, `+OK Message sent`, `-USAGE: …`).
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';

/** A successful reply: the text after `+OK` (may be empty). */
export interface OkReply {
  readonly ok: true;
  readonly text: string;
}

const NO_SUCH_CHANNEL = [
  /^-ERR No such channel!?/i,
  /^-ERR Invalid uuid/i,
  /^-ERR Cannot locate session!?/i,
  /^-ERR invalid session id/i,
  /^-ERROR$/,
];

/**
 * Interprets the body of `api <command>` / the BACKGROUND_JOB of `bgapi <command>`. `command` is the API name only
 * (never the arguments, which may hold caller data) and goes into the error details.
 */
export function interpretReply(command: string, body: string, details: Record<string, unknown> = {}): OkReply {
  const text = body.replace(/\n+$/, '');
  if (text.startsWith('+OK')) return { ok: true, text: text.slice(3).trim() };
  if (text.startsWith('-USAGE')) throw new LedgerlineError('ESL_USAGE', `${command}: ${text}`, { command, reply: text, ...details });
  if (NO_SUCH_CHANNEL.some((re) => re.test(text))) {
    throw new LedgerlineError('ESL_NO_SUCH_CHANNEL', `${command}: ${text}`, { command, reply: text, ...details });
  }
  if (command === 'originate' && text.startsWith('-ERR')) {
    const cause = text.slice(4).trim().split(/\s+/)[0] || 'UNKNOWN';
    throw new LedgerlineError('ESL_ORIGINATE_FAILED', `originate failed: ${cause}`, { command, cause, reply: text, ...details });
  }
  throw new LedgerlineError('ESL_COMMAND_FAILED', `${command}: ${text === '' ? '(empty reply)' : text}`, { command, reply: text, ...details });
}
