// The self-healing connection against the simulator over TCP: reconnect, re-subscribe, reconcile, watchdog, and the
// whole ESL → fact → call-command → real call decider path through the simulator's faults.
import { afterEach, describe, expect, it } from 'vitest';
import { callDecider } from '../../../domain/call/call-decider.ts';
import type { CallCommand } from '../../../domain/call/call-commands.ts';
import type { CallState } from '../../../domain/call/call-state.ts';
import { type Simulator, startSimulator } from '../../../infra/simulator/server/start-simulator.ts';
import { collectingLogger } from '../esl/esl-logger.ts';
import { bridge, originateLeg } from '../gateway/call-control.ts';
import { type ChannelContext, factToCallCommands } from '../translator/fact-to-call-commands.ts';
import type { SwitchFact } from '../translator/switch-facts.ts';
import type { ReconcileReport } from './reconcile.ts';
import { SwitchConnection, type SwitchConnectionOptions } from './switch-connection.ts';

const sims: Simulator[] = [];
const conns: SwitchConnection[] = [];
afterEach(async () => {
  for (const c of conns.splice(0)) c.stop();
  for (const s of sims.splice(0)) await s.close();
});

async function sim(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const s = await startSimulator({ port: 0, ringMs: 30, seed: 'switch-connection', ...options });
  sims.push(s);
  return s;
}

function connection(s: Simulator, options: Partial<SwitchConnectionOptions> = {}): SwitchConnection {
  const c = new SwitchConnection({
    host: s.host, port: s.port, password: s.password, backoff: { initialMs: 150, maxMs: 1000, jitter: 0.5 }, random: () => 0.5,
    heartbeatMisses: 0, commandTimeoutMs: 5000, logger: collectingLogger(), ...options,
  });
  conns.push(c);
  return c;
}

const until = async (cond: () => boolean, what: string, ms = 8000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** A tiny engine around the real call decider: dedups command ids, keeps each call's state, tracks channels. */
class MiniEngine {
  readonly calls = new Map<string, CallState>();
  readonly channels = new Map<string, { callId: string; role: ChannelContext['role']; offerId?: string }>();
  readonly applied: CallCommand[] = [];
  readonly refused: Array<{ command: CallCommand; error: unknown }> = [];
  private readonly seen = new Set<string>();

  context = { channel: (uuid: string): ChannelContext | undefined => {
    const ch = this.channels.get(uuid);
    const state = ch && this.calls.get(ch.callId);
    return ch && state ? { callId: ch.callId, role: ch.role, status: state.status, held: state.held, offerId: ch.offerId } : undefined;
  } };

  onFact = (fact: SwitchFact): void => {
    for (const command of factToCallCommands(fact, this.context)) this.handle(command);
  };

  handle(command: CallCommand): void {
    if (this.seen.has(command.commandId)) return;
    this.seen.add(command.commandId);
    const state = this.calls.get(command.callId) ?? callDecider.initialState;
    try {
      const events = callDecider.decide(command, state);
      this.calls.set(command.callId, events.reduce(callDecider.evolve, state));
      this.applied.push(command);
      if (command.type === 'ReceiveCall') this.channels.set(command.channelUuid, { callId: command.callId, role: 'caller' });
    } catch (error) {
      this.refused.push({ command, error });
    }
  }

  /** What the engine does with a reconcile: ends calls whose channels are gone (once). */
  onReconcile = (report: ReconcileReport): void => {
    for (const uuid of report.ended) {
      const ch = this.channels.get(uuid);
      const status = ch && this.calls.get(ch.callId)?.status;
      if (!ch || status === 'ended' || status === 'dispositioned') continue;
      this.handle({ type: 'EndCall', commandId: `reconcile:${uuid}`, at: report.at, callId: ch.callId, cause: 'LOST_WHILE_DISCONNECTED', hungUpBy: 'system' });
    }
  };

  openChannels = (): string[] => [...this.channels].filter(([, c]) => {
    const s = this.calls.get(c.callId)?.status;
    return s !== 'ended' && s !== 'dispositioned';
  }).map(([u]) => u);
}

describe('SwitchConnection against the simulator', () => {
  it('reconnects after a dropped socket, re-subscribes, and reconcile reports the calls that ended and the channels to adopt', async () => {
    const s = await sim();
    const engine = new MiniEngine();
    const reports: ReconcileReport[] = [];
    const c = connection(s, { onFact: engine.onFact, openCalls: { openChannels: engine.openChannels }, onReconcile: (r) => reports.push(r) });
    c.start();
    await c.ready();
    const a1 = s.originateInbound({ callerIdNumber: '+15550001' });
    const a2 = s.originateInbound({ callerIdNumber: '+15550002' });
    await until(() => engine.channels.has(a1) && engine.channels.has(a2), 'both calls received');

    s.dropConnections();
    // While we are away: a1 hangs up, a new caller arrives, and an agent leg of ours is originated.
    s.hangup(a1);
    const a3 = s.originateInbound({ callerIdNumber: '+15550003' });
    const agentLeg = 'cccccccc-0000-4000-8000-000000000003';
    await s.api('originate', `{origination_uuid=${agentLeg},ledgerline_call_id=call-9,ledgerline_role=agent,ledgerline_offer_id=offer-9}user/1005 &park()`);

    await until(() => reports.length >= 2, 'the reconcile after the reconnect');
    const report = reports[1]!;
    expect(report.coreChanged).toBe(false);
    expect(report.ended).toEqual([a1]);
    expect(report.confirmed).toEqual([a2]);
    expect(report.adopted.map((ch) => ch.uuid).sort()).toEqual([a3, agentLeg].sort());
    expect(report.adopted.find((ch) => ch.uuid === agentLeg)?.ledgerline).toEqual({ callId: 'call-9', role: 'agent', offerId: 'offer-9' });
    expect(report.adopted.find((ch) => ch.uuid === a3)).toMatchObject({ direction: 'inbound', callerIdNumber: '+15550003' });
    expect(c.stats.reconnects).toBe(1);

    // Subscriptions are back: a new call after the reconnect reaches the engine.
    const a4 = s.originateInbound();
    await until(() => engine.channels.has(a4), 'a call after the reconnect');
  });

  it('a restarted switch (new Core-UUID on the same port) ends every call we believed live', async () => {
    const first = await sim({ seed: 'first-life' });
    const port = first.port;
    const engine = new MiniEngine();
    const reports: ReconcileReport[] = [];
    const c = connection(first, { onFact: engine.onFact, openCalls: { openChannels: engine.openChannels }, onReconcile: (r) => reports.push(r) });
    c.start();
    await c.ready();
    const oldCore = c.coreUuid;
    const a1 = first.originateInbound();
    await until(() => engine.channels.has(a1), 'the call received');
    await first.close();
    sims.splice(sims.indexOf(first), 1);
    const second = await sim({ seed: 'second-life', port });
    await until(() => reports.length >= 2, 'the reconcile after the restart');
    expect(reports[1]).toMatchObject({ coreChanged: true, ended: [a1], adopted: [] });
    expect(c.coreUuid).not.toBe(oldCore);
    expect(c.coreUuid).toBe(second.core.identity.coreUuid);
  });

  it('the HEARTBEAT watchdog treats a silent switch as dead and reconnects', async () => {
    const s = await sim({ heartbeatSec: 0 });
    const logger = collectingLogger();
    const c = connection(s, { heartbeatIntervalMs: 50, heartbeatMisses: 2, logger });
    c.start();
    await c.ready();
    await until(() => c.stats.watchdogTrips >= 1 && c.stats.reconnects >= 1 && c.state === 'ready', 'a watchdog trip and a reconnect');
    expect(logger.entries.some((e) => e.msg.includes('no HEARTBEAT'))).toBe(true);
  });

  it('a stalled socket (events stop, TCP stays open) trips the watchdog; the reconnect reconciles the call that ended meanwhile', async () => {
    const s = await sim({ heartbeatSec: 0.05 });
    const engine = new MiniEngine();
    const reports: ReconcileReport[] = [];
    const c = connection(s, { heartbeatIntervalMs: 50, heartbeatMisses: 4, onFact: engine.onFact, openCalls: { openChannels: engine.openChannels }, onReconcile: (r) => {
      reports.push(r);
      engine.onReconcile(r);
    } });
    c.start();
    await c.ready();
    const a = s.originateInbound();
    await until(() => engine.channels.has(a), 'the call received');
    s.stallConnections(60_000);
    s.hangup(a);
    await until(() => c.stats.watchdogTrips >= 1 && reports.length >= 2, 'the watchdog and the reconcile after it');
    expect(reports[1]!.ended).toEqual([a]);
    expect(engine.calls.get(engine.channels.get(a)!.callId)?.status).toBe('ended');
  });

  it('a listener the switch killed for lost events reconnects, and reconcile adopts the callers whose events were lost', async () => {
    const s = await sim({ limits: { maxQueue: 5, maxMissed: 5 } });
    const engine = new MiniEngine();
    const reports: ReconcileReport[] = [];
    const logger = collectingLogger();
    const c = connection(s, { logger, onFact: engine.onFact, openCalls: { openChannels: engine.openChannels }, onReconcile: (r) => reports.push(r) });
    c.start();
    await c.ready();
    s.stallConnections(60_000);
    // Raw bytes in a caller name (a '%' that is not an escape, Latin-1 escapes as text, an emoji) ride in JSON untouched.
    const callers = [s.originateInbound({ callerIdName: '100% M%FCller 😀' }), s.originateInbound(), s.originateInbound()];
    await until(() => reports.length >= 2, 'the reconcile after the kill');
    expect(logger.entries.some((e) => e.msg === 'esl: connection lost' && e.obj.reason === 'killed_by_switch')).toBe(true);
    expect(reports[1]!.adopted.map((ch) => ch.uuid).sort()).toEqual([...callers].sort());
    expect(reports[1]!.adopted.find((ch) => ch.uuid === callers[0])?.callerIdName).toBe('100% M%FCller 😀');
  });

  it('an engine whose OpenCallsSource throws does not cut the switch off', async () => {
    const s = await sim();
    const logger = collectingLogger();
    const c = connection(s, { logger, openCalls: { openChannels: () => {
      throw new Error('engine not ready');
    } } });
    c.start();
    await c.ready();
    expect(logger.entries.some((e) => e.msg.includes('reconcile failed on the engine side'))).toBe(true);
    expect(await c.api('uuid_exists 00000000-0000-4000-8000-000000000000')).toBe('false');
  });

  it('keeps the connection while heartbeats arrive', async () => {
    const s = await sim({ heartbeatSec: 0.02 });
    const c = connection(s, { heartbeatIntervalMs: 200, heartbeatMisses: 3 });
    c.start();
    await c.ready();
    await until(() => (c.stats.facts >= 10), 'ten heartbeats');
    expect(c.stats.watchdogTrips).toBe(0);
    expect(c.stats.reconnects).toBe(0);
  });

  it('commands fail fast with ESL_DISCONNECTED while the switch is unreachable, and the connection comes back with it', async () => {
    const s = await sim();
    const port = s.port;
    const c = connection(s);
    c.start();
    await c.ready();
    await s.close();
    sims.splice(0);
    await until(() => c.state === 'waiting', 'the connection to notice');
    await expect(c.api('status')).rejects.toMatchObject({ code: 'ESL_DISCONNECTED' });
    await sim({ port });
    await c.ready();
    expect(await c.api('uuid_exists 00000000-0000-4000-8000-000000000000')).toBe('false');
  });

  it('a full call through malformed frames, tiny chunks and cross-leg reordering: the real call decider accepts every command', async () => {
    const s = await sim({ seed: 'faults' });
    const engine = new MiniEngine();
    const reports: ReconcileReport[] = [];
    const c = connection(s, { onFact: engine.onFact, openCalls: { openChannels: engine.openChannels }, onReconcile: (r) => {
      reports.push(r);
      engine.onReconcile(r);
    } });
    c.start();
    await c.ready();
    s.faults.reorder(0.5);
    s.faults.splitFrames(13);

    const a = s.originateInbound({ callerIdName: 'Zoë' });
    await until(() => engine.channels.has(a), 'the call received');
    const callId = engine.channels.get(a)!.callId;
    const at = Date.now();
    engine.handle({ type: 'QueueCall', commandId: 'q1', at, callId, queueId: 'sales', priority: 0, requiredSkills: [] });
    engine.handle({ type: 'OfferToAgent', commandId: 'o1', at, callId, agentId: 'agent-7', offerId: 'offer-1' });
    const b = 'bbbbbbbb-0000-4000-8000-0000000000b1';
    engine.channels.set(b, { callId, role: 'agent', offerId: 'offer-1' });
    await originateLeg(c, { legUuid: b, endpoint: { kind: 'user', user: '1007' }, callId, role: 'agent', offerId: 'offer-1', callerIdNumber: '+15550100', callerIdName: 'Zoë', commandId: 'o1' });
    await bridge(c, a, b, { commandId: 'connect-1' });
    await until(() => engine.calls.get(callId)?.status === 'connected', 'the call connected');
    // The caller hangs up and the frame carrying it is malformed: the adapter drops the socket, reconnects, and the
    // reconcile reports the ended channels, so the engine still ends the call.
    s.faults.malformNext(1);
    s.hangup(a);
    await until(() => engine.calls.get(callId)?.status === 'ended', 'the call ended');
    expect(c.stats.malformedFrames).toBe(1);
    expect(reports.at(-1)?.ended).toEqual(expect.arrayContaining([a]));

    const types = engine.applied.filter((x) => x.callId === callId).map((x) => x.type);
    expect(types).toEqual(expect.arrayContaining(['ReceiveCall', 'RecordAgentLegAnswered', 'ConnectCall', 'EndCall']));
    expect(types.filter((t) => t === 'ConnectCall')).toHaveLength(1);
    expect(types.filter((t) => t === 'EndCall')).toHaveLength(1);
    expect(engine.refused).toEqual([]);
  });
});
