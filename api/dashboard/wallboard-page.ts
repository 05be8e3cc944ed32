import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

const PUBLIC = new URL('../public/', import.meta.url);

/** The page's files: fixed names, read once at start-up (no directory serving, so nothing else can be reached). */
const FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/wallboard.js': { file: 'wallboard.js', type: 'text/javascript; charset=utf-8' },
  '/wallboard-view.js': { file: 'wallboard-view.js', type: 'text/javascript; charset=utf-8' },
  '/wallboard-chart.js': { file: 'wallboard-chart.js', type: 'text/javascript; charset=utf-8' },
  '/sse-client.js': { file: 'sse-client.js', type: 'text/javascript; charset=utf-8' },
  '/wallboard.css': { file: 'wallboard.css', type: 'text/css; charset=utf-8' },
};

/**
 * Only same-origin scripts, styles and connections; no inline script, no framing; the page never sends a referrer
 * (the key lives in the URL fragment or sessionStorage, never in a URL the server sees).
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

/** The wallboard (api/public/): served at `/` without authentication; the page itself authenticates its API calls. */
export async function wallboardPage(app: FastifyInstance): Promise<void> {
  const contents = new Map<string, Buffer>();
  for (const [path, { file }] of Object.entries(FILES)) contents.set(path, await readFile(new URL(file, PUBLIC)));
  for (const [path, { type }] of Object.entries(FILES)) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) => reply.headers({ ...SECURITY_HEADERS, 'content-type': type }).send(contents.get(path)));
  }
}
