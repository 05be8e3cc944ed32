import { LedgerlineError } from '../errors/ledgerline-error.ts';
import { edgesOf, nodeById } from './flow-graph.ts';
import { INPUT_NODE_KINDS, IvrFlowSchema, MAX_NODES, type IvrFlow, type IvrNode, type Prompt } from './flow-schema.ts';
import { isValidTimeZone } from './time-zone.ts';

/** One reason a flow cannot be published: a stable code, where in the JSON, and a sentence for people. */
export interface FlowIssue {
  readonly code: string;
  readonly path: (string | number)[];
  readonly message: string;
}

/** Every issue code validateFlow reports (docs/ivr-flows.md explains each). */
export const FLOW_ISSUE_CODES = [
  'schema_invalid',
  'too_many_nodes',
  'missing_start_node',
  'missing_target',
  'unreachable_node',
  'input_free_loop',
  'duplicate_dtmf_key',
  'duplicate_intent',
  'invalid_time_zone',
  'invalid_time_range',
  'invalid_holiday_date',
  'invalid_digit_range',
  'missing_default_language_text',
] as const;
export type FlowIssueCode = (typeof FLOW_ISSUE_CODES)[number];

export type FlowValidation = { ok: true; flow: IvrFlow } | { ok: false; issues: FlowIssue[] };

/**
 * Checks a flow before it is published: shape first (zod), then the graph and calendar rules.
 * Never throws, whatever `flow` is; graph rules run only on a well-shaped flow.
 */
export function validateFlow(flow: unknown): FlowValidation {
  let parsed;
  const reserved: FlowIssue[] = [];
  try {
    // Refuse oversized flows before parsing them: a huge document must not cost a full zod pass.
    const nodes = typeof flow === 'object' && flow !== null ? (flow as { nodes?: unknown }).nodes : undefined;
    const count = typeof nodes === 'object' && nodes !== null ? Object.keys(nodes).length : 0;
    if (count > MAX_NODES) return { ok: false, issues: [tooMany(count)] };
    reservedKeys(flow, [], reserved, 0);
    parsed = IvrFlowSchema.safeParse(flow);
  } catch (e) {
    // Hostile input (getters that throw, revoked proxies) must still yield an issue, not an exception.
    return { ok: false, issues: [issue('schema_invalid', [], `the flow could not be read: ${String(e)}`)] };
  }
  if (!parsed.success || reserved.length > 0) {
    const zodIssues = parsed.success ? [] : parsed.error.issues;
    return {
      ok: false,
      issues: [...reserved, ...zodIssues.map((i) => issue('schema_invalid', i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), i.message))],
    };
  }
  const issues = graphIssues(parsed.data);
  return issues.length === 0 ? { ok: true, flow: parsed.data } : { ok: false, issues };
}

/** The validated flow, or a LedgerlineError IVR_FLOW_INVALID whose details carry every issue (for publishing). */
export function parseFlowOrThrow(flow: unknown): IvrFlow {
  const v = validateFlow(flow);
  if (v.ok) return v.flow;
  const first = v.issues[0]!;
  const more = v.issues.length > 1 ? ` (and ${v.issues.length - 1} more)` : '';
  throw new LedgerlineError('IVR_FLOW_INVALID', `${first.code} at ${first.path.join('.') || '(root)'}: ${first.message}${more}`, { issues: v.issues });
}

/**
 * zod silently drops `__proto__` keys from records, so a node or translation under that name would vanish on publish;
 * report it instead. JSON.parse makes such keys own properties, which is how they arrive here.
 */
function reservedKeys(value: unknown, path: (string | number)[], out: FlowIssue[], depth: number): void {
  if (depth > 32 || typeof value !== 'object' || value === null || out.length >= 20) return;
  for (const key of Object.keys(value)) {
    if (key === '__proto__') out.push(issue('schema_invalid', [...path, key], 'the key "__proto__" is reserved'));
    else reservedKeys((value as Record<string, unknown>)[key], [...path, Array.isArray(value) ? Number(key) : key], out, depth + 1);
  }
}

function tooMany(count: number): FlowIssue {
  return issue('too_many_nodes', ['nodes'], `a flow holds at most ${MAX_NODES} nodes; this one has ${count}`);
}

function issue(code: FlowIssueCode, path: (string | number)[], message: string): FlowIssue {
  return { code, path, message };
}

function graphIssues(flow: IvrFlow): FlowIssue[] {
  const ids = Object.keys(flow.nodes);
  if (ids.length > MAX_NODES) return [tooMany(ids.length)];
  const issues: FlowIssue[] = [];
  if (!nodeById(flow, flow.start)) issues.push(issue('missing_start_node', ['start'], `start node "${flow.start}" is not among the nodes`));

  for (const id of ids) {
    const node = flow.nodes[id]!;
    for (const e of edgesOf(node)) {
      if (!nodeById(flow, e.target)) issues.push(issue('missing_target', ['nodes', id, ...e.path], `node "${id}" leads to "${e.target}", which does not exist`));
    }
    issues.push(...nodeIssues(flow, id, node));
  }

  if (nodeById(flow, flow.start)) {
    const reached = reachable(flow);
    for (const id of ids) {
      if (!reached.has(id)) issues.push(issue('unreachable_node', ['nodes', id], `node "${id}" cannot be reached from "${flow.start}"`));
    }
  }
  for (const cycle of inputFreeCycles(flow)) {
    issues.push(
      issue('input_free_loop', ['nodes', cycle[0]!], `nodes ${cycle.map((c) => `"${c}"`).join(' → ')} form a loop that never waits for the caller (add a menu, collect or speech node)`),
    );
  }
  return issues;
}

function nodeIssues(flow: IvrFlow, id: string, node: IvrNode): FlowIssue[] {
  const at = (...p: (string | number)[]) => ['nodes', id, ...p];
  const out: FlowIssue[] = [];
  const dupKeys = (options: readonly { key: string }[], base: (string | number)[]) => {
    const seen = new Set<string>();
    options.forEach((o, i) => {
      if (seen.has(o.key)) out.push(issue('duplicate_dtmf_key', at(...base, i, 'key'), `key "${o.key}" is used twice in node "${id}"`));
      seen.add(o.key);
    });
  };
  for (const [p, prompt] of promptsOf(node)) {
    if ('text' in prompt && typeof prompt.text === 'object' && !Object.hasOwn(prompt.text, flow.defaultLanguage)) {
      out.push(issue('missing_default_language_text', at(...p, 'text'), `the text has no version in the default language "${flow.defaultLanguage}"`));
    }
  }
  switch (node.kind) {
    case 'menu':
      dupKeys(node.options, ['options']);
      break;
    case 'speech': {
      if (node.dtmfFallback) dupKeys(node.dtmfFallback.options, ['dtmfFallback', 'options']);
      const seen = new Set<string>();
      node.intents.forEach((it, i) => {
        if (seen.has(it.intent)) out.push(issue('duplicate_intent', at('intents', i, 'intent'), `intent "${it.intent}" is mapped twice in node "${id}"`));
        seen.add(it.intent);
      });
      break;
    }
    case 'collect':
      if (node.minDigits > node.maxDigits) out.push(issue('invalid_digit_range', at('minDigits'), `minDigits ${node.minDigits} exceeds maxDigits ${node.maxDigits}`));
      break;
    case 'condition':
      node.branches.forEach((b, i) => {
        const t = b.when;
        if (t.kind !== 'business_hours') return;
        const base = ['branches', i, 'when'];
        if (!isValidTimeZone(t.timeZone)) out.push(issue('invalid_time_zone', at(...base, 'timeZone'), `"${t.timeZone}" is not an IANA time zone this runtime knows`));
        for (const [day, ranges] of Object.entries(t.weekly)) {
          (ranges ?? []).forEach((r, j) => {
            if (r.from >= r.to) out.push(issue('invalid_time_range', at(...base, 'weekly', day, j), `${r.from}–${r.to} is empty: "from" must be before "to"`));
          });
        }
        t.holidays.forEach((d, j) => {
          if (!isCalendarDate(d)) out.push(issue('invalid_holiday_date', at(...base, 'holidays', j), `${d} is not a calendar date`));
        });
      });
      break;
    default:
      break;
  }
  return out;
}

/** Every prompt a node plays, with its path inside the node. */
function promptsOf(node: IvrNode): [(string | number)[], Prompt][] {
  const out: [(string | number)[], Prompt][] = [];
  if ('prompt' in node) out.push([['prompt'], node.prompt]);
  if ('invalidPrompt' in node && node.invalidPrompt) out.push([['invalidPrompt'], node.invalidPrompt]);
  if ('noInputPrompt' in node && node.noInputPrompt) out.push([['noInputPrompt'], node.noInputPrompt]);
  if (node.kind === 'speech' && node.dtmfFallback) out.push([['dtmfFallback', 'prompt'], node.dtmfFallback.prompt]);
  return out;
}

function isCalendarDate(d: string): boolean {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  if (m < 1 || m > 12 || day < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return day <= days;
}

function reachable(flow: IvrFlow): Set<string> {
  const seen = new Set<string>([flow.start]);
  const todo = [flow.start];
  while (todo.length > 0) {
    const node = nodeById(flow, todo.pop()!);
    if (!node) continue;
    for (const e of edgesOf(node)) {
      if (!seen.has(e.target) && nodeById(flow, e.target)) {
        seen.add(e.target);
        todo.push(e.target);
      }
    }
  }
  return seen;
}

/**
 * Cycles made only of nodes that never wait for the caller (strongly connected components of that sub-graph,
 * Tarjan's algorithm, iterative so a long chain cannot blow the stack). Each cycle is listed once.
 */
function inputFreeCycles(flow: IvrFlow): string[][] {
  const ids = Object.keys(flow.nodes).filter((id) => !INPUT_NODE_KINDS.has(flow.nodes[id]!.kind));
  const inSub = new Set(ids);
  const succ = (id: string) => edgesOf(flow.nodes[id]!).map((e) => e.target).filter((t) => inSub.has(t));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; next: string[]; i: number }[] = [];
    const open = (id: string) => {
      index.set(id, counter);
      low.set(id, counter);
      counter++;
      stack.push(id);
      onStack.add(id);
      work.push({ id, next: succ(id), i: 0 });
    };
    open(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.next.length) {
        const w = frame.next[frame.i++]!;
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.id);
        const selfLoop = component.length === 1 && frame.next.includes(frame.id);
        if (component.length > 1 || selfLoop) cycles.push(component.reverse());
      }
    }
  }
  return cycles;
}
