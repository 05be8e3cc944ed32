// An order checker for ESL event streams, written from shared/reference/freeswitch-esl.md alone (§ numbers below
// refer to it). It imports nothing from the simulator on purpose: it judges the simulator (or a capture from a real
// switch) against the reference, so it must not share the simulator's assumptions. Input is what a client decodes
// from `event json ALL`: one header map per event, in delivery order.

/** One decoded event: header name → value (JSON events may carry an array for a repeated header). */
export type EventHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A broken rule: which, where (section of the reference), on which leg, at which index of the input. */
export interface OrderViolation {
  rule: string;
  section: string;
  uuid?: string;
  index: number;
  message: string;
}

/** Options of checkCall. */
export interface CallCheckOptions {
  /** Every leg must have ended (CREATE … HANGUP, HANGUP_COMPLETE, DESTROY). Default true. */
  complete?: boolean;
}

/** The value of a header (the first one when repeated). */
export function header(e: EventHeaders, name: string): string | undefined {
  const v = e[name];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : v[0];
}

const nameOf = (e: EventHeaders): string => header(e, 'Event-Name') ?? '';
const seqOf = (e: EventHeaders): number => Number(header(e, 'Event-Sequence') ?? Number.NaN);
const uuidOf = (e: EventHeaders): string | undefined => header(e, 'Unique-ID');

/** Channel-State-Number values (§2.2 lists the CS_* names in enum order; CS_DESTROY = 12 per §8.5). */
const STATE_NUMBER: Readonly<Record<string, number>> = {
  CS_NEW: 0, CS_INIT: 1, CS_ROUTING: 2, CS_SOFT_EXECUTE: 3, CS_EXECUTE: 4, CS_EXCHANGE_MEDIA: 5, CS_PARK: 6,
  CS_CONSUME_MEDIA: 7, CS_HIBERNATE: 8, CS_RESET: 9, CS_HANGUP: 10, CS_REPORTING: 11, CS_DESTROY: 12,
};

const VALID_NUMBERS = new Set(Object.values(STATE_NUMBER));

/** Events that carry no `variable_*` headers by default (§2.2 list, §8.6). */
const NO_VARIABLES = new Set(['CHANNEL_STATE', 'CHANNEL_CALLSTATE', 'DTMF']);

/**
 * What a leg may still fire once CHANNEL_HANGUP is out: the unwinding of its bridge, park and apps, then the tail
 * (§3.1 "caller hangs up while parked": HANGUP → UNPARK → EXECUTE_COMPLETE(park) → tail; §3.2 tail: CS_HANGUP,
 * RECORD_STOP, CALLSTATE HANGUP, CS_REPORTING, HANGUP_COMPLETE, DESTROY). Media that was playing stops
 * (PLAYBACK_STOP, MEDIA_BUG_STOP), and CUSTOM module events (a conference member leaving) may follow.
 */
const AFTER_HANGUP = new Set([
  'CHANNEL_UNBRIDGE', 'CHANNEL_UNPARK', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_STATE', 'CHANNEL_CALLSTATE', 'RECORD_STOP',
  'PLAYBACK_STOP', 'MEDIA_BUG_STOP', 'CUSTOM', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY',
]);

class Report {
  readonly violations: OrderViolation[] = [];
  add(rule: string, section: string, index: number, message: string, uuid?: string): void {
    this.violations.push({ rule, section, index, message, ...(uuid ? { uuid } : {}) });
  }
}

/**
 * Rules that one event must satisfy on its own (usable on single real dumps): state names and numbers, variables,
 * CDR values, bridge headers.
 */
export function checkEvent(e: EventHeaders, index = 0): OrderViolation[] {
  const r = new Report();
  eventRules(e, index, r);
  return r.violations;
}

function eventRules(e: EventHeaders, i: number, r: Report): void {
  const name = nameOf(e);
  const uuid = uuidOf(e);
  const state = header(e, 'Channel-State');
  const stateNo = header(e, 'Channel-State-Number');
  if (stateNo !== undefined && !VALID_NUMBERS.has(Number(stateNo))) r.add('state-number-range', '§2.2', i, `${name}: Channel-State-Number ${stateNo} is not a CS_* value`, uuid);
  if (state !== undefined && !(state in STATE_NUMBER)) r.add('state-name', '§2.2', i, `${name}: unknown Channel-State ${state}`, uuid);
  // §8.5 / §2.3: CHANNEL_CREATE shows CS_INIT with the already requested CS_ROUTING (2).
  if (name === 'CHANNEL_CREATE') {
    if (state !== 'CS_INIT' || stateNo !== '2') r.add('create-state', '§2.3, §8.5', i, `CHANNEL_CREATE with ${state}/${stateNo}, expected CS_INIT/2`, uuid);
    if (header(e, 'Channel-Call-State') !== 'DOWN') r.add('create-callstate', '§3.1', i, `CHANNEL_CREATE with call state ${header(e, 'Channel-Call-State')}, expected DOWN`, uuid);
  }
  // §8.5 / §2.3: CHANNEL_DESTROY keeps the running state CS_REPORTING with the target CS_DESTROY (12).
  if (name === 'CHANNEL_DESTROY' && (state !== 'CS_REPORTING' || stateNo !== '12')) r.add('destroy-state', '§2.3, §8.5', i, `CHANNEL_DESTROY with ${state}/${stateNo}, expected CS_REPORTING/12`, uuid);
  // §2.3: HANGUP_COMPLETE fires in CS_REPORTING with call state HANGUP and carries Hangup-Cause.
  if (name === 'CHANNEL_HANGUP_COMPLETE') {
    if (state !== 'CS_REPORTING') r.add('hangup-complete-state', '§2.3', i, `CHANNEL_HANGUP_COMPLETE in ${state}, expected CS_REPORTING`, uuid);
    if (header(e, 'Channel-Call-State') !== 'HANGUP') r.add('hangup-complete-callstate', '§2.3', i, `CHANNEL_HANGUP_COMPLETE with call state ${header(e, 'Channel-Call-State')}`, uuid);
    if (!header(e, 'Hangup-Cause')) r.add('hangup-cause', '§2.3', i, 'CHANNEL_HANGUP_COMPLETE without Hangup-Cause', uuid);
  }
  // §2.3: CHANNEL_HANGUP fires as the hangup starts: the running state is still the previous one, Answer-State
  // hangup, a cause set; the target state (Channel-State-Number, §8.5) is already CS_HANGUP [DERIVED].
  if (name === 'CHANNEL_HANGUP') {
    if (state === 'CS_HANGUP' || state === 'CS_REPORTING' || state === 'CS_DESTROY') r.add('hangup-running-state', '§2.3', i, `CHANNEL_HANGUP already in ${state}`, uuid);
    if (stateNo !== String(STATE_NUMBER.CS_HANGUP)) r.add('hangup-target-state', '§8.5, §2.3', i, `CHANNEL_HANGUP with Channel-State-Number ${stateNo}, expected 10 (CS_HANGUP requested)`, uuid);
    if (header(e, 'Answer-State') !== 'hangup') r.add('hangup-answer-state', '§2.3', i, `CHANNEL_HANGUP with Answer-State ${header(e, 'Answer-State')}`, uuid);
    if (!header(e, 'Hangup-Cause')) r.add('hangup-cause', '§2.3', i, 'CHANNEL_HANGUP without Hangup-Cause', uuid);
    // §2.2 / §8.6: the CDR timings are set in the hangup state handler, after this event.
    if (header(e, 'variable_billsec') !== undefined || header(e, 'variable_duration') !== undefined) r.add('hangup-no-cdr', '§2.2, §8.6', i, 'CHANNEL_HANGUP carries billsec/duration', uuid);
  }
  // §2.2 / §8.6: no variables on DTMF, CHANNEL_STATE, CHANNEL_CALLSTATE.
  if (NO_VARIABLES.has(name) && Object.keys(e).some((k) => k.startsWith('variable_'))) r.add('no-variables', '§2.2, §8.6', i, `${name} carries variable_* headers`, uuid);
  // §2.3: ANSWER shows Answer-State answered.
  if (name === 'CHANNEL_ANSWER' && header(e, 'Answer-State') !== 'answered') r.add('answer-state', '§2.3', i, `CHANNEL_ANSWER with Answer-State ${header(e, 'Answer-State')}`, uuid);
  // §2.3 / §8.7: BRIDGE and UNBRIDGE fire on the originator (A) leg: Unique-ID = Bridge-A-Unique-ID when present.
  if (name === 'CHANNEL_BRIDGE' || name === 'CHANNEL_UNBRIDGE') {
    const a = header(e, 'Bridge-A-Unique-ID');
    if (a !== undefined && a !== uuid) r.add('bridge-on-a-leg', '§2.3, §8.7', i, `${name} on ${uuid} but Bridge-A-Unique-ID is ${a}`, uuid);
    if (name === 'CHANNEL_BRIDGE' && !header(e, 'Bridge-B-Unique-ID')) r.add('bridge-headers', '§2.3', i, 'CHANNEL_BRIDGE without Bridge-B-Unique-ID', uuid);
    const other = header(e, 'Other-Leg-Unique-ID');
    if (name === 'CHANNEL_BRIDGE' && other !== undefined && other !== header(e, 'Bridge-B-Unique-ID')) r.add('bridge-other-leg', '§3.2', i, `CHANNEL_BRIDGE Other-Leg-Unique-ID ${other} ≠ Bridge-B-Unique-ID`, uuid);
  }
  // §2.3 CHANNEL_CALLSTATE: Original-Channel-Call-State, then the new state; a change, never a repeat.
  if (name === 'CHANNEL_CALLSTATE') {
    const from = header(e, 'Original-Channel-Call-State');
    if (from === undefined) r.add('callstate-original', '§2.3', i, 'CHANNEL_CALLSTATE without Original-Channel-Call-State', uuid);
    else if (from === header(e, 'Channel-Call-State')) r.add('callstate-change', '§2.3', i, `CHANNEL_CALLSTATE ${from}->${from} is no change`, uuid);
  }
  // §2.2: billsec = hangup − answered ≤ duration = hangup − created; billsec 0 when never answered (§3.3).
  const billsec = header(e, 'variable_billsec');
  const duration = header(e, 'variable_duration');
  if (billsec !== undefined && duration !== undefined) {
    if (Number(billsec) > Number(duration)) r.add('billsec-le-duration', '§2.2', i, `billsec ${billsec} > duration ${duration}`, uuid);
    const answered = Number(header(e, 'Caller-Channel-Answered-Time') ?? '0');
    if (answered === 0 && Number(billsec) !== 0) r.add('billsec-unanswered', '§2.2, §3.3', i, `never answered but billsec ${billsec}`, uuid);
  }
}

/** Per-leg bookkeeping while walking its events in delivery order. */
interface LegWalk {
  created: number;
  answered: number;
  hangup: number;
  complete: number;
  destroyed: number;
  bridged: boolean;
  parked: boolean;
  held: boolean;
  callState: string;
  sawCallState: boolean;
  lastRunning?: string;
  lastSeq: number;
  apps: Map<string, 'running' | 'complete'>;
  /** An EXECUTE of uuid_bridge/bridge since the last bridge ended (§3.2, §3.8). */
  bridgeExecuted: boolean;
  records: Map<string, number>;
  playbacks: Map<string, number>;
}

/**
 * Rules on one leg's own events, in the order the client received them (§3.0: one channel's events come out in the
 * order its session thread fires them).
 */
export function checkLeg(events: readonly EventHeaders[], options: CallCheckOptions = {}): OrderViolation[] {
  const r = new Report();
  legRules(events, options.complete ?? true, r);
  return r.violations;
}

function legRules(events: readonly EventHeaders[], complete: boolean, r: Report): void {
  const uuid = events[0] ? uuidOf(events[0]) : undefined;
  const w: LegWalk = {
    created: -1, answered: -1, hangup: -1, complete: -1, destroyed: -1, bridged: false, parked: false, held: false,
    callState: 'DOWN', sawCallState: false, lastSeq: Number.NEGATIVE_INFINITY, apps: new Map(), bridgeExecuted: false, records: new Map(), playbacks: new Map(),
  };
  const once = (field: 'created' | 'answered' | 'hangup' | 'complete' | 'destroyed', name: string, i: number, section: string): void => {
    if (w[field] >= 0) r.add('once', section, i, `a second ${name}`, uuid);
    else w[field] = i;
  };
  events.forEach((e, i) => {
    const name = nameOf(e);
    eventRules(e, i, r);
    // §3.0 + §2.6: one channel's events leave in the order they were created, and Event-Sequence counts creation.
    const seq = seqOf(e);
    if (!(seq > w.lastSeq)) r.add('leg-sequence', '§3.0, §2.6', i, `Event-Sequence ${seq} after ${w.lastSeq} on the same leg`, uuid);
    w.lastSeq = seq;
    // §2.3 CHANNEL_DESTROY: the last event for the UUID.
    if (w.destroyed >= 0) r.add('destroy-last', '§2.3', i, `${name} after CHANNEL_DESTROY`, uuid);
    // §3.1 / §3.2 / §2.3: [CHANNEL_STATE CS_INIT] and CHANNEL_OUTGOING may precede CHANNEL_CREATE; nothing else.
    if (w.created < 0 && name !== 'CHANNEL_CREATE') {
      const allowed = name === 'CHANNEL_OUTGOING' || (name === 'CHANNEL_STATE' && header(e, 'Channel-State') === 'CS_INIT');
      if (!allowed) r.add('create-first', '§3.1, §3.2, §2.3', i, `${name} before CHANNEL_CREATE`, uuid);
    }
    // §3.1 / §3.2 tail: once hanging up, a leg only unwinds.
    if (w.hangup >= 0 && name !== 'CHANNEL_HANGUP' && !AFTER_HANGUP.has(name)) r.add('after-hangup', '§3.1, §3.2', i, `${name} after CHANNEL_HANGUP`, uuid);
    switch (name) {
      case 'CHANNEL_CREATE':
        once('created', name, i, '§3.1');
        break;
      case 'CHANNEL_OUTGOING':
        // §2.3 / §3.2: CHANNEL_OUTGOING announces a new outgoing leg: never after its CHANNEL_CREATE.
        if (w.created >= 0) r.add('outgoing-first', '§2.3, §3.2', i, 'CHANNEL_OUTGOING after CHANNEL_CREATE', uuid);
        break;
      case 'CHANNEL_PROGRESS':
      case 'CHANNEL_PROGRESS_MEDIA':
        // §3.1 / §3.2: ring_ready / pre_answer (180/183) come before the answer.
        if (w.answered >= 0) r.add('progress-before-answer', '§3.1, §3.2', i, `${name} after CHANNEL_ANSWER`, uuid);
        break;
      case 'CHANNEL_ANSWER':
        once('answered', name, i, '§3.1, §3.2');
        break;
      case 'CHANNEL_STATE': {
        // §3.0: CHANNEL_STATE fires on every running-state *change*.
        const s = header(e, 'Channel-State');
        if (s !== undefined && s === w.lastRunning) r.add('state-change', '§3.0', i, `CHANNEL_STATE ${s} repeated`, uuid);
        w.lastRunning = s;
        break;
      }
      case 'CHANNEL_CALLSTATE': {
        // §2.3: Original-Channel-Call-State is the state the leg was in (the chain starts at DOWN, §3.1).
        const from = header(e, 'Original-Channel-Call-State');
        if (from !== undefined && from !== w.callState) r.add('callstate-chain', '§2.3, §3.1', i, `CALLSTATE from ${from}, but the leg was ${w.callState}`, uuid);
        w.callState = header(e, 'Channel-Call-State') ?? w.callState;
        w.sawCallState = true;
        break;
      }
      case 'CHANNEL_BRIDGE':
        // §3.2: the A leg is answered before it is bridged; §3.2/§3.4: bridge and unbridge alternate.
        if (w.answered < 0) r.add('answer-before-bridge', '§3.2', i, 'CHANNEL_BRIDGE before CHANNEL_ANSWER', uuid);
        // §3.2 / §3.8: the bridge is the work of an application: CHANNEL_EXECUTE uuid_bridge (or bridge) comes first.
        if (!w.bridgeExecuted) r.add('bridge-after-execute', '§3.2, §3.8', i, 'CHANNEL_BRIDGE without a CHANNEL_EXECUTE of uuid_bridge/bridge before it', uuid);
        w.bridgeExecuted = false;
        if (w.bridged) r.add('bridge-pairing', '§3.2, §3.4', i, 'CHANNEL_BRIDGE while already bridged', uuid);
        w.bridged = true;
        break;
      case 'CHANNEL_UNBRIDGE':
        if (!w.bridged) r.add('bridge-pairing', '§3.2, §3.4', i, 'CHANNEL_UNBRIDGE without a bridge', uuid);
        w.bridged = false;
        break;
      case 'CHANNEL_PARK':
        // §3.1 / §3.2: PARK and UNPARK pair up.
        if (w.parked) r.add('park-pairing', '§3.1, §3.2', i, 'CHANNEL_PARK while parked', uuid);
        w.parked = true;
        break;
      case 'CHANNEL_UNPARK':
        if (!w.parked) r.add('park-pairing', '§3.1, §3.2', i, 'CHANNEL_UNPARK while not parked', uuid);
        w.parked = false;
        break;
      case 'CHANNEL_HOLD':
        // §3.6: hold, then unhold.
        if (w.held) r.add('hold-pairing', '§3.6', i, 'CHANNEL_HOLD while held', uuid);
        w.held = true;
        break;
      case 'CHANNEL_UNHOLD':
        if (!w.held) r.add('hold-pairing', '§3.6', i, 'CHANNEL_UNHOLD while not held', uuid);
        w.held = false;
        break;
      case 'CHANNEL_EXECUTE': {
        // §1.9 / §2.3: EXECUTE and EXECUTE_COMPLETE share the Application-UUID; uuid_bridge has no COMPLETE (§3.2).
        const id = header(e, 'Application-UUID');
        const app = header(e, 'Application');
        if (app === 'uuid_bridge' || app === 'bridge') w.bridgeExecuted = true;
        if (id !== undefined) {
          if (w.apps.has(id)) r.add('execute-pairing', '§1.9, §2.3', i, `a second CHANNEL_EXECUTE for Application-UUID ${id}`, uuid);
          w.apps.set(id, 'running');
        }
        break;
      }
      case 'CHANNEL_EXECUTE_COMPLETE': {
        const id = header(e, 'Application-UUID');
        if (id === undefined || w.apps.get(id) !== 'running') r.add('execute-pairing', '§1.9, §2.3', i, `CHANNEL_EXECUTE_COMPLETE for ${id ?? 'no Application-UUID'} without a running CHANNEL_EXECUTE`, uuid);
        else w.apps.set(id, 'complete');
        const app = header(e, 'Application');
        // §3.1: the answer app fires CHANNEL_ANSWER before it completes.
        if (app === 'answer' && w.answered < 0) r.add('answer-inside-app', '§3.1', i, 'EXECUTE_COMPLETE(answer) on a leg that never answered', uuid);
        // §3.1 / §3.2: a park app ends with CHANNEL_UNPARK, then its EXECUTE_COMPLETE.
        if (app === 'park' && w.parked) r.add('unpark-before-complete', '§3.1, §3.2', i, 'EXECUTE_COMPLETE(park) while still parked (no CHANNEL_UNPARK first)', uuid);
        // §3.7: a prompt's PLAYBACK_STOP comes before its app's EXECUTE_COMPLETE.
        if ((app === 'play_and_get_digits' || app === 'playback' || app === 'read') && [...w.playbacks.values()].some((n) => n > 0)) r.add('playback-inside-app', '§3.7', i, `EXECUTE_COMPLETE(${app}) with a playback still open`, uuid);
        break;
      }
      case 'RECORD_START': {
        // §2.3 / §3.2: RECORD_START, then RECORD_STOP for the same file (at the latest in the hangup tail).
        const path = header(e, 'Record-File-Path') ?? '';
        w.records.set(path, (w.records.get(path) ?? 0) + 1);
        break;
      }
      case 'RECORD_STOP': {
        const path = header(e, 'Record-File-Path') ?? '';
        const open = w.records.get(path) ?? 0;
        if (open <= 0) r.add('record-pairing', '§2.3, §3.2', i, `RECORD_STOP for ${path} without RECORD_START`, uuid);
        else w.records.set(path, open - 1);
        break;
      }
      case 'PLAYBACK_START': {
        // §2.3: one START/STOP pair per file.
        const path = header(e, 'Playback-File-Path') ?? '';
        w.playbacks.set(path, (w.playbacks.get(path) ?? 0) + 1);
        break;
      }
      case 'PLAYBACK_STOP': {
        const path = header(e, 'Playback-File-Path') ?? '';
        const open = w.playbacks.get(path) ?? 0;
        if (open <= 0) r.add('playback-pairing', '§2.3', i, `PLAYBACK_STOP for ${path} without PLAYBACK_START`, uuid);
        else w.playbacks.set(path, open - 1);
        break;
      }
      case 'CHANNEL_HANGUP':
        once('hangup', name, i, '§3.2');
        break;
      case 'CHANNEL_HANGUP_COMPLETE':
        // §3.2: HANGUP → HANGUP_COMPLETE → DESTROY; the recording bugs are closed before the CDR is reported.
        once('complete', name, i, '§3.2');
        if (w.hangup < 0) r.add('hangup-order', '§3.2', i, 'CHANNEL_HANGUP_COMPLETE before CHANNEL_HANGUP', uuid);
        for (const [path, open] of w.records) if (open > 0) r.add('record-pairing', '§3.2', i, `recording ${path} still open at CHANNEL_HANGUP_COMPLETE`, uuid);
        if (w.sawCallState && w.callState !== 'HANGUP') r.add('callstate-hangup', '§3.2', i, `CHANNEL_HANGUP_COMPLETE while the call state chain is at ${w.callState}`, uuid);
        if (w.bridged) r.add('bridge-pairing', '§3.2', i, 'CHANNEL_HANGUP_COMPLETE while still bridged (no CHANNEL_UNBRIDGE)', uuid);
        if (w.parked) r.add('park-pairing', '§3.1', i, 'CHANNEL_HANGUP_COMPLETE while still parked (no CHANNEL_UNPARK)', uuid);
        if (header(e, 'variable_billsec') === undefined || header(e, 'variable_duration') === undefined) r.add('cdr-present', '§2.2', i, 'CHANNEL_HANGUP_COMPLETE without billsec/duration', uuid);
        break;
      case 'CHANNEL_DESTROY':
        once('destroyed', name, i, '§2.3');
        if (w.complete < 0) r.add('hangup-order', '§3.2', i, 'CHANNEL_DESTROY before CHANNEL_HANGUP_COMPLETE', uuid);
        break;
      default:
        break;
    }
    // §2.3: between ANSWER and HANGUP the channel data says answered.
    const answerState = header(e, 'Answer-State');
    if (answerState !== undefined && w.answered >= 0 && w.answered < i && w.hangup < 0 && answerState !== 'answered') r.add('answer-state', '§2.3', i, `${name} with Answer-State ${answerState} after CHANNEL_ANSWER`, uuid);
  });
  if (complete) {
    const missing = (['created', 'hangup', 'complete', 'destroyed'] as const).filter((f) => w[f] < 0);
    if (missing.length > 0) r.add('terminal', '§3.2', events.length, `leg did not end: no ${missing.join(', ')}`, uuid);
  }
}

/**
 * Rules on one call: each leg's own rules, plus the cross-leg ones, which compare Event-Sequence rather than
 * delivery order (§3.0: the relative order of different channels is reconstructed from Event-Sequence).
 */
export function checkCall(events: readonly EventHeaders[], options: CallCheckOptions = {}): OrderViolation[] {
  const r = new Report();
  const legs = new Map<string, EventHeaders[]>();
  const indexOf = new Map<EventHeaders, number>();
  events.forEach((e, i) => {
    indexOf.set(e, i);
    const uuid = uuidOf(e);
    if (uuid === undefined) return;
    const list = legs.get(uuid) ?? [];
    list.push(e);
    legs.set(uuid, list);
  });
  for (const list of legs.values()) {
    const sub = new Report();
    legRules(list, options.complete ?? true, sub);
    for (const v of sub.violations) r.violations.push({ ...v, index: v.index < list.length ? indexOf.get(list[v.index]!)! : events.length });
  }
  const firstSeq = (uuid: string, name: string): number | undefined => {
    const e = legs.get(uuid)?.find((x) => nameOf(x) === name);
    return e ? seqOf(e) : undefined;
  };
  const bLegs = new Set<string>();
  for (const e of events) if (nameOf(e) === 'CHANNEL_BRIDGE') bLegs.add(header(e, 'Bridge-B-Unique-ID') ?? '');
  events.forEach((e, i) => {
    const name = nameOf(e);
    const uuid = uuidOf(e);
    // §8.7 / §3.2: the originatee (B) leg of a bridge never fires BRIDGE/UNBRIDGE itself.
    if ((name === 'CHANNEL_BRIDGE' || name === 'CHANNEL_UNBRIDGE') && uuid !== undefined && bLegs.has(uuid) && header(e, 'Bridge-A-Unique-ID') !== uuid) {
      r.add('bridge-on-a-leg', '§8.7, §3.2', i, `${name} on ${uuid}, which is the B leg of a bridge`, uuid);
    }
    // §3.2: uuid_bridge joins two answered legs: the B leg's ANSWER was created before the A leg's BRIDGE.
    if (name === 'CHANNEL_BRIDGE') {
      const b = header(e, 'Bridge-B-Unique-ID');
      if (b !== undefined && legs.has(b)) {
        const answered = firstSeq(b, 'CHANNEL_ANSWER');
        if (answered === undefined || !(answered < seqOf(e))) r.add('partner-answered-before-bridge', '§3.2, §3.0', i, `CHANNEL_BRIDGE (seq ${seqOf(e)}) before B leg ${b} answered (seq ${answered ?? 'never'})`, uuid);
        const created = firstSeq(b, 'CHANNEL_CREATE');
        if (created === undefined || !(created < seqOf(e))) r.add('partner-created-before-bridge', '§3.2, §3.0', i, `CHANNEL_BRIDGE before B leg ${b} was created`, uuid);
      }
    }
  });
  return r.violations.sort((x, y) => x.index - y.index);
}

/**
 * Rules on everything one connection received: Core-UUID constant (§2.6); Event-Sequence strictly increasing
 * (§2.6 a process-wide creation counter, gaps normal). Strict delivery order holds with one dispatch thread; §3.0
 * warns that FreeSWITCH under load may deliver out of Event-Sequence, so pass `strict: false` for such captures
 * (then only duplicates are reported).
 */
export function checkConnection(events: readonly EventHeaders[], options: { strict?: boolean } = {}): OrderViolation[] {
  const r = new Report();
  const strict = options.strict ?? true;
  let last = Number.NEGATIVE_INFINITY;
  let core: string | undefined;
  const seen = new Set<number>();
  events.forEach((e, i) => {
    const seq = seqOf(e);
    if (!Number.isFinite(seq)) r.add('sequence-present', '§2.1', i, `${nameOf(e)} without a numeric Event-Sequence`, uuidOf(e));
    else if (seen.has(seq)) r.add('sequence-unique', '§2.6', i, `Event-Sequence ${seq} delivered twice`, uuidOf(e));
    else if (strict && !(seq > last)) r.add('sequence-increasing', '§2.6, §3.0', i, `Event-Sequence ${seq} after ${last}`, uuidOf(e));
    seen.add(seq);
    if (seq > last) last = seq;
    const c = header(e, 'Core-UUID');
    if (core === undefined) core = c;
    else if (c !== core) r.add('core-uuid-constant', '§2.6', i, `Core-UUID changed from ${core} to ${c}`, uuidOf(e));
  });
  return r.violations;
}

/**
 * An originate's BACKGROUND_JOB against its leg's events (`origination_uuid` = `leg`): `+OK <leg>` only once the leg
 * answered (§3.2: the originate API returns when B answered); `-ERR <CAUSE>` names the leg's own hangup cause and
 * the leg never answered (§3.3, §4: `-ERR %s` with the cause string).
 */
export function checkOriginateJob(job: EventHeaders, leg: string, legEvents: readonly EventHeaders[]): OrderViolation[] {
  const r = new Report();
  const body = header(job, '_body') ?? '';
  const answer = legEvents.find((e) => nameOf(e) === 'CHANNEL_ANSWER');
  const hangup = legEvents.find((e) => nameOf(e) === 'CHANNEL_HANGUP');
  if (body.startsWith('+OK')) {
    if (body !== `+OK ${leg}\n`) r.add('job-body', '§3.2, §4', 0, `BACKGROUND_JOB body ${JSON.stringify(body)}, expected "+OK ${leg}\\n"`, leg);
    if (!answer || !(seqOf(answer) < seqOf(job))) r.add('job-after-answer', '§3.2', 0, `+OK job (seq ${seqOf(job)}) before the leg answered (seq ${answer ? seqOf(answer) : 'never'})`, leg);
  } else {
    const m = /^-ERR ([A-Z_]+)\n$/.exec(body);
    if (!m) r.add('job-body', '§3.3, §4', 0, `BACKGROUND_JOB body ${JSON.stringify(body)} is neither +OK nor -ERR <CAUSE>`, leg);
    else if (hangup && header(hangup, 'Hangup-Cause') !== m[1]) r.add('job-cause', '§3.3', 0, `-ERR ${m[1]} but the leg hung up with ${header(hangup, 'Hangup-Cause')}`, leg);
    if (answer) r.add('job-failed-after-answer', '§3.3', 0, 'a failed originate whose leg answered', leg);
  }
  return r.violations;
}
