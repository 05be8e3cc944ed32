// Reads the step markers and vitest JSON reports written by run-checks.sh and prints the closing line
// `N passed, N failed` (test cases, plus type-check and lint as one check each).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
}

const dir = process.argv[2] ?? '.data/test-results';
let passed = 0;
let failed = 0;
let skipped = 0;
const lines: string[] = [];

for (const name of ['typecheck', 'lint']) {
  const marker = join(dir, `${name}.step`);
  const ok = existsSync(marker) && readFileSync(marker, 'utf8').trim() === 'ok';
  if (ok) passed++;
  else failed++;
  lines.push(`${name}: ${ok ? 'ok' : 'FAILED'}`);
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const suite = file.replace(/\.json$/, '');
  const marker = join(dir, `${suite === 'int' ? 'integration' : suite}.step`);
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8')) as VitestReport;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A suite that crashed outside any test (a failed import, an unhandled error) counts as one failure.
  const stepFailed = existsSync(marker) && readFileSync(marker, 'utf8').trim() !== 'ok';
  if (stepFailed && report.numFailedTests === 0) failed++;
  lines.push(`${suite}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`);
}
for (const suite of ['unit', 'integration', 'e2e']) {
  const report = suite === 'integration' ? 'int.json' : `${suite}.json`;
  if (!existsSync(join(dir, report))) {
    failed++;
    lines.push(`${suite}: no report (the runner did not start)`);
  }
}

console.log('');
for (const line of lines) console.log(line);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
