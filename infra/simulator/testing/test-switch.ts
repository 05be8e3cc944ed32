// An in-process switch on a virtual clock that records every event, for scenario tests.
import { createVirtualClock, type VirtualClock } from '../clock/sim-clock.ts';
import { executeApi } from '../api/api-commands.ts';
import { type EndpointConfig, EndpointDirectory } from '../core/endpoints.ts';
import { SimSwitch } from '../core/sim-switch.ts';
import { DEFAULT_IDENTITY } from '../core/switch-identity.ts';
import { type FsEvent, headerOf } from '../events/fs-event.ts';
import { createSeededRandom } from '../random/seeded-random.ts';

export interface TestSwitch {
  sw: SimSwitch;
  clock: VirtualClock;
  events: FsEvent[];
  api(command: string, arg?: string): Promise<string>;
  /** `NAME` or `NAME(detail)` per event of one channel, e.g. `CHANNEL_STATE(CS_ROUTING)`, in order. */
  trace(uuid: string, options?: { states?: boolean }): string[];
}

/** Short label of an event for order assertions. */
export function label(e: FsEvent): string {
  switch (e.name) {
    case 'CHANNEL_STATE':
      return `STATE(${headerOf(e, 'Channel-State')})`;
    case 'CHANNEL_CALLSTATE':
      return `CALLSTATE(${headerOf(e, 'Original-Channel-Call-State')}->${headerOf(e, 'Channel-Call-State')})`;
    case 'CHANNEL_EXECUTE':
    case 'CHANNEL_EXECUTE_COMPLETE':
      return `${e.name === 'CHANNEL_EXECUTE' ? 'EXECUTE' : 'EXECUTE_COMPLETE'}(${headerOf(e, 'Application')})`;
    case 'CHANNEL_HANGUP':
      return `HANGUP(${headerOf(e, 'Hangup-Cause')})`;
    case 'PLAYBACK_STOP':
      return `PLAYBACK_STOP(${headerOf(e, 'Playback-Status')})`;
    case 'DTMF':
      return `DTMF(${headerOf(e, 'DTMF-Digit')})`;
    case 'CUSTOM':
      return `CUSTOM(${e.subclass}:${headerOf(e, 'Action') ?? headerOf(e, 'CC-Action')})`;
    default:
      return e.name.replace(/^CHANNEL_/, '');
  }
}

export function createTestSwitch(options: { seed?: string; endpoints?: Record<string, EndpointConfig>; ringMs?: number } = {}): TestSwitch {
  const clock = createVirtualClock(Date.UTC(2026, 0, 1, 12, 0, 0) * 1000);
  const random = createSeededRandom(options.seed ?? 'test');
  const endpoints = new EndpointDirectory(random.fork('endpoints'), { defaultRingMs: options.ringMs ?? 2000 });
  for (const [u, c] of Object.entries(options.endpoints ?? {})) endpoints.configure(u, c);
  const sw = new SimSwitch({ clock, random, identity: { ...DEFAULT_IDENTITY, coreUuid: random.uuid() }, endpoints });
  const events: FsEvent[] = [];
  sw.subscribe((e) => events.push(e));
  return {
    sw,
    clock,
    events,
    api: (command, arg = '') => new Promise((resolve) => executeApi(sw, command, arg, resolve)),
    trace: (uuid, o = {}) =>
      events
        .filter((e) => headerOf(e, 'Unique-ID') === uuid)
        .filter((e) => o.states !== false || (e.name !== 'CHANNEL_STATE' && e.name !== 'CHANNEL_CALLSTATE'))
        .map(label),
  };
}
