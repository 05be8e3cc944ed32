// Typed call-control functions over one switch connection. Every command goes out as `bgapi` with a Job-UUID derived
// from the caller's commandId (a retried command reuses its Job-UUID) and a timeout; every value is validated or
// quoted (command-values.ts); every reply maps to a result or a coded error (replies.ts).
import { uuidV5 } from '../../../domain/ids/deterministic-id.ts';
import type { SupervisorMode } from '../../../domain/call/call-schemas.ts';
import { LedgerlineError, isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import type { EslCommander } from '../connection/switch-connection.ts';
import {
  channelUuid,
  conferenceName,
  dialplanWord,
  digitRegex,
  directoryUser,
  displayName,
  gatewayName,
  hangupCause,
  mediaPath,
  playbackPath,
  phoneNumber,
  setvarValue,
  terminators,
  variableList,
  variableName,
} from './command-values.ts';
import { type OkReply, interpretReply } from './replies.ts';

/** Options every call-control function accepts. */
export interface CommandOptions {
  /** The engine's command id: makes the Job-UUID deterministic (a retry reuses it). */
  readonly commandId?: string;
  readonly timeoutMs?: number;
}

/** Where a leg is dialled. */
export type Endpoint =
  | { readonly kind: 'user'; readonly user: string }
  | { readonly kind: 'gateway'; readonly gateway: string; readonly number: string }
  | { readonly kind: 'loopback'; readonly number: string; readonly context?: string };

/** The dial string of an endpoint. */
export function dialString(e: Endpoint): string {
  switch (e.kind) {
    case 'user':
      return `user/${directoryUser(e.user)}`;
    case 'gateway':
      return `sofia/gateway/${gatewayName(e.gateway)}/${phoneNumber(e.number)}`;
    case 'loopback':
      return `loopback/${phoneNumber(e.number)}/${dialplanWord(e.context ?? 'default')}`;
  }
}

/** The Job-UUID of step `step` of a command (random when the caller gave no commandId). */
export function jobUuidFor(switchId: string, options: CommandOptions | undefined, step: string): string {
  return options?.commandId ? uuidV5(`esl-job|${switchId}|${options.commandId}|${step}`) : crypto.randomUUID();
}

async function run(esl: EslCommander, api: string, args: string, options: CommandOptions | undefined, step = api, details: Record<string, unknown> = {}): Promise<OkReply> {
  const body = await esl.bgapi(`${api} ${args}`, jobUuidFor(esl.switchId, options, step), options?.timeoutMs);
  return interpretReply(api, body, { switchId: esl.switchId, ...details });
}

// ---- legs ----------------------------------------------------------------------------------------------------------

export interface OriginateLegRequest extends CommandOptions {
  /** The new leg's uuid (origination_uuid): chosen by us so its events correlate before the job returns. */
  readonly legUuid: string;
  readonly endpoint: Endpoint;
  readonly callId: string;
  readonly role: 'agent' | 'consult' | 'supervisor' | 'outbound' | 'caller';
  readonly offerId?: string;
  readonly partyId?: string;
  readonly callerIdNumber?: string;
  readonly callerIdName?: string;
  /** Ring time before NO_ANSWER (originate_timeout), seconds. Default 20. */
  readonly ringTimeoutSec?: number;
  /** What the leg runs once answered (default park, so the engine bridges it). */
  readonly then?: { readonly app: 'park' } | { readonly app: 'conference'; readonly room: string } | { readonly app: 'eavesdrop'; readonly targetUuid: string };
  /** Extra channel variables (validated names and values). */
  readonly variables?: Readonly<Record<string, string>>;
}

/**
 * Originates a leg (agent, consult, supervisor, outbound) with our variables (ledgerline_call_id, _role, _offer_id)
 * and resolves with its uuid once it answered. A failure rejects with ESL_ORIGINATE_FAILED, details.cause = the
 * hangup cause (NO_ANSWER, USER_BUSY, CALL_REJECTED, USER_NOT_REGISTERED …).
 */
export async function originateLeg(esl: EslCommander, r: OriginateLegRequest): Promise<{ legUuid: string }> {
  const ring = r.ringTimeoutSec ?? 20;
  if (!Number.isInteger(ring) || ring < 1 || ring > 600) throw new LedgerlineError('ESL_INVALID_ARGUMENT', 'ringTimeoutSec must be 1–600', { ringTimeoutSec: ring });
  const vars: Array<[string, string]> = [
    ['origination_uuid', channelUuid(r.legUuid)],
    ['ledgerline_call_id', r.callId],
    ['ledgerline_role', r.role],
    ['originate_timeout', String(ring)],
    ['hangup_after_bridge', 'true'],
  ];
  if (r.offerId) vars.push(['ledgerline_offer_id', r.offerId]);
  if (r.partyId) vars.push(['ledgerline_party_id', r.partyId]);
  if (r.callerIdNumber) vars.push(['origination_caller_id_number', phoneNumber(r.callerIdNumber)]);
  if (r.callerIdName !== undefined) vars.push(['origination_caller_id_name', displayName(r.callerIdName)]);
  const then = r.then ?? { app: 'park' };
  if (then.app === 'eavesdrop') vars.push(...eavesdropVariables(r.variables?.['ledgerline_supervisor_mode'] as SupervisorMode | undefined));
  for (const [k, v] of Object.entries(r.variables ?? {})) if (k !== 'ledgerline_supervisor_mode') vars.push([k, v]);
  const app = then.app === 'park' ? '&park()' : then.app === 'conference' ? `&conference(${conferenceName(then.room)})` : `&eavesdrop(${channelUuid(then.targetUuid)})`;
  const timeoutMs = r.timeoutMs ?? (ring + 10) * 1000;
  const reply = await run(esl, 'originate', `${variableList(vars)}${dialString(r.endpoint)} ${app}`, { ...r, timeoutMs }, 'originate', { legUuid: r.legUuid, callId: r.callId });
  return { legUuid: reply.text || r.legUuid };
}

/** `uuid_bridge A B`: A is the originator (CHANNEL_BRIDGE fires on A). */
export async function bridge(esl: EslCommander, aUuid: string, bUuid: string, options?: CommandOptions): Promise<void> {
  await run(esl, 'uuid_bridge', `${channelUuid(aUuid)} ${channelUuid(bUuid)}`, options, 'uuid_bridge', { aUuid, bUuid });
}

/** Blind transfer: `uuid_transfer <uuid> [-bleg|-both] <exten> <dialplan> <context>`. */
export async function blindTransfer(
  esl: EslCommander,
  uuid: string,
  to: { readonly exten: string; readonly dialplan?: string; readonly context?: string; readonly legs?: 'aleg' | 'bleg' | 'both' },
  options?: CommandOptions,
): Promise<void> {
  const flag = to.legs === 'bleg' ? '-bleg ' : to.legs === 'both' ? '-both ' : '';
  await run(esl, 'uuid_transfer', `${channelUuid(uuid)} ${flag}${dialplanWord(to.exten)} ${dialplanWord(to.dialplan ?? 'XML')} ${dialplanWord(to.context ?? 'default')}`, options, 'uuid_transfer', { uuid });
}

/** `uuid_kill <uuid> [cause]`. */
export async function hangup(esl: EslCommander, uuid: string, cause = 'NORMAL_CLEARING', options?: CommandOptions): Promise<void> {
  await run(esl, 'uuid_kill', `${channelUuid(uuid)} ${hangupCause(cause)}`, options, 'uuid_kill', { uuid });
}

/** `uuid_answer`. Its failure reply is the odd `-ERROR`, mapped to ESL_NO_SUCH_CHANNEL. */
export async function answer(esl: EslCommander, uuid: string, options?: CommandOptions): Promise<void> {
  await run(esl, 'uuid_answer', channelUuid(uuid), options, 'uuid_answer', { uuid });
}

/** `uuid_park`. */
export async function park(esl: EslCommander, uuid: string, options?: CommandOptions): Promise<void> {
  await run(esl, 'uuid_park', channelUuid(uuid), options, 'uuid_park', { uuid });
}

/** `uuid_setvar <uuid> <name> [value]` (no value unsets). */
export async function setVariable(esl: EslCommander, uuid: string, name: string, value: string | undefined, options?: CommandOptions): Promise<void> {
  const tail = value === undefined ? '' : ` ${setvarValue(value)}`;
  await run(esl, 'uuid_setvar', `${channelUuid(uuid)} ${variableName(name)}${tail}`, options, `uuid_setvar:${name}`, { uuid });
}

/** `uuid_getvar`: the value, or undefined for `_undef_`. */
export async function getVariable(esl: EslCommander, uuid: string, name: string, options?: CommandOptions): Promise<string | undefined> {
  const body = (await esl.bgapi(`uuid_getvar ${channelUuid(uuid)} ${variableName(name)}`, jobUuidFor(esl.switchId, options, `uuid_getvar:${name}`), options?.timeoutMs)).replace(/\n$/, '');
  if (body.startsWith('-ERR') || body.startsWith('-USAGE')) interpretReply('uuid_getvar', body, { uuid });
  return body === '_undef_' || body === '' ? undefined : body;
}

/** `uuid_exists`. */
export async function channelExists(esl: EslCommander, uuid: string, options?: CommandOptions): Promise<boolean> {
  const body = await esl.bgapi(`uuid_exists ${channelUuid(uuid)}`, jobUuidFor(esl.switchId, options, 'uuid_exists'), options?.timeoutMs);
  return body.trim() === 'true';
}

// ---- hold, media --------------------------------------------------------------------------------------------------

/**
 * Puts the customer on hold: `uuid_hold` on the AGENT's leg, because uuid_hold X plays music to X's partner (§8.9).
 * Fires CHANNEL_HOLD on the agent leg.
 */
export async function holdCustomer(esl: EslCommander, agentLegUuid: string, options?: CommandOptions): Promise<void> {
  await run(esl, 'uuid_hold', channelUuid(agentLegUuid), options, 'uuid_hold', { agentLegUuid });
}

/** Takes the customer off hold: `uuid_hold off` on the agent's leg. */
export async function resumeCustomer(esl: EslCommander, agentLegUuid: string, options?: CommandOptions): Promise<void> {
  await run(esl, 'uuid_hold', `off ${channelUuid(agentLegUuid)}`, options, 'uuid_hold_off', { agentLegUuid });
}

/** `uuid_broadcast <uuid> <path> [aleg|bleg|both]`: a prompt or music; replies `+OK Message sent`. */
export async function broadcast(esl: EslCommander, uuid: string, path: string, legs: 'aleg' | 'bleg' | 'both' = 'aleg', options?: CommandOptions): Promise<void> {
  await run(esl, 'uuid_broadcast', `${channelUuid(uuid)} ${mediaPath(path)} ${legs}`, options, 'uuid_broadcast', { uuid });
}

/** `uuid_break <uuid> [all]`: stops the playing prompt(s). */
export async function stopMedia(esl: EslCommander, uuid: string, all = false, options?: CommandOptions): Promise<void> {
  await run(esl, 'uuid_break', `${channelUuid(uuid)}${all ? ' all' : ''}`, options, 'uuid_break', { uuid });
}

/** Queues a dialplan app on a (parked) channel with our Event-UUID: `sendmsg` + `call-command: execute`. */
export async function executeApp(esl: EslCommander, uuid: string, app: string, arg: string, eventUuid: string, options?: CommandOptions): Promise<void> {
  const headers: Record<string, string> = {
    'call-command': 'execute',
    'execute-app-name': check(app),
    'execute-app-arg': arg,
    'Event-UUID': channelUuid(eventUuid),
    'event-lock': 'true',
  };
  const reply = await esl.command(`sendmsg ${channelUuid(uuid)}`, headers, options?.timeoutMs);
  interpretReply('sendmsg', reply, { uuid, app });
}

function check(app: string): string {
  if (!/^[a-z_][a-z0-9_]{0,63}$/.test(app)) throw new LedgerlineError('ESL_INVALID_ARGUMENT', 'Not a valid application name', { app });
  return app;
}

/** Plays one prompt through sendmsg; its CHANNEL_EXECUTE_COMPLETE carries Application-UUID = eventUuid. */
export async function playPrompt(esl: EslCommander, uuid: string, path: string, eventUuid: string, options?: CommandOptions): Promise<void> {
  await executeApp(esl, uuid, 'playback', playbackPath(path), eventUuid, options);
}

/** A digit collection (play_and_get_digits). */
export interface CollectDigitsRequest {
  readonly min: number;
  readonly max: number;
  readonly tries: number;
  readonly timeoutMs: number;
  readonly terminators?: string;
  readonly prompt: string;
  readonly invalidPrompt?: string;
  /** The channel variable receiving the digits (translator reads it from CHANNEL_EXECUTE_COMPLETE). Default `ledgerline_digits`. */
  readonly variable?: string;
  readonly regex?: string;
  readonly digitTimeoutMs?: number;
}

/** play_and_get_digits via sendmsg with our Event-UUID; the result is the CHANNEL_EXECUTE_COMPLETE (fact `execute_complete`, `digits`). */
export async function collectDigits(esl: EslCommander, uuid: string, r: CollectDigitsRequest, eventUuid: string, options?: CommandOptions): Promise<void> {
  const ints = [r.min, r.max, r.tries, r.timeoutMs, r.digitTimeoutMs ?? r.timeoutMs];
  if (!ints.every((n) => Number.isInteger(n) && n >= 0 && n <= 600_000) || r.min > r.max || r.max > 128 || r.min < 1) {
    throw new LedgerlineError('ESL_INVALID_ARGUMENT', 'Invalid digit collection limits', { min: r.min, max: r.max, tries: r.tries });
  }
  const arg = [
    r.min, r.max, r.tries, r.timeoutMs, terminators(r.terminators ?? '#') || 'none', mediaPath(r.prompt), mediaPath(r.invalidPrompt ?? 'silence_stream://250'),
    variableName(r.variable ?? 'ledgerline_digits'), digitRegex(r.regex ?? '\\d+'), r.digitTimeoutMs ?? r.timeoutMs,
  ].join(' ');
  await executeApp(esl, uuid, 'play_and_get_digits', arg, eventUuid, options);
}

// ---- recording ----------------------------------------------------------------------------------------------------

/** `uuid_record <uuid> start <path> [limitSec]`. RECORD_START follows when the first frame is written. */
export async function startRecording(esl: EslCommander, uuid: string, path: string, limitSec?: number, options?: CommandOptions): Promise<void> {
  const limit = limitSec === undefined ? '' : ` ${positiveInt(limitSec, 'limitSec')}`;
  await run(esl, 'uuid_record', `${channelUuid(uuid)} start ${mediaPath(path)}${limit}`, options, 'uuid_record_start', { uuid });
}

/** `uuid_record <uuid> stop <path|all>`. */
export async function stopRecording(esl: EslCommander, uuid: string, path: string | 'all', options?: CommandOptions): Promise<void> {
  await run(esl, 'uuid_record', `${channelUuid(uuid)} stop ${path === 'all' ? 'all' : mediaPath(path)}`, options, 'uuid_record_stop', { uuid });
}

/** PCI pause: `uuid_record <uuid> mask <path>` (silence written while masked). */
export async function maskRecording(esl: EslCommander, uuid: string, path: string, options?: CommandOptions): Promise<void> {
  await run(esl, 'uuid_record', `${channelUuid(uuid)} mask ${mediaPath(path)}`, options, 'uuid_record_mask', { uuid });
}

/** Ends the PCI pause: `uuid_record <uuid> unmask <path>`. */
export async function unmaskRecording(esl: EslCommander, uuid: string, path: string, options?: CommandOptions): Promise<void> {
  await run(esl, 'uuid_record', `${channelUuid(uuid)} unmask ${mediaPath(path)}`, options, 'uuid_record_unmask', { uuid });
}

function positiveInt(n: number, name: string): number {
  if (!Number.isInteger(n) || n <= 0) throw new LedgerlineError('ESL_INVALID_ARGUMENT', `${name} must be a positive integer`, { [name]: n });
  return n;
}

// ---- supervisor ---------------------------------------------------------------------------------------------------

/** Eavesdrop start-up variables: listen = silent; whisper = heard by the agent only (mode 2); barge = heard by both (mode 3). */
export function eavesdropVariables(mode: SupervisorMode | undefined): Array<[string, string]> {
  switch (mode ?? 'listen') {
    case 'listen':
      return [['eavesdrop_enable_dtmf', 'false']];
    case 'whisper':
      return [['eavesdrop_whisper_bleg', 'true'], ['eavesdrop_enable_dtmf', 'false']];
    case 'barge':
      return [['eavesdrop_whisper_aleg', 'true'], ['eavesdrop_whisper_bleg', 'true'], ['eavesdrop_enable_dtmf', 'false']];
  }
}

/** Calls a supervisor's phone into `eavesdrop(<agent leg>)` in the given mode. Eavesdrop the agent's leg to coach. */
export async function joinSupervisor(
  esl: EslCommander,
  r: CommandOptions & { readonly legUuid: string; readonly endpoint: Endpoint; readonly callId: string; readonly supervisorId: string; readonly agentLegUuid: string; readonly mode: SupervisorMode },
): Promise<{ legUuid: string }> {
  return originateLeg(esl, {
    ...r,
    role: 'supervisor',
    partyId: r.supervisorId,
    then: { app: 'eavesdrop', targetUuid: r.agentLegUuid },
    variables: { ledgerline_supervisor_mode: r.mode },
  });
}

// ---- consult (attended transfer) and conference -------------------------------------------------------------------

/**
 * Starts a consultation: the caller is parked when its bridge breaks (park_after_bridge), a consult leg C is called,
 * then agent B is bridged to C and the caller hears music.
 */
export async function startConsult(
  esl: EslCommander,
  r: CommandOptions & { readonly callerUuid: string; readonly agentLegUuid: string; readonly consultLegUuid: string; readonly endpoint: Endpoint; readonly callId: string; readonly consultId: string; readonly holdMusic?: string; readonly ringTimeoutSec?: number },
): Promise<void> {
  await setVariable(esl, r.callerUuid, 'park_after_bridge', 'true', sub(r, 'park_after_bridge'));
  await originateLeg(esl, { ...sub(r, 'consult_leg'), legUuid: r.consultLegUuid, endpoint: r.endpoint, callId: r.callId, role: 'consult', partyId: r.consultId, ringTimeoutSec: r.ringTimeoutSec });
  await bridge(esl, r.agentLegUuid, r.consultLegUuid, sub(r, 'bridge_agent_consult'));
  await broadcast(esl, r.callerUuid, r.holdMusic ?? 'local_stream://moh', 'aleg', sub(r, 'moh'));
}

/** Completes a consultation as a transfer: caller ↔ consult leg, the first agent's leg ends (ATTENDED_TRANSFER). */
export async function completeConsultTransfer(esl: EslCommander, r: CommandOptions & { readonly callerUuid: string; readonly agentLegUuid: string; readonly consultLegUuid: string }): Promise<void> {
  await bridge(esl, r.callerUuid, r.consultLegUuid, sub(r, 'bridge_caller_consult'));
  await ignoreGone(hangup(esl, r.agentLegUuid, 'ATTENDED_TRANSFER', sub(r, 'kill_agent')));
}

/** Cancels a consultation: caller ↔ first agent again, the consult leg ends. */
export async function cancelConsult(esl: EslCommander, r: CommandOptions & { readonly callerUuid: string; readonly agentLegUuid: string; readonly consultLegUuid: string }): Promise<void> {
  await bridge(esl, r.callerUuid, r.agentLegUuid, sub(r, 'bridge_caller_agent'));
  await ignoreGone(hangup(esl, r.consultLegUuid, 'NORMAL_CLEARING', sub(r, 'kill_consult')));
}

/** Moves a bridged pair into a conference room (`uuid_transfer <uuid> -both 'conference:<room>' inline`). */
export async function moveToConference(esl: EslCommander, uuid: string, room: string, both: boolean, options?: CommandOptions): Promise<void> {
  const flag = both ? '-both ' : '';
  await run(esl, 'uuid_transfer', `${channelUuid(uuid)} ${flag}'conference:${conferenceName(room)}' inline`, options, 'uuid_transfer_conference', { uuid });
}

/** Completes a consultation as a three-way call: agent and consult leg (bridged) and the caller join one room. */
export async function completeConsultConference(esl: EslCommander, r: CommandOptions & { readonly callerUuid: string; readonly agentLegUuid: string; readonly room: string }): Promise<void> {
  await moveToConference(esl, r.agentLegUuid, r.room, true, sub(r, 'conference_agents'));
  await moveToConference(esl, r.callerUuid, r.room, false, sub(r, 'conference_caller'));
}

/** Dials a party straight into a conference room. */
export async function addConferenceParty(
  esl: EslCommander,
  r: CommandOptions & { readonly legUuid: string; readonly endpoint: Endpoint; readonly callId: string; readonly partyId: string; readonly room: string; readonly ringTimeoutSec?: number },
): Promise<{ legUuid: string }> {
  return originateLeg(esl, { ...r, role: 'consult', then: { app: 'conference', room: r.room } });
}

/** `conference <room> hup <member-id|last|all>`. */
export async function removeConferenceMember(esl: EslCommander, room: string, member: number | 'last' | 'all', options?: CommandOptions): Promise<void> {
  const m = typeof member === 'number' ? String(positiveInt(member, 'member')) : member;
  const body = await esl.bgapi(`conference ${conferenceName(room)} hup ${m}`, jobUuidFor(esl.switchId, options, 'conference_hup'), options?.timeoutMs);
  if (body.startsWith('-ERR')) interpretReply('conference', body, { room });
}

function sub(o: CommandOptions, step: string): CommandOptions {
  return { commandId: o.commandId ? `${o.commandId}/${step}` : undefined, timeoutMs: o.timeoutMs };
}

async function ignoreGone(p: Promise<void>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!isLedgerlineError(e, 'ESL_NO_SUCH_CHANNEL')) throw e;
  }
}
