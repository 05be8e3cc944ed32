// Renders the generated parts of docs/domain.md from the code: event schemas, state machines, and the routing and
// metrics parts other areas write. Pure: the caller reads and writes files (infra/scripts/gen-domain-doc.ts).
import type { z } from 'zod';
import { agentTransitions } from '../agent/agent-state-machine.ts';
import { callCommandSchemas } from '../call/call-commands.ts';
import { callTransitions } from '../call/call-state-machine.ts';
import type { EventDefinition } from './event-definition.ts';
import { allEventDefinitions } from './registry.ts';

/** One row of a state-machine table. */
export interface TransitionRow {
  readonly from: string;
  readonly command: string;
  readonly to: string;
  readonly when?: string;
}

/** Everything the generated sections are made of. */
export interface DomainDocInput {
  readonly definitions: readonly EventDefinition[];
  readonly stateMachines: readonly { readonly id: string; readonly rows: readonly TransitionRow[] }[];
  /** Command schemas by section id (`call-commands`): zod objects whose `type` literal names the command. */
  readonly commands: Readonly<Record<string, readonly z.ZodType[]>>;
  /** Markdown written by other areas (docs/parts/<id>.md), by section id; undefined when not written yet. */
  readonly parts: Readonly<Record<string, string | undefined>>;
}

/** The ids of the inlined parts, in document order. */
export const DOC_PARTS = ['routing', 'metrics'] as const;

const begin = (id: string) => `<!-- BEGIN GENERATED: ${id} (do not edit; run node infra/scripts/gen-domain-doc.ts) -->`;
const end = (id: string) => `<!-- END GENERATED: ${id} -->`;

interface ZodDefLike {
  type: string;
  [k: string]: unknown;
}
const defOf = (s: z.ZodType): ZodDefLike => (s as unknown as { def: ZodDefLike }).def;

/** A short, stable rendering of a zod type: `string`, `int ≥ 0`, `'a' | 'b'`, `{ kind: 'x', n: number }`, `T[]`, `T | null`. */
export function renderZodType(schema: z.ZodType): string {
  const d = defOf(schema);
  switch (d.type) {
    case 'string':
    case 'boolean':
    case 'null':
    case 'unknown':
    case 'any':
      return d.type;
    case 'number':
      return renderNumber(d);
    case 'literal':
      return (d['values'] as unknown[]).map((v) => JSON.stringify(v).replaceAll('"', "'")).join(' | ');
    case 'enum':
      return Object.values(d['entries'] as Record<string, string | number>)
        .map((v) => (typeof v === 'string' ? `'${v}'` : String(v)))
        .join(' | ');
    case 'optional':
      return `${renderZodType(d['innerType'] as z.ZodType)} (optional)`;
    case 'nullable':
      return `${renderZodType(d['innerType'] as z.ZodType)} | null`;
    case 'default': {
      const value = d['defaultValue'];
      const shown = typeof value === 'object' && value !== null && JSON.stringify(value).length > 24 ? 'given' : JSON.stringify(value);
      return `${renderZodType(d['innerType'] as z.ZodType)} (default ${shown})`;
    }
    case 'array': {
      const inner = renderZodType(d['element'] as z.ZodType);
      return /[ |]/.test(inner) && !inner.startsWith('{') ? `(${inner})[]` : `${inner}[]`;
    }
    case 'object': {
      const shape = d['shape'] as Record<string, z.ZodType>;
      return `{ ${Object.entries(shape)
        .map(([k, v]) => `${k}: ${renderZodType(v)}`)
        .join(', ')} }`;
    }
    case 'union':
      return (d['options'] as z.ZodType[]).map((o) => renderZodType(o)).join(' | ');
    case 'record':
      return `Record<${renderZodType(d['keyType'] as z.ZodType)}, ${renderZodType(d['valueType'] as z.ZodType)}>`;
    default:
      return d.type;
  }
}

function renderNumber(d: ZodDefLike): string {
  const checks = ((d['checks'] as { _zod: { def: Record<string, unknown> } }[] | undefined) ?? []).map((c) => c._zod.def);
  const isInt = d['format'] === 'safeint' || d['format'] === 'int32' || checks.some((c) => c['check'] === 'number_format' && c['format'] === 'safeint');
  let low = '';
  let high = '';
  for (const c of checks) {
    if (c['check'] === 'greater_than') low = `${c['inclusive'] === true ? '≥' : '>'} ${String(c['value'])}`;
    if (c['check'] === 'less_than') high = `${c['inclusive'] === true ? '≤' : '<'} ${String(c['value'])}`;
  }
  const base = isInt ? 'int' : 'number';
  if (low.startsWith('≥') && high.startsWith('≤')) return `${base} ${low.slice(2)}–${high.slice(2)}`;
  return [base, low, high].filter((x) => x !== '').join(' ');
}

/** The `.describe()` text of a field, looking through optional/nullable/default wrappers. */
export function fieldDescription(schema: z.ZodType): string {
  let s: z.ZodType | undefined = schema;
  while (s) {
    if (s.description) return s.description;
    const d = defOf(s);
    s = ['optional', 'nullable', 'default'].includes(d.type) ? (d['innerType'] as z.ZodType) : undefined;
  }
  return '';
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The object (or array of objects) inside optional/nullable/default wrappers, if that is what a field holds. */
function nestedObject(schema: z.ZodType): { shape: Record<string, z.ZodType>; array: boolean; outer: string } | undefined {
  let s = schema;
  const wrappers: string[] = [];
  for (;;) {
    const d = defOf(s);
    if (d.type === 'optional' || d.type === 'nullable' || d.type === 'default') {
      wrappers.push(d.type === 'optional' ? ' (optional)' : d.type === 'nullable' ? ' | null' : ' (default given)');
      s = d['innerType'] as z.ZodType;
      continue;
    }
    if (d.type === 'object') return { shape: d['shape'] as Record<string, z.ZodType>, array: false, outer: `object${wrappers.reverse().join('')}` };
    if (d.type === 'array' && defOf(d['element'] as z.ZodType).type === 'object') {
      return { shape: defOf(d['element'] as z.ZodType)['shape'] as Record<string, z.ZodType>, array: true, outer: `object[]${wrappers.reverse().join('')}` };
    }
    return undefined;
  }
}

/** Table rows for a field; nested objects are flattened into dotted paths (`settings.routing.strategy`). */
function fieldRows(path: string, schema: z.ZodType): string[] {
  const nested = nestedObject(schema);
  if (!nested) return [`| \`${path}\` | \`${cell(renderZodType(schema))}\` | ${cell(fieldDescription(schema))} |`];
  const prefix = nested.array ? `${path}[]` : path;
  return [
    `| \`${path}\` | \`${cell(nested.outer)}\` | ${cell(fieldDescription(schema))} |`,
    ...Object.entries(nested.shape).flatMap(([k, v]) => fieldRows(`${prefix}.${k}`, v)),
  ];
}

function renderEvent(def: EventDefinition): string {
  const lines = [`#### ${def.type} (v${def.version})`, '', def.description, ''];
  const d = defOf(def.schema);
  if (d.type === 'object') {
    lines.push('| Field | Type | Description |', '| --- | --- | --- |');
    for (const [name, field] of Object.entries(d['shape'] as Record<string, z.ZodType>)) lines.push(...fieldRows(name, field));
  } else {
    lines.push(`Data: \`${cell(renderZodType(def.schema))}\``);
  }
  if (def.version > 1) {
    const steps = Array.from({ length: def.version - 1 }, (_, i) => `v${i + 1} → v${i + 2}`).join(', ');
    lines.push('', `Older stored versions are upcast on read: ${steps}.`);
  }
  return lines.join('\n');
}

function renderEvents(defs: readonly EventDefinition[]): string {
  const categories = [...new Set(defs.map((d) => d.category))];
  const out = [
    `${defs.length} event types. Each is stored as \`{ type, data, schemaVersion }\`; reading upcasts older versions, then validates.`,
    '',
    '| Type | Category | Version | Description |',
    '| --- | --- | --- | --- |',
    ...defs.map((d) => `| [${d.type}](#${d.type.toLowerCase()}-v${d.version}) | ${d.category} | ${d.version} | ${cell(d.description)} |`),
  ];
  for (const category of categories) {
    out.push('', `### Stream category \`${category}\` (\`${category}-<id>\`)`);
    for (const d of defs.filter((x) => x.category === category)) out.push('', renderEvent(d));
  }
  return out.join('\n');
}

const ENVELOPE = new Set(['type', 'commandId', 'at', 'actor', 'callId']);

function renderCommands(schemas: readonly z.ZodType[]): string {
  const out = ['Every command also carries `commandId`, `at` (epoch ms) and optionally `actor`, plus the id of its stream.'];
  for (const schema of schemas) {
    const shape = defOf(schema)['shape'] as Record<string, z.ZodType>;
    const type = renderZodType(shape['type']!).replaceAll("'", '');
    const fields = Object.entries(shape).filter(([k]) => !ENVELOPE.has(k));
    out.push('', `#### ${type}`, '');
    if (schema.description) out.push(schema.description, '');
    if (fields.length === 0) out.push('No fields beyond the envelope.');
    else out.push('| Field | Type | Description |', '| --- | --- | --- |', ...fields.flatMap(([k, v]) => fieldRows(k, v)));
  }
  return out.join('\n');
}

function renderTransitions(rows: readonly TransitionRow[]): string {
  const states = [...new Set(rows.flatMap((r) => [r.from, r.to]))];
  return [
    `States: ${states.map((s) => `\`${s}\``).join(', ')}. Every pair not listed is refused with a coded error.`,
    '',
    '| From | Command | To | When |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| \`${r.from}\` | ${r.command} | \`${r.to}\` | ${cell(r.when ?? '')} |`),
  ].join('\n');
}

/** The generated sections by id: `events`, one per state machine, one per part. */
export function renderGeneratedSections(input: DomainDocInput): Record<string, string> {
  const sections: Record<string, string> = { events: renderEvents(input.definitions) };
  for (const m of input.stateMachines) sections[m.id] = renderTransitions(m.rows);
  for (const [id, schemas] of Object.entries(input.commands)) sections[id] = renderCommands(schemas);
  for (const id of DOC_PARTS) {
    const part = input.parts[id];
    sections[id] = part === undefined ? `_Not written yet: docs/parts/${id}.md._` : part.trim();
  }
  return sections;
}

/** Hand-written skeleton used when docs/domain.md does not exist yet; generated sections sit between markers. */
export function domainDocTemplate(): string {
  const block = (id: string) => `${begin(id)}\n${end(id)}`;
  return [
    '# Ledgerline domain',
    '',
    'The events, state machines, routing rules and metric formulas of Ledgerline, as the code defines them.',
    'Text between GENERATED markers is rendered from the code by `node infra/scripts/gen-domain-doc.ts`;',
    'domain/events/domain-doc.test.ts fails when it drifts. Everything outside the markers is written by hand.',
    '',
    '## Events',
    '',
    block('events'),
    '',
    '## Call state machine',
    '',
    'One `call-<callId>` stream per customer interaction, from arrival (or origination) to the disposition.',
    '',
    block('call-state-machine'),
    '',
    '### Call commands',
    '',
    block('call-commands'),
    '',
    '## Agent state machine',
    '',
    block('agent-state-machine'),
    '',
    '## Routing rules',
    '',
    block('routing'),
    '',
    '## Metric formulas',
    '',
    block('metrics'),
    '',
  ].join('\n');
}

/** Replaces the text between each pair of markers in `doc`; a section whose markers are missing is appended at the end. */
export function applyGeneratedSections(doc: string, sections: Readonly<Record<string, string>>): string {
  let out = doc;
  for (const [id, body] of Object.entries(sections)) {
    const b = out.indexOf(begin(id));
    const e = out.indexOf(end(id));
    const block = `${begin(id)}\n${body}\n${end(id)}`;
    if (b >= 0 && e > b) out = out.slice(0, b) + block + out.slice(e + end(id).length);
    else out = `${out.trimEnd()}\n\n${block}\n`;
  }
  return out;
}

/** The input built from this build's registry and state machines, with the parts the caller read. */
export function currentDomainDocInput(parts: Readonly<Record<string, string | undefined>>): DomainDocInput {
  return {
    definitions: allEventDefinitions,
    stateMachines: [
      { id: 'call-state-machine', rows: callTransitions },
      { id: 'agent-state-machine', rows: agentTransitions },
    ],
    commands: { 'call-commands': callCommandSchemas },
    parts,
  };
}

/** docs/domain.md as it should be: `current` (or the template) with every generated section brought up to date. */
export function renderDomainDoc(current: string | undefined, parts: Readonly<Record<string, string | undefined>>): string {
  return applyGeneratedSections(current ?? domainDocTemplate(), renderGeneratedSections(currentDomainDocInput(parts)));
}
