// Typed access to modesl 1.2.1 (CommonJS, no types) for tests: only what the tests use.
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';

export interface EslEvent {
  headers: Array<{ name: string; value: string | number }>;
  body: string;
  getHeader(name: string): string | null;
  getBody(): string;
}

export interface EslConnection {
  on(event: string, fn: (...args: unknown[]) => void): void;
  once(event: string, fn: (...args: unknown[]) => void): void;
  api(command: string, args: string, cb: (e: EslEvent) => void): void;
  bgapi(command: string, args: string, cb: (e: EslEvent) => void): void;
  events(format: string, names: string | string[], cb?: (e: EslEvent) => void): void;
  execute(app: string, arg: string, uuid: string, cb: (e: EslEvent) => void): string;
  disconnect(): void;
  socket: { destroy(): void };
}

export interface Modesl {
  Connection: new (host: string, port: number, password: string, ready?: () => void) => EslConnection;
  Parser: new (socket: EventEmitter) => EventEmitter;
}

const require = createRequire(import.meta.url);
/** The installed modesl package. */
export const modesl = require('modesl') as Modesl;
