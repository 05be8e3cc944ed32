/**
 * The shape every aggregate in Ledgerline takes (Jérémie Chassaing's decider pattern):
 * `decide` turns a command and the current state into new events, or throws a coded LedgerlineError;
 * `evolve` folds one event into the state; `initialState` is the state of an empty stream.
 * Both functions are pure and total: time and ids arrive inside commands.
 */
export interface Decider<Command, Event, State> {
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: State;
}

/** The state after folding `events` into `initialState`. */
export function fold<Command, Event, State>(decider: Decider<Command, Event, State>, events: Iterable<Event>): State {
  let state = decider.initialState;
  for (const e of events) state = decider.evolve(state, e);
  return state;
}

/** Every command carries who asked, when, and a unique id that event ids derive from. */
export interface CommandEnvelope {
  /** Unique per command; retries reuse it so event ids (and so appends) are idempotent. */
  readonly commandId: string;
  /** Epoch milliseconds: the domain reads no clock. */
  readonly at: number;
  /** Who issued it: `agent:<id>`, `supervisor:<id>`, `system:<component>`, `switch:<core-uuid>`. */
  readonly actor?: string;
}
