// How long simulated media lasts: playback files, streams, tones.

/** Duration of a played file in ms; Infinity for endless streams (music on hold). */
export type MediaDuration = (file: string) => number;

/** Default durations: silence_stream://N lasts N ms, local_stream:// never ends, `say:` text 70 ms a character (at least 1 s), everything else 3 s. */
export function defaultMediaDuration(file: string): number {
  if (file.startsWith('say:')) return Math.max(1000, (file.length - 4) * 70);
  const silence = /^silence_stream:\/\/(\d+)/.exec(file);
  if (silence) return Number(silence[1]);
  if (file.startsWith('local_stream://')) return Infinity;
  if (file.startsWith('tone_stream://')) return 1000;
  return 3000;
}

/** Playback-File-Type, set only for local_stream and tone_stream. */
export function playbackFileType(file: string): string | undefined {
  if (file.startsWith('local_stream://')) return 'local_stream';
  if (file.startsWith('tone_stream://')) return 'tone_stream';
  return undefined;
}
