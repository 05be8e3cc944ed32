// Dialplan steps and the inline dialplan syntax.

/** One dialplan step. */
export interface DialplanApp {
  app: string;
  data?: string;
}

/** `'app1:arg1,app2:arg2'` (the inline dialplan). */
export function parseInlineApps(text: string): DialplanApp[] {
  const unquoted = text.replace(/^'(.*)'$/s, '$1');
  return unquoted.split(',').filter((s) => s !== '').map((s) => {
    const colon = s.indexOf(':');
    return colon < 0 ? { app: s } : { app: s.slice(0, colon), data: s.slice(colon + 1) };
  });
}
