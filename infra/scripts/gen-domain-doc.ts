// Regenerates the generated sections of docs/domain.md (events, state machines, routing and metrics parts).
// Usage: node infra/scripts/gen-domain-doc.ts [--check]   (--check: exit 1 when the file is out of date, write nothing)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOC_PARTS, renderDomainDoc } from '../../domain/events/render-domain-doc.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Reads a file, or undefined when it does not exist. */
export function readIfPresent(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** The doc parts other areas write under docs/parts/. */
export function readDocParts(repoRoot: string): Record<string, string | undefined> {
  return Object.fromEntries(DOC_PARTS.map((id) => [id, readIfPresent(join(repoRoot, 'docs', 'parts', `${id}.md`))]));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = join(root, 'docs', 'domain.md');
  const current = readIfPresent(path);
  const next = renderDomainDoc(current, readDocParts(root));
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('docs/domain.md is out of date: run node infra/scripts/gen-domain-doc.ts');
      process.exit(1);
    }
    console.log('docs/domain.md is up to date');
  } else if (next === current) {
    console.log('docs/domain.md is up to date');
  } else {
    writeFileSync(path, next);
    console.log('docs/domain.md written');
  }
}
