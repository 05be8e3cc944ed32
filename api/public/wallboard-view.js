// Formatting, colour thresholds and table rendering for the wallboard. Every status is shown as colour AND an icon
// AND a word, so it reads without colour vision and from across the room.

/** Service level targets (ratio of calls answered within the queue's threshold): at or above GOOD is on target. */
export const SL_GOOD = 0.8;
export const SL_WARN = 0.7;
/** Abandonment rate: at or below GOOD is fine. */
export const ABANDON_GOOD = 0.05;
export const ABANDON_WARN = 0.1;

const STATUS = {
  good: { icon: '✓', word: 'On target' },
  warn: { icon: '▲', word: 'Watch' },
  bad: { icon: '✕', word: 'Breach' },
  none: { icon: '–', word: 'No data' },
};

/** good | warn | bad | none for a service level ratio. */
export function serviceLevelStatus(sl) {
  if (sl === null || sl === undefined) return 'none';
  return sl >= SL_GOOD ? 'good' : sl >= SL_WARN ? 'warn' : 'bad';
}

/** good | warn | bad | none for the longest wait against the queue's service-level threshold (seconds). */
export function waitStatus(waiting, waitMs, thresholdSeconds) {
  if (!waiting) return 'none';
  const t = (thresholdSeconds || 20) * 1000;
  return waitMs <= t ? 'good' : waitMs <= 2 * t ? 'warn' : 'bad';
}

/** good | warn | bad | none for an abandonment ratio. */
export function abandonStatus(rate) {
  if (rate === null || rate === undefined) return 'none';
  return rate <= ABANDON_GOOD ? 'good' : rate <= ABANDON_WARN ? 'warn' : 'bad';
}

export function percent(ratio) {
  return ratio === null || ratio === undefined ? '—' : `${Math.round(ratio * 100)}%`;
}

/** 75 s → "1:15", 3725 s → "1:02:05". */
export function duration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function seconds(value) {
  return value === null || value === undefined ? '—' : `${Math.round(value)} s`;
}

/** The words for an agent state id (`on-contact` → "On call"). */
export function agentStateLabel(state) {
  const known = {
    ready: 'Ready',
    offered: 'Offered',
    ringing: 'Ringing',
    talking: 'On call',
    wrap_up: 'Wrap-up',
    not_ready: 'Not ready',
    break_out: 'Missed calls',
    logged_out: 'Logged out',
  };
  return known[state] ?? String(state).replace(/[-_]/g, ' ');
}

/** A status badge element: icon (hidden from screen readers), value, and the status word. */
export function badge(status, value, kind) {
  const el = document.createElement('span');
  el.className = `badge badge-${status}`;
  el.dataset.status = status;
  const icon = document.createElement('span');
  icon.className = 'badge-icon';
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = STATUS[status].icon;
  const v = document.createElement('span');
  v.className = 'badge-value';
  v.textContent = value;
  const w = document.createElement('span');
  w.className = 'badge-word';
  w.textContent = status === 'none' && kind === 'wait' ? 'None' : STATUS[status].word;
  el.append(icon, v, w);
  return el;
}

export function statusWord(status) {
  return STATUS[status].word;
}

/**
 * Makes `tbody` hold one row per item, in `items` order, keyed by `idOf`; `cellsOf(item)` gives each cell's content
 * (a string or a node). Rows are updated in place, so focus and screen-reader position survive updates; with
 * `highlight`, cells whose content changed get a short highlight (not for clock ticks).
 */
export function renderRows(tbody, items, idOf, cellsOf, highlight = true) {
  const existing = new Map([...tbody.rows].map((r) => [r.dataset.id, r]));
  const keep = new Set();
  let previous = null;
  for (const item of items) {
    const id = idOf(item);
    keep.add(id);
    let row = existing.get(id);
    const cells = cellsOf(item);
    if (!row) {
      row = document.createElement('tr');
      row.dataset.id = id;
      cells.forEach((_, i) => row.append(document.createElement(i === 0 ? 'th' : 'td')));
      row.cells[0].scope = 'row';
    }
    cells.forEach((content, i) => {
      const cell = row.cells[i];
      const key = typeof content === 'string' ? content : content.outerHTML;
      if (cell.dataset.key === key) return;
      const changed = cell.dataset.key !== undefined;
      cell.dataset.key = key;
      cell.replaceChildren(content);
      if (changed && highlight) {
        cell.classList.remove('changed');
        void cell.offsetWidth;
        cell.classList.add('changed');
      }
    });
    const expected = previous ? previous.nextElementSibling : tbody.firstElementChild;
    if (expected !== row) tbody.insertBefore(row, expected);
    previous = row;
  }
  for (const [id, row] of existing) if (!keep.has(id)) row.remove();
}
