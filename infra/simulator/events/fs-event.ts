// An event as FreeSWITCH holds it: an ordered header list (names may repeat) and an optional body.

/** One header; order and duplicates are significant (HANGUP_COMPLETE carries Hangup-Cause twice). */
export type FsHeader = readonly [name: string, value: string];

/** A FreeSWITCH event, ready to serialize. */
export interface FsEvent {
  readonly name: string;
  readonly subclass?: string;
  readonly headers: readonly FsHeader[];
  readonly body?: string;
}

/** First value of a header (case-insensitive, like switch_event_get_header). */
export function headerOf(event: Pick<FsEvent, 'headers'>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return event.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}
