// docs/domain.md must equal what the generator renders from the code: a schema change without regenerating fails here.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readDocParts, readIfPresent } from '../../infra/scripts/gen-domain-doc.ts';
import { defineEvent } from './event-definition.ts';
import { allEventDefinitions } from './registry.ts';
import {
  applyGeneratedSections,
  domainDocTemplate,
  fieldDescription,
  renderDomainDoc,
  renderGeneratedSections,
  renderZodType,
} from './render-domain-doc.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('docs/domain.md', () => {
  it('is up to date with the event schemas, state machines and doc parts (run node infra/scripts/gen-domain-doc.ts)', () => {
    const current = readIfPresent(join(root, 'docs', 'domain.md'));
    expect(current, 'docs/domain.md is missing').toBeDefined();
    expect(current).toBe(renderDomainDoc(current, readDocParts(root)));
  });
  it('documents every registered event with each of its fields', () => {
    const doc = readFileSync(join(root, 'docs', 'domain.md'), 'utf8');
    for (const def of allEventDefinitions) {
      expect(doc).toContain(`#### ${def.type} (v${def.version})`);
      for (const field of Object.keys((def.schema as unknown as z.ZodObject).shape)) expect(doc, `${def.type}.${field}`).toContain(`| \`${field}\` |`);
    }
  });
});

describe('renderDomainDoc pieces', () => {
  it('renders zod types compactly', () => {
    expect(renderZodType(z.number().int().min(0).max(999))).toBe('int 0–999');
    expect(renderZodType(z.int().nonnegative())).toBe('int ≥ 0');
    expect(renderZodType(z.number())).toBe('number');
    expect(renderZodType(z.int().positive())).toBe('int > 0');
    expect(renderZodType(z.number().min(0).lt(1))).toBe('number ≥ 0 < 1');
    expect(renderZodType(z.enum(['a', 'b']).nullable())).toBe("'a' | 'b' | null");
    expect(renderZodType(z.array(z.string()).optional())).toBe('string[] (optional)');
    expect(renderZodType(z.array(z.enum(['x', 'y'])))).toBe("('x' | 'y')[]");
    expect(renderZodType(z.string().default('q'))).toBe('string (default "q")');
    expect(renderZodType(z.discriminatedUnion('k', [z.object({ k: z.literal('a') }), z.object({ k: z.literal('b'), n: z.boolean() })]))).toBe(
      "{ k: 'a' } | { k: 'b', n: boolean }",
    );
    expect(renderZodType(z.record(z.string(), z.number()))).toBe('Record<string, number>');
  });
  it('finds descriptions through nullable/optional/default wrappers', () => {
    expect(fieldDescription(z.string().describe('inner').nullable())).toBe('inner');
    expect(fieldDescription(z.string().describe('inner').nullable().describe('outer'))).toBe('outer');
    expect(fieldDescription(z.string())).toBe('');
  });
  it('replaces only the text between markers and keeps hand-written text', () => {
    const doc = applyGeneratedSections(domainDocTemplate(), { events: 'E1' }).replace('## Events', '## Events\n\nHand-written note.');
    const next = applyGeneratedSections(doc, { events: 'E2' });
    expect(next).toContain('Hand-written note.');
    expect(next).toContain('E2');
    expect(next).not.toContain('E1');
    expect(applyGeneratedSections(next, { events: 'E2' })).toBe(next);
  });
  it('appends a section whose markers are missing', () => {
    const out = applyGeneratedSections('# Doc\n', { extra: 'X' });
    expect(out).toMatch(/^# Doc\n\n<!-- BEGIN GENERATED: extra .*-->\nX\n<!-- END GENERATED: extra -->\n$/);
  });
  it('renders events with fields, nested objects flattened, versions, and placeholders for missing parts', () => {
    const def = defineEvent({
      type: 'ThingHappened',
      category: 'thing',
      version: 2,
      description: 'A thing happened.',
      schema: z.object({ id: z.string().describe('Which thing'), where: z.object({ room: z.string() }).nullable() }),
      upcasters: { 1: (d) => d },
    });
    const sections = renderGeneratedSections({ definitions: [def], stateMachines: [{ id: 'm', rows: [{ from: 'a', command: 'Go', to: 'b', when: 'x | y' }] }], commands: { cmds: [z.object({ type: z.literal('Go'), commandId: z.string(), speed: z.int() })] }, parts: { routing: '# R\n' } });
    expect(sections['events']).toContain('#### ThingHappened (v2)');
    expect(sections['events']).toContain('| `id` | `string` | Which thing |');
    expect(sections['events']).toContain('| `where` | `object \\| null` |  |');
    expect(sections['events']).toContain('| `where.room` | `string` |  |');
    expect(sections['events']).toContain('v1 → v2');
    expect(sections['m']).toContain('| `a` | Go | `b` | x \\| y |');
    expect(sections['cmds']).toContain('#### Go');
    expect(sections['cmds']).toContain('| `speed` | `int` |  |');
    expect(sections['cmds']).not.toContain('commandId` |');
    expect(sections['routing']).toBe('# R');
    expect(sections['metrics']).toBe('_Not written yet: docs/parts/metrics.md._');
  });
});
