// A realistic event corpus for the ingest benchmark: full ACD calls played on the simulator (virtual clock), captured
// as the JSON frames a subscribed connection would receive.
import { createVirtualClock } from '../../infra/simulator/clock/sim-clock.ts';
import { startSimulator } from '../../infra/simulator/server/start-simulator.ts';
import { eventFrame } from '../../infra/simulator/wire/frames.ts';
import { TRANSLATED_EVENT_NAMES } from '../../adapters/freeswitch/translator/to-switch-fact.ts';

export interface Corpus {
  readonly frames: readonly string[];
  readonly bytes: number;
  readonly coreUuid: string;
  /** Caller and agent legs of each call (for the engine context of the adapter run). */
  readonly legs: ReadonlyArray<{ readonly a: string; readonly b: string; readonly callId: string; readonly offerId: string }>;
  readonly byEvent: Record<string, number>;
}

/** Plays `calls` calls: caller parked, agent leg originated, bridged, held and resumed, recorded, caller hangs up. */
export async function buildCorpus(calls: number): Promise<Corpus> {
  const clock = createVirtualClock();
  const sim = await startSimulator({ port: 0, clock, ringMs: 1500, seed: 'esl-ingest-bench', heartbeatSec: 20 });
  const wanted = new Set(TRANSLATED_EVENT_NAMES);
  const frames: string[] = [];
  const byEvent: Record<string, number> = {};
  sim.onEvent((e) => {
    if (!wanted.has(e.name)) return;
    frames.push(eventFrame(e, 'json'));
    byEvent[e.name] = (byEvent[e.name] ?? 0) + 1;
  });
  const legs: Array<{ a: string; b: string; callId: string; offerId: string }> = [];
  for (let i = 0; i < calls; i++) {
    const a = sim.originateInbound({ callerIdNumber: `+1555${String(i).padStart(7, '0')}`, callerIdName: i % 3 === 0 ? 'Zoë Ünal' : `Caller ${i}` });
    await clock.advance(200);
    const b = `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const callId = `call-${i}`;
    const offerId = `offer-${i}`;
    const originated = sim.api('originate', `{origination_uuid=${b},ledgerline_call_id=${callId},ledgerline_role=agent,ledgerline_offer_id=${offerId}}user/${1000 + (i % 100)} &park()`);
    await clock.advance(2000);
    await originated;
    await sim.api('uuid_bridge', `${a} ${b}`);
    await clock.advance(500);
    await sim.api('uuid_record', `${a} start /recordings/${callId}.wav`);
    await clock.advance(500);
    await sim.api('uuid_hold', b);
    await clock.advance(1000);
    await sim.api('uuid_hold', `off ${b}`);
    await clock.advance(1000);
    sim.hangup(a);
    await clock.advance(2000);
    legs.push({ a, b, callId, offerId });
  }
  const coreUuid = sim.core.identity.coreUuid;
  await sim.close();
  return { frames, bytes: frames.reduce((n, f) => n + Buffer.byteLength(f), 0), coreUuid, legs, byEvent };
}
