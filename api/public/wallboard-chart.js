// Today's service level and abandonment of one queue as an inline SVG line chart (no library). The SVG is an image
// with a text alternative; the figure caption states the latest values in words.
import { SL_GOOD, percent } from './wallboard-view.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 900;
const H = 300;
const PAD = { left: 64, right: 24, top: 52, bottom: 44 };

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function hhmm(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** Draws `points` ({ at, serviceLevel, abandonmentRate }, one queue) into `container` for the day up to `now`. */
export function drawChart(container, caption, points, now, queueName) {
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  const t0 = Math.min(start.getTime(), ...points.map((p) => p.at));
  const t1 = Math.max(now, t0 + 60_000);
  const x = (t) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (ratio) => PAD.top + (1 - ratio) * (H - PAD.top - PAD.bottom);

  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-svg-title chart-svg-desc', class: 'chart-svg', preserveAspectRatio: 'xMidYMid meet' });
  svg.append(el('title', { id: 'chart-svg-title' }, `Service level and abandonment today, ${queueName}`));
  const desc = el('desc', { id: 'chart-svg-desc' });
  svg.append(desc);

  for (const ratio of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(ratio), y2: y(ratio), class: 'grid-line' }));
    svg.append(el('text', { x: PAD.left - 10, y: y(ratio) + 6, class: 'axis-label', 'text-anchor': 'end' }, `${ratio * 100}%`));
  }
  // At most ~8 time labels, on round steps.
  const steps = [5, 15, 30, 60, 120, 180, 360].map((m) => m * 60_000);
  const step = steps.find((s) => (t1 - t0) / s <= 8) ?? steps[steps.length - 1];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    svg.append(el('text', { x: x(t), y: H - 14, class: 'axis-label', 'text-anchor': 'middle' }, hhmm(t)));
  }
  svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(SL_GOOD), y2: y(SL_GOOD), class: 'target-line' }));

  const series = (field, cls) => {
    const pts = points.filter((p) => p[field] !== null && p[field] !== undefined);
    if (!pts.length) return;
    if (pts.length > 1) svg.append(el('polyline', { points: pts.map((p) => `${x(p.at).toFixed(1)},${y(p[field]).toFixed(1)}`).join(' '), class: `series ${cls}` }));
    const last = pts[pts.length - 1];
    svg.append(el('circle', { cx: x(last.at), cy: y(last[field]), r: 7, class: `marker ${cls}` }));
  };
  series('serviceLevel', 'series-sl');
  series('abandonmentRate', 'series-abandon');

  // The legend sits above the plot, so it never hides a line; the target is named there too.
  const legend = el('g', { class: 'legend', transform: `translate(${PAD.left}, 14)` });
  legend.append(el('line', { x1: 0, x2: 36, y1: 8, y2: 8, class: 'series series-sl' }), el('text', { x: 44, y: 14, class: 'legend-label' }, 'Service level'));
  legend.append(el('line', { x1: 200, x2: 236, y1: 8, y2: 8, class: 'series series-abandon' }), el('text', { x: 244, y: 14, class: 'legend-label' }, 'Abandoned'));
  legend.append(el('line', { x1: 380, x2: 416, y1: 8, y2: 8, class: 'target-line' }), el('text', { x: 424, y: 14, class: 'legend-label target-label' }, `Service level target ${percent(SL_GOOD)}`));
  svg.append(legend);

  const last = points[points.length - 1];
  const summary = last
    ? `${queueName}, latest at ${hhmm(last.at)}: service level ${percent(last.serviceLevel)}, abandoned ${percent(last.abandonmentRate)} (${points.length} measurement${points.length === 1 ? '' : 's'} since midnight; target ${percent(SL_GOOD)}).`
    : `${queueName}: no calls measured yet today.`;
  desc.textContent = summary;
  caption.textContent = summary;
  container.replaceChildren(svg);
}
