// The guarded modesl client against the ESL simulator over real TCP, through the simulator's wire faults.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../infra/simulator/server/start-simulator.ts';
import { isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { EslClient } from './esl-client.ts';
import { type EslEvent, header } from './esl-event.ts';
import { collectingLogger } from './esl-logger.ts';

let sim: Simulator;
const clients: EslClient[] = [];

beforeEach(async () => {
  sim = await startSimulator({ port: 0, ringMs: 30, seed: 'esl-client' });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await sim.close();
});

async function connect(onEvent?: (e: EslEvent) => void, logger = collectingLogger()): Promise<EslClient> {
  const c = await EslClient.connect({ host: sim.host, port: sim.port, password: sim.password, onEvent, logger, commandTimeoutMs: 3000 });
  clients.push(c);
  return c;
}

const until = async (cond: () => boolean, what: string, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return isLedgerlineError(e) ? e.code : `not coded: ${String(e)}`;
  }
}

describe('EslClient against the simulator', () => {
  it('authenticates, subscribes in JSON, runs api and bgapi with our Job-UUID', async () => {
    const events: EslEvent[] = [];
    const c = await connect((e) => events.push(e));
    expect(await c.command('event json CHANNEL_CREATE CHANNEL_PARK BACKGROUND_JOB')).toBe('+OK event listener enabled json');
    expect(await c.api('uuid_exists 00000000-0000-4000-8000-000000000000')).toBe('false');
    const leg = '2f1c0f7e-0000-4000-8000-000000000001';
    expect(await c.bgapi(`originate {origination_uuid=${leg}}user/1001 &park()`, '7d6594c1-42ba-4260-a4e1-a82a3d63bc4a')).toBe(`+OK ${leg}\n`);
    await until(() => events.some((e) => header(e, 'Event-Name') === 'CHANNEL_PARK'), 'CHANNEL_PARK');
    const job = events.find((e) => header(e, 'Event-Name') === 'BACKGROUND_JOB');
    expect(header(job!, 'Job-UUID')).toBe('7d6594c1-42ba-4260-a4e1-a82a3d63bc4a');
  });

  it('the same Job-UUID sent again while the first is out joins it: both resolve with the one result, the command runs once', async () => {
    const events: EslEvent[] = [];
    const c = await connect((e) => events.push(e));
    await c.command('event json CHANNEL_CREATE BACKGROUND_JOB');
    const leg = '2f1c0f7e-0000-4000-8000-000000000077';
    const jobUuid = '7d6594c1-42ba-4260-a4e1-a82a3d63bc77';
    const [a, b] = await Promise.all([c.bgapi(`originate {origination_uuid=${leg}}user/1003 &park()`, jobUuid), c.bgapi(`originate {origination_uuid=${leg}}user/1003 &park()`, jobUuid)]);
    expect(a).toBe(`+OK ${leg}\n`);
    expect(b).toBe(a);
    expect(events.filter((e) => header(e, 'Event-Name') === 'CHANNEL_CREATE' && header(e, 'Unique-ID') === leg)).toHaveLength(1);
  });

  it('a wrong password rejects with ESL_AUTH_FAILED', async () => {
    expect(await codeOf(EslClient.connect({ host: sim.host, port: sim.port, password: 'nope' }))).toBe('ESL_AUTH_FAILED');
  });

  it('nothing listening rejects with ESL_DISCONNECTED', async () => {
    const port = sim.port;
    await sim.close();
    sim = await startSimulator({ port: 0 });
    expect(await codeOf(EslClient.connect({ host: '127.0.0.1', port, password: 'ClueCon' }))).toBe('ESL_DISCONNECTED');
  });

  it('a dropped socket rejects every pending command with ESL_DISCONNECTED, and later commands too', async () => {
    sim.setEndpoint('1002', { kind: 'no-answer' });
    const c = await connect();
    await c.command('event json BACKGROUND_JOB');
    const pendingJob = c.bgapi('originate {originate_timeout=60}user/1002 &park()', 'aaaaaaaa-0000-4000-8000-00000000000a', 60_000);
    const pendingApi = c.api('status', 60_000);
    let closedWith: string | undefined;
    c.onClose((r) => (closedWith = r));
    sim.dropConnections();
    expect(await codeOf(pendingJob)).toBe('ESL_DISCONNECTED');
    expect(await codeOf(pendingApi)).toBe('ESL_DISCONNECTED');
    expect(closedWith).toBe('socket_closed');
    expect(await codeOf(c.api('status'))).toBe('ESL_DISCONNECTED');
  });

  it('a command timeout rejects with ESL_TIMEOUT and keeps modesl reply order aligned for the next command', async () => {
    sim.setEndpoint('1003', { kind: 'no-answer' });
    const c = await connect();
    // api originate blocks the switch's listener until originate_timeout (1 s); our timeout is shorter.
    expect(await codeOf(c.api('originate {originate_timeout=1}user/1003 &park()', 50))).toBe('ESL_TIMEOUT');
    const status = await c.api('status', 10_000);
    expect(status).toMatch(/^UP /);
  });

  it('a line break in a command is refused before it reaches the socket (no command injection)', async () => {
    const c = await connect();
    expect(await codeOf(c.api('status\n\napi hupall'))).toBe('ESL_INVALID_ARGUMENT');
    expect(await codeOf(c.command('sendmsg x', { 'execute-app-arg': 'a\n\napi hupall' }))).toBe('ESL_INVALID_ARGUMENT');
  });

  it('frames split into 7-byte TCP chunks parse the same', async () => {
    const events: EslEvent[] = [];
    const c = await connect((e) => events.push(e));
    await c.command('event json CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_PARK');
    sim.faults.splitFrames(7);
    const uuid = sim.originateInbound({ callerIdName: 'Zoë Ünal' });
    await until(() => events.some((e) => header(e, 'Unique-ID') === uuid && header(e, 'Event-Name') === 'CHANNEL_PARK'), 'the call to park');
    // modesl itself adds BACKGROUND_JOB and CHANNEL_EXECUTE_COMPLETE to the subscription at login.
    expect(events.map((e) => header(e, 'Event-Name')).filter((n) => n !== 'CHANNEL_EXECUTE_COMPLETE')).toEqual(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_PARK']);
    expect(header(events[0]!, 'Caller-Caller-ID-Name')).toBe('Zoë Ünal');
    expect(await c.api('uuid_exists ' + uuid)).toBe('true');
  });

  it('a malformed frame is logged with its raw bytes and drops the connection instead of desynchronising or crashing', async () => {
    const logger = collectingLogger();
    const c = await connect(undefined, logger);
    await c.command('event json CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_PARK');
    const reasons: string[] = [];
    c.onClose((r) => reasons.push(r));
    sim.faults.malformNext(1);
    sim.originateInbound();
    sim.originateInbound();
    await until(() => c.closed, 'the client to close');
    expect(reasons).toEqual(['malformed_frame']);
    const entry = logger.entries.find((e) => e.level === 'error' && e.msg.includes('malformed frame'));
    expect(entry?.obj.rawBytes).toEqual(expect.stringContaining('Content-Type: text/event-json'));
    expect(c.malformedFrames).toBe(1);
  });

  it('bad percent-encoding in a plain-format caller name (modesl throws URIError) is caught, logged, and the socket dropped', async () => {
    const logger = collectingLogger();
    const c = await connect(undefined, logger);
    // The adapter never subscribes in plain; this proves the guard around modesl's parser holds if a frame throws.
    await c.command('event plain CHANNEL_CREATE');
    sim.faults.badEncodingNext(1);
    sim.originateInbound({ callerIdName: 'Mueller' });
    await until(() => c.closed, 'the client to close');
    expect(logger.entries.some((e) => e.msg.includes('invalid percent-encoding') && String(e.obj.rawBytes).includes('M%FCller'))).toBe(true);
  });

  it('a listener killed for lost events is reported as killed_by_switch', async () => {
    await sim.close();
    sim = await startSimulator({ port: 0, ringMs: 30, limits: { maxQueue: 3, maxMissed: 5 }, seed: 'killed' });
    sim.setEndpoint('1004', { kind: 'answer', ringMs: 300 });
    const c = await connect();
    await c.command('event json ALL');
    const reasons: string[] = [];
    c.onClose((r) => reasons.push(r));
    // api originate keeps the listener busy while the inbound calls' events pile up beyond the queue.
    const blocked = c.api('originate user/1004 &park()', 10_000).catch(() => 'rejected');
    for (let i = 0; i < 5; i++) sim.originateInbound();
    await until(() => c.closed, 'the switch to kill the listener');
    expect(reasons).toEqual(['killed_by_switch']);
    expect(await blocked).toBe('rejected');
  });
});
