// startSimulator: the programmatic entry point. A TCP server speaking ESL on top of the simulated switch.
import { createServer, type Server, type Socket } from 'node:net';
import { createRealClock, type SimClock, type SimTimer } from '../clock/sim-clock.ts';
import { callcenterInfo } from '../core/callcenter-info.ts';
import { type EndpointConfig, EndpointDirectory, type EndpointProfile } from '../core/endpoints.ts';
import type { MediaDuration } from '../core/media.ts';
import { type Dialplan, type DtmfOptions, type InboundCallOptions, SimSwitch } from '../core/sim-switch.ts';
import { DEFAULT_IDENTITY, type SwitchIdentity } from '../core/switch-identity.ts';
import { executeApi } from '../api/api-commands.ts';
import type { FsEvent } from '../events/fs-event.ts';
import { WireFaults } from '../faults/fault-plan.ts';
import { createSeededRandom } from '../random/seeded-random.ts';
import { DEFAULT_LIMITS, Listener, type ListenerLimits } from './listener.ts';
import { socketApp } from './socket-app.ts';
import { TrafficGenerator } from '../traffic/traffic-generator.ts';
import { type TrafficScenarioInput, TrafficScenarioSchema } from '../traffic/traffic-scenario.ts';

/** Options of startSimulator; everything has a default. */
export interface SimulatorOptions {
  /** TCP port (0 = any free port). Default 8021. */
  port?: number;
  /** Default 127.0.0.1 (FreeSWITCH's own default listen-ip). */
  host?: string;
  /** Default ClueCon. */
  password?: string;
  /** Default: the real clock. Pass createVirtualClock() for tests, createAcceleratedClock(n) for load runs. */
  clock?: SimClock;
  /** Seed for every random draw (uuids, delays, outcomes). Default 1. */
  seed?: string | number;
  /** Directory users (default 1000…1099). */
  users?: Iterable<string>;
  /** Per-user behaviour (busy, reject, no-answer, answer after ringMs, or a randomised profile). */
  endpoints?: Record<string, EndpointConfig>;
  /** Behaviour of users without their own config. */
  defaultEndpoint?: EndpointProfile;
  /** Ring time before an agent answers, ms. Default 2000. */
  ringMs?: number;
  dialplan?: Dialplan;
  mediaDuration?: MediaDuration;
  identity?: Partial<SwitchIdentity>;
  /** HEARTBEAT interval in seconds on the simulator's clock (default 20; 0 = off). */
  heartbeatSec?: number;
  limits?: Partial<ListenerLimits>;
  firstSequence?: number;
  /** Test aid, not FreeSWITCH behaviour: ringing a user who already has a live leg gives USER_BUSY. */
  busyWhenInUse?: boolean;
}

/** A running simulator. */
export interface Simulator {
  readonly port: number;
  readonly host: string;
  readonly password: string;
  readonly clock: SimClock;
  /** The simulated switch (channels, state, event factory) for direct inspection. */
  readonly core: SimSwitch;
  /** Armable wire faults (split frames, malformed frame, bad encoding, reordering). */
  readonly faults: WireFaults;
  /** A caller arrives (default: answer, park). Returns the new channel's uuid. */
  originateInbound(options?: InboundCallOptions): string;
  /** The far end hangs up a leg (BYE). False when the uuid is unknown. */
  hangup(uuid: string, cause?: string): boolean;
  /** The caller presses keys. */
  sendDtmf(uuid: string, digits: string, options?: DtmfOptions): boolean;
  /** The phone puts the call on hold (re-INVITE) or resumes it. */
  phoneHold(uuid: string, on: boolean): boolean;
  /**
   * Fires a CUSTOM callcenter::info event (§2.4) with its CC-* headers in order, carrying the agent or member
   * channel's data where mod_callcenter does. mod_callcenter itself is not simulated: the caller plays §3.8.
   */
  callcenterInfo(action: string, values: Readonly<Record<string, string>>, channel?: string): FsEvent;
  /** Changes an endpoint's behaviour at run time (undefined restores the default). */
  setEndpoint(user: string, config: EndpointConfig | undefined): void;
  /** Runs an API command in-process, as `api <command> <arg>` would. */
  api(command: string, arg?: string): Promise<string>;
  /** Sees every event fired (Event-Sequence order), whether or not any client subscribed. */
  onEvent(fn: (event: FsEvent) => void): () => void;
  /** Number of connected clients. */
  connections(): number;
  /** Drops every client socket at once, without notice (fault injection). */
  dropConnections(): void;
  /** Every client stops receiving events for `ms` of simulator time (queue, then lost events, then kill). */
  stallConnections(ms: number): void;
  /** Starts generated traffic (Poisson callers, IVR answers, patience, talk time); validated with zod. */
  startTraffic(scenario: TrafficScenarioInput): TrafficGenerator;
  /** Stops listening, disconnects clients, cancels timers. */
  close(): Promise<void>;
}

/** Starts an ESL simulator listening on TCP. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? createRealClock();
  const random = createSeededRandom(options.seed ?? 1);
  const identity: SwitchIdentity = { ...DEFAULT_IDENTITY, coreUuid: random.uuid(), ...options.identity };
  const endpoints = new EndpointDirectory(random.fork('endpoints'), { users: options.users, defaultRingMs: options.ringMs, defaultProfile: options.defaultEndpoint });
  for (const [user, config] of Object.entries(options.endpoints ?? {})) endpoints.configure(user, config);
  const core = new SimSwitch({ clock, random, identity, endpoints, dialplan: options.dialplan, mediaDuration: options.mediaDuration, firstSequence: options.firstSequence });
  core.busyWhenInUse = options.busyWhenInUse ?? false;
  const faults = new WireFaults(random.fork('faults'), clock);
  const limits: ListenerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const password = options.password ?? 'ClueCon';
  const host = options.host ?? '127.0.0.1';
  const listeners = new Set<Listener>();
  const sockets = new Set<Socket>();
  let nextId = 1;
  const generators: TrafficGenerator[] = [];

  core.registerApp('socket', socketApp({
    limits,
    faults,
    nextId: () => nextId++,
    track: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  }));

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const listener = new Listener(nextId++, socket, core, { password, limits, faults, onClose: (l) => listeners.delete(l) });
    listeners.add(listener);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8021, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8021);

  let heartbeat: SimTimer | undefined;
  const heartbeatMs = (options.heartbeatSec ?? 20) * 1000;
  const beat = (): void => {
    core.heartbeat();
    heartbeat = clock.setTimer(heartbeatMs, beat);
  };
  if (heartbeatMs > 0) heartbeat = clock.setTimer(heartbeatMs, beat);

  return {
    port,
    host,
    password,
    clock,
    core,
    faults,
    originateInbound: (o) => core.inboundCall(o),
    hangup: (uuid, cause) => {
      const ch = core.get(uuid);
      return ch ? core.hangup(ch, cause ?? 'NORMAL_CLEARING') : false;
    },
    sendDtmf: (uuid, digits, o) => core.sendDtmf(uuid, digits, o),
    phoneHold: (uuid, on) => core.phoneHold(uuid, on),
    setEndpoint: (user, config) => endpoints.configure(user, config),
    callcenterInfo: (action, values, channel) => {
      const event = callcenterInfo(core, action, values, channel);
      core.fire(event);
      return event;
    },
    api: (command, arg = '') => new Promise((resolve) => executeApi(core, command, arg, resolve)),
    onEvent: (fn) => core.subscribe(fn),
    connections: () => listeners.size,
    dropConnections: () => {
      for (const l of [...listeners]) l.destroy();
    },
    stallConnections: (ms) => {
      for (const l of listeners) l.stall(ms);
    },
    startTraffic(input) {
      const scenario = TrafficScenarioSchema.parse(input);
      const generator = new TrafficGenerator(core, scenario, createSeededRandom(`${scenario.seed ?? options.seed ?? 1}:traffic`));
      generators.push(generator);
      generator.start();
      return generator;
    },
    async close() {
      for (const g of generators) g.stop();
      if (heartbeat) clock.clearTimer(heartbeat);
      for (const ch of [...core.channels.values()]) for (const t of [...ch.timers]) core.cancel(ch, t);
      for (const s of sockets) s.destroy();
      for (const l of [...listeners]) l.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
