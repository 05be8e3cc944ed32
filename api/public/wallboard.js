// The wallboard: one SSE stream (/v1/dashboard/stream) keeps a local copy of the tenant's dashboard; tables, the chart
// and the screen-reader announcements are drawn from that copy. The API key is never logged and never put in a URL
// the server sees: it comes from the `#key=` fragment (then removed from the address bar) or the form, lives in
// sessionStorage, and is sent in the Authorization header of a fetch-based stream (see sse-client.js).
import { drawChart } from './wallboard-chart.js';
import { openStream } from './sse-client.js';
import {
  abandonStatus, agentStateLabel, badge, duration, percent, renderRows, seconds, serviceLevelStatus, statusWord, waitStatus,
} from './wallboard-view.js';

const KEY_STORAGE = 'ledgerline.wallboard.key';
const $ = (id) => document.getElementById(id);

let stream;
/** The local copy: the last snapshot with every change applied, and the server-minus-local clock offset. */
let board;
let clockOffset = 0;
let chartPicked = false;
const serverNow = () => Date.now() + clockOffset;

function takeKeyFromFragment() {
  const match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (!match) return;
  sessionStorage.setItem(KEY_STORAGE, decodeURIComponent(match[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

function setConnection(state, text) {
  $('connection').dataset.state = state;
  $('connection-text').textContent = text;
}

function announce(messages) {
  if (!messages.length) return;
  const p = document.createElement('p');
  p.textContent = messages.slice(0, 4).join('. ') + (messages.length > 4 ? `, and ${messages.length - 4} more changes.` : '.');
  const region = $('announcer');
  region.append(p);
  while (region.childElementCount > 5) region.firstElementChild.remove();
}

function showKeyForm(error = '') {
  $('board').hidden = true;
  $('forget-key').hidden = true;
  $('key-panel').hidden = false;
  $('key-error').textContent = error;
  $('key-input').focus();
}

function connect(key) {
  $('key-panel').hidden = true;
  $('board').hidden = false;
  $('forget-key').hidden = false;
  stream?.stop();
  stream = openStream({
    url: '/v1/dashboard/stream',
    key,
    onStatus(state, detail) {
      if (state === 'connecting') setConnection('connecting', 'Connecting…');
      else if (state === 'open') setConnection('live', 'Live');
      else if (state === 'reconnecting') setConnection('reconnecting', 'Connection lost, reconnecting…');
      else if (state === 'refused') {
        sessionStorage.removeItem(KEY_STORAGE);
        setConnection('refused', 'Key refused');
        showKeyForm(detail === 403 ? 'This key may not read the dashboard.' : 'The key was refused (unknown or revoked). Enter another key.');
      } else if (state === 'stopped') setConnection('idle', 'Not connected');
    },
    onEvent(e) {
      const data = JSON.parse(e.data);
      if (e.event === 'snapshot') {
        const first = board === undefined;
        board = data;
        clockOffset = data.at - Date.now();
        render();
        if (first) announce([`Wallboard connected: ${data.queues.length} queues, ${data.agents.length} agents`]);
      } else if (e.event === 'change' && board) {
        const before = board;
        board = applyChange(board, data);
        clockOffset = data.at - Date.now();
        render();
        announce(describeChanges(before, board));
      }
    },
  });
}

function applyRows(rows, change, idOf) {
  if (!change) return rows;
  const removed = new Set(change.removed);
  const byId = new Map(rows.filter((r) => !removed.has(idOf(r))).map((r) => [idOf(r), r]));
  for (const r of change.upserted) byId.set(idOf(r), r);
  return [...byId.values()];
}

/** Mirrors applyChange in api/dashboard/snapshot-diff.ts. */
function applyChange(s, c) {
  const chart = c.serviceLevelToday;
  return {
    ...s,
    at: c.at,
    position: c.position,
    queues: applyRows(s.queues, c.queues, (q) => q.queueId),
    agents: applyRows(s.agents, c.agents, (a) => a.agentId),
    calls: applyRows(s.calls, c.calls, (x) => x.callId),
    // Points at the previous snapshot's own time were provisional: the change supersedes them.
    serviceLevelToday: !chart ? s.serviceLevelToday : chart.replace ? chart.points : [...s.serviceLevelToday.filter((p) => p.at !== s.at), ...chart.points],
  };
}

/** Short sentences for what a supervisor would notice: waiting counts, service-level status, agent states. */
function describeChanges(before, after) {
  const out = [];
  const prevQ = new Map(before.queues.map((q) => [q.queueId, q]));
  for (const q of after.queues) {
    const p = prevQ.get(q.queueId);
    if (!p) out.push(`Queue ${q.name} added`);
    else {
      if (p.waiting !== q.waiting) out.push(`${q.name}: ${q.waiting} waiting`);
      const s0 = serviceLevelStatus(p.today.serviceLevel);
      const s1 = serviceLevelStatus(q.today.serviceLevel);
      if (s0 !== s1) out.push(`${q.name} service level ${percent(q.today.serviceLevel)}, ${statusWord(s1)}`);
    }
  }
  const prevA = new Map(before.agents.map((a) => [a.agentId, a]));
  for (const a of after.agents) {
    const p = prevA.get(a.agentId);
    if (!p || p.state !== a.state) out.push(`Agent ${a.agentId} ${agentStateLabel(a.state)}`);
  }
  return out;
}

function longestWaitNow(q) {
  return q.waiting > 0 ? q.longestWaitMs + Math.max(0, serverNow() - board.at) : 0;
}

function text(value) {
  return String(value);
}

/** Draws the tables; `fresh` (new data, not a clock tick) also highlights changed cells and redraws the chart. */
function render(fresh = true) {
  if (!board) return;
  $('tenant').textContent = board.tenant;
  const queues = [...board.queues].sort((a, b) => a.name.localeCompare(b.name) || a.queueId.localeCompare(b.queueId));
  $('queues-empty').hidden = queues.length > 0;
  renderRows($('queues').tBodies[0], queues, (q) => q.queueId, (q) => {
    const wait = longestWaitNow(q);
    const threshold = q.today.serviceLevelThresholdSeconds;
    return [
      text(q.name),
      text(q.waiting),
      badge(waitStatus(q.waiting, wait, threshold), q.waiting ? duration(wait) : '0:00', 'wait'),
      badge(serviceLevelStatus(q.today.serviceLevel), percent(q.today.serviceLevel)),
      badge(abandonStatus(q.today.abandonmentRate), `${q.today.abandoned} · ${percent(q.today.abandonmentRate)}`),
      text(q.agents.available),
      text(q.agents.onContact),
      text(q.agents.afterCallWork),
      text(q.agents.notProductive),
      seconds(q.today.asaSeconds),
      text(percent(q.rolling15.serviceLevel)),
    ];
  }, fresh);

  const agents = [...board.agents].sort((a, b) => a.agentId.localeCompare(b.agentId));
  $('agents-empty').hidden = agents.length > 0;
  renderRows($('agents').tBodies[0], agents, (a) => a.agentId, (a) => {
    const state = document.createElement('span');
    state.className = `agent-state agent-state-${a.state}`;
    state.textContent = agentStateLabel(a.state);
    return [
      text(a.agentId),
      state,
      a.since === null ? '—' : duration(serverNow() - a.since),
      text(a.reasonCode ?? a.callId ?? '—'),
      text(a.callsHandled),
      seconds(a.ahtSeconds),
      percent(a.occupancy),
    ];
  }, fresh);
  if (fresh) renderChart(queues);
}

function renderChart(queues) {
  const select = $('chart-queue');
  const chosen = select.value;
  const ids = queues.map((q) => q.queueId);
  if ([...select.options].map((o) => o.value).join('\n') !== ids.join('\n')) {
    select.replaceChildren(...queues.map((q) => new Option(q.name, q.queueId)));
    if (ids.includes(chosen)) select.value = chosen;
  }
  // Until someone picks a queue, the chart follows the busiest one today.
  if (!chartPicked && queues.length) {
    select.value = queues.reduce((best, q) => (q.today.offered > best.today.offered ? q : best)).queueId;
  }
  const queue = queues.find((q) => q.queueId === select.value);
  const points = queue ? board.serviceLevelToday.filter((p) => p.queueId === queue.queueId).sort((a, b) => a.at - b.at) : [];
  drawChart($('chart'), $('chart-caption'), points, serverNow(), queue ? queue.name : 'No queue');
}

function tick() {
  $('clock').textContent = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  $('clock').dateTime = new Date().toISOString();
  // Waits and durations move with the clock between server updates.
  if (board) render(false);
}

function start() {
  takeKeyFromFragment();
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('key-input').value.trim();
    if (!key) return;
    $('key-input').value = '';
    sessionStorage.setItem(KEY_STORAGE, key);
    connect(key);
    $('queues-heading').focus();
  });
  $('forget-key').addEventListener('click', () => {
    stream?.stop();
    board = undefined;
    sessionStorage.removeItem(KEY_STORAGE);
    showKeyForm();
  });
  $('chart-queue').addEventListener('change', () => {
    chartPicked = true;
    render();
  });
  addEventListener('hashchange', () => {
    takeKeyFromFragment();
    const key = sessionStorage.getItem(KEY_STORAGE);
    if (key) connect(key);
  });
  tick();
  setInterval(tick, 1000);
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) connect(key);
  else showKeyForm();
}

start();
