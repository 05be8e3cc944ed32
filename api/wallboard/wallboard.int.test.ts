// End to end: the real app and projections on PGlite, the wallboard page in headless Chromium (Debian's, driven by
// playwright-core). Demo queues are created through the API; a call arrives through the real call decider; the page
// must show it without a reload. The screenshot is kept at .data/test-artifacts/wallboard.png. Code run in the page is
// passed as strings (the project's TypeScript has no DOM types); waits use locators, since the page's CSP forbids
// the string evaluation waitForFunction would need.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardSnapshot } from '../../projections/dashboard/dashboard-query.ts';
import { startDashboardTestApp, type DashboardTestApp } from '../dashboard/dashboard-test-app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), '.data', 'test-artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let t: DashboardTestApp;
let base: string;
let key: string;
let profile: string;
let browser: BrowserContext;
let page: Page;
const requested: string[] = [];

async function waitingCell(queueId: string): Promise<string> {
  return (await page.locator(`#queues tbody tr[data-id="${queueId}"] > td`).first().textContent()) ?? '';
}

// Fail, never skip: without Chromium every test below fails with this message (a failing beforeAll would only
// show the tests as skipped).
const MISSING = existsSync(CHROMIUM)
  ? undefined
  : `Chromium not found at ${CHROMIUM}. Run infra/scripts/ensure-chromium.sh as root (installs Debian's chromium with apt), or set CHROMIUM_PATH.`;
function requireChromium(): void {
  if (MISSING) throw new Error(MISSING);
}

beforeAll(async () => {
  if (MISSING) return;
  t = await startDashboardTestApp({ timings: { pollMs: 200, heartbeatMs: 15_000, timeRefreshMs: 5_000 } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  key = await t.key('supervisor', 'acme');

  // Demo floor: three queues, four agents, calls waiting for a while and one abandoned call.
  for (const [queueId, name] of [['support', 'Support'], ['sales', 'Sales'], ['billing', 'Billing']] as const) {
    const r = await t.call('POST', '/v1/queues', { key, body: { queueId, settings: { name, routing: { strategy: 'longest-idle' } } } });
    expect(r.statusCode).toBe(201);
  }
  const login = (agentId: string, ready: boolean) => t.call('POST', `/v1/agents/${agentId}/login`, { key, body: { skills: [], capacity: { voice: 1 }, ready } });
  for (const [agentId, ready] of [['ada', true], ['grace', true], ['linus', false], ['margaret', true]] as const) expect((await login(agentId, ready)).statusCode).toBe(200);
  expect((await t.call('POST', '/v1/agents/linus/not-ready', { key, body: { reasonCode: 'lunch' } })).statusCode).toBe(200);
  for (const [queueId, agents] of [['support', ['ada', 'grace']], ['sales', ['grace', 'linus', 'margaret']], ['billing', ['margaret']]] as const) {
    const r = await t.call('POST', `/v1/queues/${queueId}/agents`, { key, body: { agents: agents.map((agentId) => ({ agentId })) } });
    expect(r.statusCode).toBe(200);
  }
  const now = Date.now();
  // Answered calls spread over today (never before midnight UTC), one answered late, for the chart and the SL column.
  const midnight = Math.floor(now / 86_400_000) * 86_400_000;
  const answered = async (callId: string, queueId: string, agentId: string, queuedAt: number, waitMs: number) => {
    const at = Math.max(midnight + 1_000, queuedAt);
    await t.arriveAndQueue('acme', callId, queueId, at);
    await t.callCommand('acme', callId, 'OfferToAgent', { agentId, offerId: `o-${callId}` }, at + waitMs - 2_000);
    await t.callCommand('acme', callId, 'RecordAgentLegRinging', { offerId: `o-${callId}`, channelUuid: `ch-agent-${callId}` }, at + waitMs - 1_500);
    await t.callCommand('acme', callId, 'RecordAgentLegAnswered', { offerId: `o-${callId}` }, at + waitMs);
    await t.callCommand('acme', callId, 'ConnectCall', { offerId: `o-${callId}` }, at + waitMs);
    await t.callCommand('acme', callId, 'EndCall', { cause: 'NORMAL_CLEARING', hungUpBy: 'caller' }, at + waitMs + 180_000);
  };
  for (const [i, wait] of [8_000, 12_000, 45_000, 6_000, 9_000].entries()) await answered(`c-support-done-${i}`, 'support', 'ada', now - (5 - i) * 40 * 60_000, wait);
  await answered('c-sales-done-1', 'sales', 'grace', now - 50 * 60_000, 15_000);
  await t.arriveAndQueue('acme', 'c-sales-1', 'sales', now - 95_000);
  await t.arriveAndQueue('acme', 'c-sales-2', 'sales', now - 30_000);
  await t.arriveAndQueue('acme', 'c-billing-1', 'billing', now - 120_000);
  await t.callCommand('acme', 'c-billing-1', 'AbandonCall', {}, now - 60_000);
  await t.eventually('the projections to show the demo floor', async () => {
    const s = (await t.call('GET', '/v1/dashboard', { key })).json() as DashboardSnapshot;
    return s.queues.length === 3 && s.agents.length === 4 && s.queues.find((q) => q.queueId === 'sales')?.waiting === 2 ? s : undefined;
  });

  profile = await mkdtemp(join(tmpdir(), 'ledgerline-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1920, height: 1080 },
    reducedMotion: 'reduce',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('request', (r) => requested.push(r.url()));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await t?.close();
});

describe('the wallboard in Chromium', () => {
  it('shows the demo queues and agents from the stream, with the key taken out of the address bar', async () => {
    requireChromium();
    await page.goto(`${base}/#key=${encodeURIComponent(key)}`);
    await page.locator('#queues tbody tr[data-id="billing"]').waitFor();
    const names = await page.locator('#queues tbody tr > th').allTextContents();
    expect(names).toEqual(['Billing', 'Sales', 'Support']);
    expect(await waitingCell('sales')).toBe('2');
    expect(await waitingCell('support')).toBe('0');
    expect(await page.locator('#agents tbody tr > th').allTextContents()).toEqual(['ada', 'grace', 'linus', 'margaret']);
    expect(await page.locator('#agents tbody tr[data-id="linus"] td').nth(2).textContent()).toBe('lunch');
    await page.locator('#connection[data-state="live"]').waitFor();
    expect(await page.evaluate('location.hash')).toBe('');
    // Status is never colour alone: the badge carries a word.
    expect(await page.locator('#queues tbody tr[data-id="sales"] .badge-word').first().textContent()).toBe('Breach');
    expect(await page.locator('#queues tbody tr[data-id="billing"] td').nth(3).textContent()).toContain('Breach');
  });

  it('updates the waiting count when a call arrives, without a reload, and announces it', async () => {
    requireChromium();
    await page.evaluate('window.marker = 42');
    await t.arriveAndQueue('acme', 'c-support-1', 'support', Date.now());
    await page.locator('#queues tbody tr[data-id="support"] > td:nth-of-type(1)', { hasText: /^1$/ }).waitFor({ timeout: 20_000 });
    expect(await page.evaluate('window.marker')).toBe(42);
    await page.locator('#announcer p', { hasText: 'Support: 1 waiting' }).waitFor({ state: 'attached', timeout: 10_000 });
  });

  it('draws today\'s chart with a text alternative, and is usable from the keyboard', async () => {
    requireChromium();
    expect(await page.locator('#chart svg[role="img"]').count()).toBe(1);
    // The busiest queue today is charted until someone picks another one.
    expect(await page.locator('#chart-caption').textContent()).toMatch(/^Support, latest at .*: service level 80%, abandoned 0%/);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'wallboard.png'), fullPage: true });
    await page.locator('#chart-queue').selectOption('billing');
    expect(await page.locator('#chart-caption').textContent()).toMatch(/^Billing, latest at .*: service level 0%, abandoned 100%/);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to queues');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');
  });

  it('asks for another key when the key is refused, and connects with the one typed in', async () => {
    requireChromium();
    const other = await browser.newPage();
    try {
      await other.goto(`${base}/#key=ll_nobody.${'x'.repeat(43)}`);
      await other.locator('#key-error', { hasText: 'The key was refused' }).waitFor();
      expect(await other.locator('#board').isHidden()).toBe(true);
      expect(await other.evaluate('document.activeElement?.id')).toBe('key-input');
      await other.keyboard.type(key);
      await other.keyboard.press('Enter');
      await other.locator('#queues tbody tr[data-id="support"]').waitFor();
      await other.locator('#connection[data-state="live"]').waitFor();
    } finally {
      await other.close();
    }
  });

  it('never puts the key in a URL the server sees', () => {
    requireChromium();
    expect(requested.length).toBeGreaterThan(0);
    for (const url of requested) expect(url.includes(key) && !url.includes('#'), url).toBe(false);
    expect(requested.filter((u) => u.startsWith(base)).every((u) => !u.includes(key.slice(3, 20)))).toBe(true);
  });
});
