import { LedgerlineError } from '../errors/ledgerline-error.ts';
import { CALLER_TIER_VARIABLE, testHolds } from './conditions.ts';
import { nodeById } from './flow-graph.ts';
import type {
  CollectNode,
  DtmfOption,
  IvrFlow,
  IvrNode,
  MenuNode,
  Prompt,
  SpeechNode,
  VariableValue,
} from './flow-schema.ts';
import { IvrContextSchema, IvrInputSchema, type IvrContext, type IvrInput, type ParsedIvrInput } from './inputs.ts';
import type { PlayInstruction, SwitchInstruction } from './instructions.ts';
import type { IvrOutcome, IvrPhase, IvrSession, PathEntry } from './session.ts';

/**
 * Most nodes one call to `start`/`advance` may enter. Validation forbids loops without caller input, so a valid
 * flow's longest automatic chain is shorter than MAX_NODES (500); this guard catches unvalidated flows.
 */
export const STEP_BUDGET = 512;

/** The result of one interpreter call. */
export interface Step {
  readonly session: IvrSession;
  /** The current node after the step (the session's node). */
  readonly node: string;
  /** Nodes entered during this step, in order (empty when the input re-prompted, was ignored, or ended the call). */
  readonly entered: readonly string[];
  /** What the switch should do now, in order. */
  readonly instructions: readonly SwitchInstruction[];
  /** The session's turn: inputs answering these instructions may echo it. */
  readonly turn: number;
  /** Set when the IVR ended in this step. */
  readonly outcome?: IvrOutcome;
  /** Set when the input changed nothing, with the rule that applied (docs/ivr-flows.md, "Inputs"). */
  readonly ignored?: string;
}

/** A session for `flow` that has not entered any node yet; `advance` with `{kind:'started'}` enters the start node. */
export function createSession(flow: IvrFlow, context: IvrContext): IvrSession {
  const parsed = IvrContextSchema.safeParse(context);
  if (!parsed.success) {
    throw new LedgerlineError('IVR_CONTEXT_INVALID', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  const ctx = parsed.data;
  if (!nodeById(flow, flow.start)) throw new LedgerlineError('IVR_FLOW_INVALID', `start node "${flow.start}" does not exist`, { flowId: flow.id });
  const variables: Record<string, VariableValue> = { ...ctx.variables };
  if (ctx.callerNumber !== undefined) variables['caller.number'] = ctx.callerNumber;
  if (ctx.dialedNumber !== undefined) variables['dialed.number'] = ctx.dialedNumber;
  if (ctx.callerTier !== undefined) variables[CALLER_TIER_VARIABLE] = ctx.callerTier;
  if (ctx.callId !== undefined) variables['call.id'] = ctx.callId;
  return {
    flowId: flow.id,
    ...(ctx.callId !== undefined ? { callId: ctx.callId } : {}),
    phase: 'new',
    node: flow.start,
    turn: 0,
    language: ctx.language ?? flow.defaultLanguage,
    variables,
    retries: {},
    path: [],
    startedAt: ctx.at,
    lastInputAt: ctx.at,
  };
}

/** Creates a session and enters the start node: `advance(flow, createSession(flow, context), {kind:'started'})`. */
export function start(flow: IvrFlow, context: IvrContext): Step {
  const session = createSession(flow, context);
  return advance(flow, session, { kind: 'started', at: session.startedAt });
}

/**
 * Feeds one input to a session. Inputs the current node does not wait for are ignored (`Step.ignored`); inputs
 * that can never be right throw a coded LedgerlineError: IVR_INPUT_INVALID (malformed), IVR_SESSION_ENDED,
 * IVR_UNEXPECTED_INPUT (`started` twice, or anything but `started`/`caller_hangup` before `started`),
 * IVR_SESSION_INVALID (the session is not one of this flow's), IVR_FLOW_INVALID, IVR_STEP_BUDGET_EXCEEDED.
 */
export function advance(flow: IvrFlow, session: IvrSession, input: IvrInput): Step {
  const parsed = IvrInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new LedgerlineError('IVR_INPUT_INVALID', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  const inp = parsed.data;
  const node = checkSession(flow, session);
  if (session.phase === 'ended') {
    throw new LedgerlineError('IVR_SESSION_ENDED', `the session already ended (${session.outcome?.kind ?? 'unknown'})`, { node: session.node, input: inp.kind });
  }

  const run = new Run(flow, session, inp.at);
  if (inp.kind === 'caller_hangup') {
    run.end({ kind: 'abandoned', node: session.node });
    return run.step();
  }
  if (session.phase === 'new') {
    if (inp.kind !== 'started') {
      throw new LedgerlineError('IVR_UNEXPECTED_INPUT', `"${inp.kind}" before "started"`, { node: session.node, input: inp.kind });
    }
    run.enter(flow.start);
    return run.step();
  }
  if (inp.kind === 'started') {
    throw new LedgerlineError('IVR_UNEXPECTED_INPUT', 'the session has already started', { node: session.node, input: inp.kind });
  }
  if (inp.turn !== undefined && inp.turn !== session.turn) {
    return ignored(session, `stale: input for turn ${inp.turn}, the session is at turn ${session.turn}`);
  }
  const why = run.handle(node, inp);
  return why === undefined ? run.step() : ignored(session, why);
}

function ignored(session: IvrSession, reason: string): Step {
  return { session, node: session.node, entered: [], instructions: [], turn: session.turn, ignored: reason };
}

const PHASE_KINDS: Record<IvrPhase, readonly IvrNode['kind'][] | 'any'> = {
  new: 'any',
  ended: 'any',
  playing: ['play'],
  collecting: ['menu', 'collect'],
  listening: ['speech'],
  fallback: ['speech'],
  looking_up: ['lookup'],
};

function checkSession(flow: IvrFlow, session: IvrSession): IvrNode {
  const bad = (why: string) => new LedgerlineError('IVR_SESSION_INVALID', why, { flowId: flow.id, sessionFlowId: session?.flowId, node: session?.node });
  if (typeof session !== 'object' || session === null) throw bad('the session is not an object');
  if (session.flowId !== flow.id) throw bad(`the session belongs to flow "${session.flowId}", not "${flow.id}"`);
  const node = typeof session.node === 'string' ? nodeById(flow, session.node) : undefined;
  if (!node) throw bad(`the session's node "${String(session.node)}" is not in the flow`);
  const kinds = Object.hasOwn(PHASE_KINDS, session.phase) ? PHASE_KINDS[session.phase] : undefined;
  if (kinds === undefined) throw bad(`unknown phase "${String(session.phase)}"`);
  if (kinds !== 'any' && !kinds.includes(node.kind)) throw bad(`phase "${session.phase}" does not fit a ${node.kind} node`);
  return node;
}

/** One interpreter call's working copy of the session; `step()` freezes it into the result. */
class Run {
  readonly flow: IvrFlow;
  readonly at: number;
  phase: IvrPhase;
  node: string;
  turn: number;
  language: string;
  readonly variables: Record<string, VariableValue>;
  readonly retries: Record<string, number>;
  readonly path: PathEntry[];
  readonly entered: string[] = [];
  readonly instructions: SwitchInstruction[] = [];
  outcome?: IvrOutcome;
  private readonly base: IvrSession;

  constructor(flow: IvrFlow, session: IvrSession, at: number) {
    this.flow = flow;
    this.at = at;
    this.base = session;
    this.phase = session.phase;
    this.node = session.node;
    this.turn = session.turn;
    this.language = session.language;
    this.variables = { ...session.variables };
    this.retries = { ...session.retries };
    this.path = [...session.path];
  }

  step(): Step {
    const session: IvrSession = {
      ...this.base,
      phase: this.phase,
      node: this.node,
      turn: this.turn,
      language: this.language,
      variables: this.variables,
      retries: this.retries,
      path: this.path,
      lastInputAt: this.at,
      ...(this.outcome ? { outcome: this.outcome } : {}),
    };
    return {
      session,
      node: this.node,
      entered: this.entered,
      instructions: this.instructions,
      turn: this.turn,
      ...(this.outcome ? { outcome: this.outcome } : {}),
    };
  }

  end(outcome: IvrOutcome): void {
    this.phase = 'ended';
    this.outcome = outcome;
  }

  /** Applies an input to the current node; returns why it was ignored, or undefined when it was used. */
  handle(node: IvrNode, input: ParsedIvrInput): string | undefined {
    switch (node.kind) {
      case 'play':
        if (input.kind === 'prompt_done') return this.enter(node.next);
        if (input.kind === 'dtmf') return node.interruptible ? this.enter(node.next) : 'keys do not interrupt this prompt';
        return `a play node waits for prompt_done, not ${input.kind}`;
      case 'menu':
        if (input.kind === 'dtmf') return this.choose(node, node.options, input.digits, 'menu');
        if (input.kind === 'timeout') return this.retry(node, 'no_input', 'menu');
        return `a menu waits for dtmf or timeout, not ${input.kind}`;
      case 'collect':
        if (input.kind === 'dtmf') return this.collected(node, input.digits);
        if (input.kind === 'timeout') return this.retry(node, 'no_input', 'collect');
        return `a collect node waits for dtmf or timeout, not ${input.kind}`;
      case 'speech':
        return this.speech(node, input);
      case 'lookup':
        if (input.kind === 'lookup_result') {
          if (input.name !== node.name) return `a result for look-up "${input.name}" while waiting for "${node.name}"`;
          if (!input.ok) return this.enter(node.onFailure);
          for (const [field, variable] of Object.entries(node.outputs)) {
            if (Object.hasOwn(input.outputs, field)) this.variables[variable] = input.outputs[field]!;
          }
          return this.enter(node.next);
        }
        if (input.kind === 'timeout') return this.enter(node.onTimeout);
        return `a lookup node waits for lookup_result or timeout, not ${input.kind}`;
      default:
        // Sessions never rest on automatic or terminal nodes (checkSession enforces the phase).
        return `a ${node.kind} node takes no input`;
    }
  }

  private speech(node: SpeechNode, input: ParsedIvrInput): string | undefined {
    const fallback = node.dtmfFallback;
    if (this.phase === 'fallback') {
      if (input.kind === 'dtmf') return this.choose(node, fallback?.options ?? [], input.digits, 'fallback');
      if (input.kind === 'timeout') return this.retry(node, 'no_input', 'fallback');
      return `the speech node fell back to keys and waits for dtmf or timeout, not ${input.kind}`;
    }
    if (input.kind === 'speech') {
      const hit = node.intents.find((i) => i.intent === input.intent);
      if (hit && input.confidence >= node.minConfidence) return this.enter(hit.next);
      if (fallback) {
        this.ask(node, 'fallback');
        return undefined;
      }
      return this.retry(node, 'invalid', 'speech');
    }
    if (input.kind === 'dtmf') {
      return fallback ? this.choose(node, fallback.options, input.digits, 'fallback') : 'this speech node has no DTMF fallback';
    }
    if (input.kind === 'timeout') return this.retry(node, 'no_input', 'speech');
    return `a speech node waits for speech, dtmf or timeout, not ${input.kind}`;
  }

  /** Menus and fallbacks act on the first key pressed. */
  private choose(node: MenuNode | SpeechNode, options: readonly DtmfOption[], digits: string, mode: 'menu' | 'fallback'): undefined {
    const hit = options.find((o) => o.key === digits[0]);
    if (hit) return this.enter(hit.next);
    return this.retry(node, 'invalid', mode);
  }

  private collected(node: CollectNode, digits: string): undefined {
    const cut = node.terminator ? digits.indexOf(node.terminator) : -1;
    const value = cut >= 0 ? digits.slice(0, cut) : digits;
    if (/^[0-9]+$/.test(value) && value.length >= node.minDigits && value.length <= node.maxDigits) {
      this.variables[node.into] = value;
      return this.enter(node.next);
    }
    return this.retry(node, 'invalid', 'collect');
  }

  /** Counts a failed attempt; asks again (after the invalid/no-input prompt) or leaves for onExhausted. */
  private retry(node: MenuNode | CollectNode | SpeechNode, why: 'invalid' | 'no_input', mode: AskMode): undefined {
    const used = (Object.hasOwn(this.retries, this.node) ? this.retries[this.node]! : 0) + 1;
    if (used > node.maxRetries) return this.enter(node.onExhausted);
    this.retries[this.node] = used;
    this.ask(node, mode, why === 'invalid' ? node.invalidPrompt : node.noInputPrompt);
    return undefined;
  }

  private ask(node: MenuNode | CollectNode | SpeechNode, mode: AskMode, lead?: Prompt): void {
    this.turn++;
    if (lead) this.instructions.push(this.play(lead, false));
    if (mode === 'menu' && node.kind === 'menu') {
      this.phase = 'collecting';
      this.instructions.push(this.play(node.prompt, true), {
        kind: 'collect_dtmf',
        min: 1,
        max: 1,
        timeoutMs: node.timeoutMs,
        validKeys: node.options.map((o) => o.key),
      });
    } else if (mode === 'collect' && node.kind === 'collect') {
      this.phase = 'collecting';
      this.instructions.push(this.play(node.prompt, true), {
        kind: 'collect_dtmf',
        min: node.minDigits,
        max: node.maxDigits,
        ...(node.terminator ? { terminator: node.terminator } : {}),
        timeoutMs: node.timeoutMs,
        ...(node.interDigitTimeoutMs ? { interDigitTimeoutMs: node.interDigitTimeoutMs } : {}),
      });
    } else if (mode === 'speech' && node.kind === 'speech') {
      this.phase = 'listening';
      this.instructions.push(this.play(node.prompt, true), {
        kind: 'listen_speech',
        intents: node.intents.map((i) => i.intent),
        language: this.language,
        timeoutMs: node.timeoutMs,
        dtmfKeys: node.dtmfFallback?.options.map((o) => o.key) ?? [],
      });
    } else if (mode === 'fallback' && node.kind === 'speech' && node.dtmfFallback) {
      this.phase = 'fallback';
      this.instructions.push(this.play(node.dtmfFallback.prompt, true), {
        kind: 'collect_dtmf',
        min: 1,
        max: 1,
        timeoutMs: node.timeoutMs,
        validKeys: node.dtmfFallback.options.map((o) => o.key),
      });
    } else {
      throw new LedgerlineError('IVR_FLOW_INVALID', `cannot ask in mode ${mode} at a ${node.kind} node`, { node: this.node });
    }
  }

  private play(prompt: Prompt, interruptible: boolean): PlayInstruction {
    if ('id' in prompt) return { kind: 'play', prompt: prompt.id, language: this.language, interruptible };
    if (typeof prompt.text === 'string') return { kind: 'play', text: prompt.text, language: this.language, interruptible };
    const texts = prompt.text;
    const lang = Object.hasOwn(texts, this.language) ? this.language : Object.hasOwn(texts, this.flow.defaultLanguage) ? this.flow.defaultLanguage : Object.keys(texts)[0];
    return { kind: 'play', text: lang !== undefined ? texts[lang]! : '', language: lang ?? this.language, interruptible };
  }

  /** Enters `target` and follows automatic nodes until one waits or ends the flow. */
  enter(target: string): undefined {
    let id = target;
    for (;;) {
      if (this.entered.length >= STEP_BUDGET) {
        throw new LedgerlineError('IVR_STEP_BUDGET_EXCEEDED', `more than ${STEP_BUDGET} automatic transitions; last node "${id}"`, {
          flowId: this.flow.id,
          node: id,
          budget: STEP_BUDGET,
        });
      }
      const node = nodeById(this.flow, id);
      if (!node) throw new LedgerlineError('IVR_FLOW_INVALID', `node "${this.node}" leads to "${id}", which does not exist`, { flowId: this.flow.id, node: id });
      this.entered.push(id);
      this.node = id;
      this.path.push({ node: id, at: this.at });
      switch (node.kind) {
        case 'set':
          this.variables[node.variable] =
            node.value !== null && typeof node.value === 'object'
              ? Object.hasOwn(this.variables, node.value.fromVariable)
                ? this.variables[node.value.fromVariable]!
                : null
              : node.value;
          id = node.next;
          continue;
        case 'language':
          this.language = node.language;
          id = node.next;
          continue;
        case 'condition':
          id = this.branch(node.branches, node.default);
          continue;
        case 'play':
          this.turn++;
          this.phase = 'playing';
          this.instructions.push(this.play(node.prompt, node.interruptible));
          return undefined;
        case 'menu':
        case 'collect':
        case 'speech':
          delete this.retries[id];
          this.ask(node, node.kind);
          return undefined;
        case 'lookup': {
          this.turn++;
          this.phase = 'looking_up';
          const inputs: Record<string, VariableValue> = {};
          for (const [param, variable] of Object.entries(node.inputs)) {
            inputs[param] = Object.hasOwn(this.variables, variable) ? this.variables[variable]! : null;
          }
          this.instructions.push({ kind: 'lookup', name: node.name, inputs, timeoutMs: node.timeoutMs });
          return undefined;
        }
        case 'queue':
          this.instructions.push({ kind: 'queue', queueId: node.queueId, priority: node.priority, skills: node.skills, language: this.language });
          this.end({ kind: 'queued', node: id, queueId: node.queueId, priority: node.priority, skills: node.skills });
          return undefined;
        case 'transfer':
          this.instructions.push({ kind: 'transfer', to: node.to });
          this.end({ kind: 'transferred', node: id, to: node.to });
          return undefined;
        case 'voicemail':
          this.instructions.push({ kind: 'voicemail', mailbox: node.mailbox, language: this.language });
          this.end({ kind: 'voicemail', node: id, mailbox: node.mailbox });
          return undefined;
        case 'hangup':
          this.instructions.push({ kind: 'hangup', reason: node.reason });
          this.end(node.reason === 'self_served' ? { kind: 'self_served', node: id } : { kind: 'hangup', node: id, reason: node.reason });
          return undefined;
      }
    }
  }

  private branch(branches: readonly { when: Parameters<typeof testHolds>[0]; next: string }[], fallback: string): string {
    for (const b of branches) {
      let holds: boolean;
      try {
        holds = testHolds(b.when, this.variables, this.at);
      } catch (e) {
        // Only an unknown time zone makes Intl throw; validateFlow rejects those at publish time.
        throw new LedgerlineError('IVR_FLOW_INVALID', `condition at "${this.node}" could not be evaluated: ${String(e)}`, { node: this.node }, { cause: e });
      }
      if (holds) return b.next;
    }
    return fallback;
  }
}

type AskMode = 'menu' | 'collect' | 'speech' | 'fallback';
