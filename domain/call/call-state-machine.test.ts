// callTransitions (rendered in docs/domain.md) against the decider, both ways, over a deterministic grid:
// every scenario (plus variants) × every command (plus variants). The random-sequence property checks the first
// direction again on histories this grid does not build.
import { describe, expect, it } from 'vitest';
import { fold } from '../decider.ts';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { CALL_COMMAND_TYPES, type CallCommand } from './call-commands.ts';
import { callDecider } from './call-decider.ts';
import { callEvents } from './call-events.ts';
import { cmd, given, run, sampleCommand, SCENARIOS, type ScenarioName } from './call-fixtures.ts';
import { callTransitions } from './call-state-machine.ts';
import { CALL_STATUSES, type CallState } from './call-state.ts';

const histories: { name: string; state: CallState }[] = [];
const add = (name: string, events: ReturnType<typeof given>) => histories.push({ name, state: fold(callDecider, events) });

for (const name of Object.keys(SCENARIOS) as ScenarioName[]) {
  const events = given(name);
  add(name, events);
  // Each scenario with a recording running, and paused, where a recording is possible.
  try {
    const recording = run([cmd('StartRecording', { recordingId: 'r9' }, 200_000)], events);
    add(`${name}+recording`, recording);
    add(`${name}+recording paused`, run([cmd('PauseRecording', {}, 200_001)], recording));
  } catch (e) {
    if (!isLedgerlineError(e)) throw e;
  }
}
// A direct offer (blind transfer to an agent): no queue entry, so a failure leaves the call unrouted.
const direct = run([cmd('TransferCall', { target: { kind: 'agent', agentId: 'a2', offerId: 'o1' } }, 200_000)], given('connected'));
add('offered directly', direct);
add('ringing directly', run([sampleCommand('RecordAgentLegRinging', 200_001)], direct));
add('answered directly', run([sampleCommand('RecordAgentLegAnswered', 200_001)], direct));
add('consulting an external number', run([cmd('StartConsult', { consultId: 'k1', target: { kind: 'external', number: '+9' } }, 200_000)], given('connected')));

const extraCommands: CallCommand[] = [
  cmd('ConnectCall', { offerId: null }),
  cmd('OverflowCall', { reason: 'max_wait', exit: { kind: 'voicemail', mailbox: 'm' } }),
  cmd('OverflowCall', { reason: 'no_agents', exit: { kind: 'callback' } }),
  cmd('OverflowCall', { reason: 'max_queue_length', exit: { kind: 'hangup' } }),
  cmd('TransferCall', { target: { kind: 'agent', agentId: 'a2', offerId: 'o2' } }),
  cmd('TransferCall', { target: { kind: 'external', number: '+9' } }),
  cmd('CompleteConsult', { consultId: 'k1', mode: 'conference' }),
  cmd('FailCallback', { attemptId: 't1', cause: 'busy', retry: false }),
  cmd('RecordLookupResult', { nodeId: 'n', lookup: 'crm', result: { ok: false, reason: 'error' } }),
];
const commands = [...CALL_COMMAND_TYPES.map((type) => sampleCommand(type, 300_000)), ...extraCommands.map((c) => ({ ...c, at: 300_000 }))];

const accepted = new Map<string, string>(); // transition → a witness
const emitted = new Set<string>();
for (const h of histories) {
  for (const c of commands) {
    try {
      let s = h.state;
      for (const e of callDecider.decide(c, s)) {
        emitted.add(e.type);
        s = callDecider.evolve(s, e);
      }
      accepted.set(`${h.state.status} ${c.type} ${s.status}`, `${h.name} + ${c.type}`);
    } catch (e) {
      if (!isLedgerlineError(e)) throw e;
    }
  }
}

describe('callTransitions', () => {
  const listed = callTransitions.map((r) => `${r.from} ${r.command} ${r.to}`);
  it('has no duplicate row and names only known states and commands', () => {
    expect(new Set(listed).size).toBe(listed.length);
    for (const r of callTransitions) {
      expect(CALL_STATUSES).toContain(r.from);
      expect(CALL_STATUSES).toContain(r.to);
      expect(CALL_COMMAND_TYPES).toContain(r.command);
    }
  });
  it('lists every transition the decider accepts on the grid', () => {
    expect([...accepted.keys()].filter((k) => !listed.includes(k))).toEqual([]);
  });
  it('has a witness on the grid for every row', () => {
    expect(listed.filter((k) => !accepted.has(k))).toEqual([]);
  });
  it('emits every call event type somewhere on the grid (no dead definitions)', () => {
    expect(callEvents.map((d) => d.type).filter((t) => !emitted.has(t))).toEqual([]);
  });
});
