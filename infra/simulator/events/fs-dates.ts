// FreeSWITCH's date strings: local "%Y-%m-%d %T" (the box's zone, configurable here) and RFC 822 GMT.

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DD HH:MM:SS` in the zone `utcOffsetMinutes` east of UTC (Event-Date-Local, *_stamp variables). */
export function localStamp(micros: number, utcOffsetMinutes: number): string {
  const d = new Date(Math.floor(micros / 1000) + utcOffsetMinutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** RFC 822 date, e.g. `Tue, 07 Jul 2015 14:53:14 GMT` (Event-Date-GMT). */
export function gmtStamp(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toUTCString();
}

const unit = (n: number, singular: string): string => `${n} ${singular}${n === 1 ? '' : 's'}`;

/** `0 years, 1 day, 16 hours, …, 35 microseconds`: FreeSWITCH's uptime text (HEARTBEAT Up-Time, `status`). */
export function uptimeText(micros: number): string {
  let rest = Math.max(0, Math.floor(micros));
  const us = rest % 1000; rest = Math.floor(rest / 1000);
  const ms = rest % 1000; rest = Math.floor(rest / 1000);
  const s = rest % 60; rest = Math.floor(rest / 60);
  const m = rest % 60; rest = Math.floor(rest / 60);
  const h = rest % 24; rest = Math.floor(rest / 24);
  const d = rest % 365; const y = Math.floor(rest / 365);
  return [unit(y, 'year'), unit(d, 'day'), unit(h, 'hour'), unit(m, 'minute'), unit(s, 'second'), unit(ms, 'millisecond'), unit(us, 'microsecond')].join(', ');
}
