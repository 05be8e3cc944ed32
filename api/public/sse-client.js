// Server-Sent Events over fetch: EventSource cannot send an Authorization header, and the key must never travel in
// a URL (server logs, proxies, browser history). Same wire format and reconnect rules as EventSource:
// `Last-Event-ID` on reconnect, the server's `retry:` delay, comments ignored.

/** Parses SSE text incrementally; calls `onEvent({ event, data, id })` for each complete event. */
export function sseParser(onEvent) {
  let buffer = '';
  let event = '';
  let data = [];
  let id;
  let retry;
  const line = (text) => {
    if (text === '') {
      if (data.length) onEvent({ event: event || 'message', data: data.join('\n'), id });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  };
  return {
    push(chunk) {
      buffer += chunk;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop() ?? '';
      for (const l of lines) line(l);
    },
    get lastEventId() {
      return id;
    },
    get retry() {
      return retry;
    },
  };
}

/**
 * Keeps a stream open until `stop()`. `onEvent(event)` gets each event; `onStatus(state, detail)` gets
 * 'connecting' | 'open' | 'reconnecting' | 'refused' (401/403: stops) | 'stopped'.
 */
export function openStream({ url, key, onEvent, onStatus, idleTimeoutMs = 45_000 }) {
  let stopped = false;
  let controller;
  let lastEventId;
  let retryMs = 2000;

  async function once() {
    controller = new AbortController();
    let idle;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), idleTimeoutMs);
    };
    try {
      onStatus('connecting');
      touch();
      const headers = { authorization: `Bearer ${key}`, accept: 'text/event-stream' };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const res = await fetch(url, { headers, cache: 'no-store', signal: controller.signal });
      if (res.status === 401 || res.status === 403) {
        stopped = true;
        onStatus('refused', res.status);
        return;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      onStatus('open');
      const parser = sseParser((e) => {
        if (e.id !== undefined) lastEventId = e.id;
        onEvent(e);
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        touch();
        parser.push(value);
        if (parser.retry !== undefined) retryMs = parser.retry;
      }
    } catch {
      // Network errors, aborts and idle timeouts all end in a reconnect below.
    } finally {
      clearTimeout(idle);
    }
  }

  (async () => {
    while (!stopped) {
      await once();
      if (stopped) break;
      onStatus('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  })();

  return {
    stop() {
      stopped = true;
      controller?.abort();
      onStatus('stopped');
    },
  };
}
