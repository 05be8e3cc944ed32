/**
 * A kysely Dialect for @electric-sql/pglite 0.5. PGlite is one PostgreSQL backend behind one connection, so
 * every acquired "connection" holds a mutex until released: a transaction owns the database until it ends,
 * and no other query can slip into it. (kysely 0.29 also bundles a PGlite dialect that serialises through its
 * runtime driver; this one keeps the lock in the driver itself, uses PostgreSQL's adapter, including the
 * migration advisory lock, and plain BEGIN/COMMIT rather than PGlite's callback transactions.)
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { Mutex } from './mutex.ts';

export interface PgliteDialectConfig {
  readonly pglite: PGlite;
  /** Close the PGlite instance when kysely is destroyed (default true). */
  readonly closeOnDestroy?: boolean;
}

/** kysely Dialect over one PGlite instance, serialising connections with a mutex. */
export class PgliteDialect implements Dialect {
  readonly #config: PgliteDialectConfig;
  constructor(config: PgliteDialectConfig) {
    this.#config = config;
  }
  createAdapter(): DialectAdapter {
    // PostgreSQL semantics, including the migration advisory lock (harmless on one connection).
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PgliteDriver(this.#config);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class PgliteDriver implements Driver {
  readonly #config: PgliteDialectConfig;
  readonly #mutex = new Mutex();
  constructor(config: PgliteDialectConfig) {
    this.#config = config;
  }
  async init(): Promise<void> {
    await this.#config.pglite.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#mutex.lock();
    return new PgliteConnection(this.#config.pglite, release);
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let text = 'begin';
    if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) text += ` ${settings.accessMode}`;
    await connection.executeQuery(CompiledQuery.raw(text));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PgliteConnection).release();
  }
  async destroy(): Promise<void> {
    const release = await this.#mutex.lock();
    try {
      if ((this.#config.closeOnDestroy ?? true) && !this.#config.pglite.closed) await this.#config.pglite.close();
    } finally {
      release();
    }
  }
}

class PgliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  #release: (() => void) | undefined;
  constructor(pglite: PGlite, release: () => void) {
    this.#pglite = pglite;
    this.#release = release;
  }
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#pglite.query<R>(query.sql, query.parameters as unknown[], { rowMode: 'object' });
    return {
      rows: result.rows,
      numAffectedRows: result.affectedRows !== undefined ? BigInt(result.affectedRows) : undefined,
    };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not stream query results; page with keyset queries instead');
  }
  release(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
}
