// Types for modesl 1.2.1 (plain CommonJS, no published types): only the surface the adapter uses.
declare module 'modesl' {
  import type { Socket } from 'node:net';

  /** One ESL frame as modesl parsed it (headers in arrival order; a repeated name keeps the last value). */
  export interface ModeslEvent {
    headers: Array<{ name: string; value: unknown }>;
    body: string;
    type?: string;
    getHeader(name: string): string | null;
    getBody(): string;
    getType(): string | undefined;
  }

  // Listener arguments differ per emitter name; callers annotate their own parameters.
  type Listener = (...args: never[]) => void;

  /** Inbound connection: `new Connection(host, port, password, onReady?)`. */
  export interface ModeslConnection {
    /** Null after the socket emitted 'end'. */
    socket: Socket | null;
    authed: boolean;
    on(event: string | string[], fn: Listener): this;
    once(event: string | string[], fn: Listener): this;
    off(event: string | string[], fn: Listener): this;
    removeAllListeners(event?: string | string[]): this;
    /** Sends a raw command and queues `cb` for the next command/reply (FIFO). */
    sendRecv(command: string, args: Record<string, string> | null, cb?: (reply: ModeslEvent) => void): void;
    /** Sends `api <command> <args>` and queues `cb` for the next api/response (FIFO). */
    api(command: string, args: string, cb: (reply: ModeslEvent) => void): void;
    disconnect(): void;
  }

  export interface ModeslConnectionConstructor {
    new (host: string, port: number, password: string, onReady?: () => void): ModeslConnection;
  }

  export interface ModeslParserConstructor {
    new (socket: NodeJS.EventEmitter): NodeJS.EventEmitter;
  }

  const esl: {
    Connection: ModeslConnectionConstructor;
    Parser: ModeslParserConstructor;
  };
  export default esl;
}
