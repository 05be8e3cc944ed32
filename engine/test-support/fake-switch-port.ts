// TEST SUPPORT ONLY. A stand-in for the telephony switch in the engine's unit and integration tests: it records every
// command (originates by origination uuid, so a double originate is visible) and lets the test push switch facts.
// It is not a switch simulation: end-to-end tests use infra/simulator through the real ESL adapter.
import type {
  ChannelStatus,
  OriginateIntoConferenceRequest,
  OriginateLegRequest,
  OriginateSupervisorRequest,
  SwitchCommandBase,
  SwitchFact,
  SwitchPort,
} from '../ports/switch-port.ts';

/** One recorded command: its name and its request. */
export interface RecordedSwitchCommand {
  readonly name: string;
  readonly request: SwitchCommandBase & Record<string, unknown>;
}

/** Records commands; facts are pushed by the test with `emit`. */
export class FakeSwitchPort implements SwitchPort {
  readonly commands: RecordedSwitchCommand[] = [];
  /** legUuid → how many times it was originated (anything above 1 is a double originate). */
  readonly originations = new Map<string, number>();
  readonly statuses = new Map<string, ChannelStatus>();
  /** Called after each command is recorded (e.g. to answer an originate); errors it throws reject the command. */
  onCommand: ((c: RecordedSwitchCommand) => void | Promise<void>) | undefined;
  #queue: SwitchFact[] = [];
  #waiters: ((r: IteratorResult<SwitchFact>) => void)[] = [];
  #closed = false;

  /** Pushes a fact to the engine (and tracks the leg's status). */
  emit(fact: SwitchFact): void {
    if (fact.kind === 'leg_ringing') this.statuses.set(fact.legUuid, 'ringing');
    if (fact.kind === 'leg_answered') this.statuses.set(fact.legUuid, 'answered');
    if (fact.kind === 'legs_bridged') this.statuses.set(fact.legUuid, 'bridged');
    if (fact.kind === 'leg_hangup') this.statuses.set(fact.legUuid, 'hungup');
    const w = this.#waiters.shift();
    if (w) w({ value: fact, done: false });
    else this.#queue.push(fact);
  }

  close(): void {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w({ value: undefined, done: true });
  }

  facts(): AsyncIterable<SwitchFact> {
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          const f = this.#queue.shift();
          if (f) return Promise.resolve({ value: f, done: false });
          if (this.#closed) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => this.#waiters.push(resolve));
        },
        return: () => Promise.resolve({ value: undefined, done: true }),
      }),
    };
  }

  /** Commands of one name. */
  named(name: string): RecordedSwitchCommand[] {
    return this.commands.filter((c) => c.name === name);
  }

  async #record(name: string, request: SwitchCommandBase & object): Promise<void> {
    const c = { name, request: request as RecordedSwitchCommand['request'] };
    this.commands.push(c);
    await this.onCommand?.(c);
  }

  originate(r: OriginateLegRequest): Promise<void> {
    this.originations.set(r.legUuid, (this.originations.get(r.legUuid) ?? 0) + 1);
    if (!this.statuses.has(r.legUuid)) this.statuses.set(r.legUuid, 'ringing');
    return this.#record('originate', r);
  }
  bridge(r: SwitchCommandBase & { aLegUuid: string; bLegUuid: string }): Promise<void> {
    return this.#record('bridge', r);
  }
  kill(r: SwitchCommandBase & { legUuid: string; cause: string }): Promise<void> {
    return this.#record('kill', r);
  }
  stopMedia(r: SwitchCommandBase & { legUuid: string }): Promise<void> {
    return this.#record('stopMedia', r);
  }
  answer(r: SwitchCommandBase & { legUuid: string }): Promise<void> {
    return this.#record('answer', r);
  }
  park(r: SwitchCommandBase & { legUuid: string }): Promise<void> {
    return this.#record('park', r);
  }
  hold(r: SwitchCommandBase & { legUuid: string }): Promise<void> {
    return this.#record('hold', r);
  }
  unhold(r: SwitchCommandBase & { legUuid: string }): Promise<void> {
    return this.#record('unhold', r);
  }
  transfer(r: SwitchCommandBase & { legUuid: string; exten: string; context?: string }): Promise<void> {
    return this.#record('transfer', r);
  }
  play(r: SwitchCommandBase & { legUuid: string; path: string; playbackId: string }): Promise<void> {
    return this.#record('play', r);
  }
  collectDigits(r: SwitchCommandBase & { legUuid: string; collectId: string; promptPath: string; minDigits: number; maxDigits: number; timeoutMs: number }): Promise<void> {
    return this.#record('collectDigits', r);
  }
  startRecording(r: SwitchCommandBase & { legUuid: string; path: string }): Promise<void> {
    return this.#record('startRecording', r);
  }
  stopRecording(r: SwitchCommandBase & { legUuid: string; path: string }): Promise<void> {
    return this.#record('stopRecording', r);
  }
  maskRecording(r: SwitchCommandBase & { legUuid: string; path: string; masked: boolean }): Promise<void> {
    return this.#record('maskRecording', r);
  }
  originateIntoConference(r: OriginateIntoConferenceRequest): Promise<void> {
    this.#countOriginate(r.legUuid);
    return this.#record('originateIntoConference', r);
  }
  originateSupervisor(r: OriginateSupervisorRequest): Promise<void> {
    this.#countOriginate(r.legUuid);
    return this.#record('originateSupervisor', r);
  }
  bridgeConsult(r: SwitchCommandBase & { callerLegUuid: string; agentLegUuid: string; consultLegUuid: string; holdMusicPath?: string }): Promise<void> {
    return this.#record('bridgeConsult', r);
  }
  moveToConference(r: SwitchCommandBase & { legUuid: string; room: string; both: boolean }): Promise<void> {
    return this.#record('moveToConference', r);
  }
  broadcast(r: SwitchCommandBase & { legUuid: string; path: string; legs?: 'aleg' | 'bleg' | 'both' }): Promise<void> {
    return this.#record('broadcast', r);
  }
  #countOriginate(legUuid: string): void {
    this.originations.set(legUuid, (this.originations.get(legUuid) ?? 0) + 1);
    if (!this.statuses.has(legUuid)) this.statuses.set(legUuid, 'ringing');
  }
  channelStatus(_switchId: string, legUuid: string): Promise<ChannelStatus> {
    return Promise.resolve(this.statuses.get(legUuid) ?? 'absent');
  }
}
