// Two simulated switches at once: facts carry their switch, commands route by switch id or Core-UUID.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../infra/simulator/server/start-simulator.ts';
import { isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import type { SwitchFact } from '../translator/switch-facts.ts';
import { SwitchManager, parseEslHosts } from './switch-manager.ts';

let fs1: Simulator;
let fs2: Simulator;
let manager: SwitchManager;
const facts: SwitchFact[] = [];

beforeAll(async () => {
  fs1 = await startSimulator({ port: 0, seed: 'fs1' });
  fs2 = await startSimulator({ port: 0, seed: 'fs2' });
  manager = SwitchManager.fromConfig(
    { ESL_HOSTS: `127.0.0.1:${fs1.port},127.0.0.1:${fs2.port}`, ESL_PASSWORD: 'ClueCon', ESL_COMMAND_TIMEOUT_MS: 3000 },
    { onFact: (f) => facts.push(f), heartbeatMisses: 0 },
  );
  expect(await manager.start(5000)).toEqual({ ready: [`127.0.0.1:${fs1.port}`, `127.0.0.1:${fs2.port}`], notReady: [] });
});
afterAll(async () => {
  manager.stop();
  await fs1.close();
  await fs2.close();
});

const until = async (cond: () => boolean, what: string): Promise<void> => {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('SwitchManager', () => {
  it('parses ESL_HOSTS', () => {
    expect(parseEslHosts('fs-a:8021,10.0.0.7:8022')).toEqual([{ host: 'fs-a', port: 8021 }, { host: '10.0.0.7', port: 8022 }]);
    expect(parseEslHosts(undefined)).toEqual([]);
  });

  it('every fact carries the switch it came from and that switch’s Core-UUID', async () => {
    const a = fs1.originateInbound();
    const b = fs2.originateInbound();
    await until(() => facts.some((f) => f.kind === 'channel_parked' && f.channel.uuid === a) && facts.some((f) => f.kind === 'channel_parked' && f.channel.uuid === b), 'both calls');
    const fa = facts.find((f) => f.kind === 'channel_parked' && f.channel.uuid === a)!;
    const fb = facts.find((f) => f.kind === 'channel_parked' && f.channel.uuid === b)!;
    expect([fa.switchId, fa.coreUuid]).toEqual([`127.0.0.1:${fs1.port}`, fs1.core.identity.coreUuid]);
    expect([fb.switchId, fb.coreUuid]).toEqual([`127.0.0.1:${fs2.port}`, fs2.core.identity.coreUuid]);
  });

  it('routes a command to the call’s switch, by switch id or by Core-UUID', async () => {
    const a = fs2.originateInbound();
    expect(await manager.connection(`127.0.0.1:${fs2.port}`).api(`uuid_exists ${a}`)).toBe('true');
    expect(await manager.connection(fs2.core.identity.coreUuid).api(`uuid_exists ${a}`)).toBe('true');
    expect(await manager.connection(`127.0.0.1:${fs1.port}`).api(`uuid_exists ${a}`)).toBe('false');
    expect(manager.status().map((s) => s.state)).toEqual(['ready', 'ready']);
  });

  it('an unknown switch is ESL_UNKNOWN_SWITCH', () => {
    let code = '';
    try {
      manager.connection('10.9.9.9:8021');
    } catch (e) {
      code = isLedgerlineError(e) ? e.code : 'other';
    }
    expect(code).toBe('ESL_UNKNOWN_SWITCH');
  });
});
