/**
 * What a projection is: a name, a version, the tables of its read model, a filter over the log, and a PURE
 * handler that turns one recorded event into a list of writes. The runner (./runner/) applies the writes and
 * advances the checkpoint in one transaction; the handler never sees a database, a clock or randomness, so a
 * rebuild from position zero yields exactly the same rows (readModelChecksum proves it).
 *
 * Bump `version` whenever the handler or the tables change meaning: the runner then builds the new version into
 * fresh tables beside the live one and switches reads over when it has caught up (blue-green).
 */
import { LedgerlineError } from '../domain/errors/ledgerline-error.ts';
import type { RecordedEvent, SubscriptionFilter } from '../adapters/event-store/port.ts';

/** Column types a read-model table may use (a closed list: the runner casts every parameter to its type). */
export type ColumnType = 'text' | 'bigint' | 'integer' | 'numeric' | 'double precision' | 'boolean' | 'timestamptz' | 'jsonb';

/** One column: a type, or a type and whether it may be null (columns are NOT NULL unless said so). */
export type ColumnSpec = ColumnType | { readonly type: ColumnType; readonly nullable?: boolean };

/** One read-model table. Names are logical; the runner places them in a schema per build. */
export interface TableSpec {
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  /** Upserts, updates and checksums key on it; at least one column. */
  readonly primaryKey: readonly string[];
  /** Secondary indexes, each a list of columns. */
  readonly indexes?: readonly (readonly string[])[];
}

/** A value a write may carry; `bigint` goes to bigint/numeric columns, objects and arrays to jsonb. */
export type CellValue = string | number | bigint | boolean | Date | null | readonly unknown[] | { readonly [key: string]: unknown };

/** A row, or part of one: column name to value. */
export type Cells = Readonly<Record<string, CellValue>>;

/**
 * How an upsert combines a value with the stored row on a key conflict: `replace` (the default) overwrites,
 * `add` sums (counters), `max`/`min` keep the larger/smaller, `keep` keeps the stored value (first seen wins).
 */
export type Merge = 'replace' | 'add' | 'max' | 'min' | 'keep';

/** Insert a row, or combine it with the row that has the same primary key. `row` must hold the whole key. */
export interface UpsertWrite {
  readonly op: 'upsert';
  readonly table: string;
  readonly row: Cells;
  readonly merge?: Readonly<Record<string, Merge>>;
}

/** Change columns of the row with this primary key, if there is one (no insert). */
export interface UpdateWrite {
  readonly op: 'update';
  readonly table: string;
  readonly key: Cells;
  readonly set: Cells;
  readonly merge?: Readonly<Record<string, Exclude<Merge, 'keep'>>>;
}

/** Delete every row whose columns equal `where` (one or more columns, not necessarily the key). */
export interface DeleteWrite {
  readonly op: 'delete';
  readonly table: string;
  readonly where: Cells;
}

/** What a handler returns for one event; the runner applies them in order. */
export type Write = UpsertWrite | UpdateWrite | DeleteWrite;

/** A named, versioned projection. See the module comment. */
export interface ProjectionDefinition {
  /** Lower snake case; also the schema of the live views (`<name>.<table>`). */
  readonly name: string;
  /** A positive integer; a different version is rebuilt blue-green. */
  readonly version: number;
  readonly description: string;
  readonly tables: Readonly<Record<string, TableSpec>>;
  /** Which events reach `handle` (prefixes, OR-ed within a kind); every event when omitted. */
  readonly filter?: SubscriptionFilter;
  /** Pure: the writes one event causes (an empty list for events it ignores). */
  readonly handle: (event: RecordedEvent) => readonly Write[];
}

const IDENT = /^[a-z][a-z0-9_]*$/;
const COLUMN_TYPES: ReadonlySet<string> = new Set<ColumnType>(['text', 'bigint', 'integer', 'numeric', 'double precision', 'boolean', 'timestamptz', 'jsonb']);
const RESERVED_SCHEMAS = new Set(['public', 'information_schema']);
/** Build schemas are `<name>_v<version>_b<build>`; a projection name of that shape could collide with one. */
const BUILD_SUFFIX = /_v\d+_b\d+$/;
/** PostgreSQL truncates identifiers at 63 bytes; leave room for the build suffix. */
const MAX_NAME = 40;

/** The column's type. */
export function columnType(spec: ColumnSpec): ColumnType {
  return typeof spec === 'string' ? spec : spec.type;
}

/** Whether the column accepts null. */
export function columnNullable(spec: ColumnSpec): boolean {
  return typeof spec === 'string' ? false : spec.nullable === true;
}

/** Checks a definition's names and tables once, at registration; returns it unchanged. */
export function defineProjection(def: ProjectionDefinition): ProjectionDefinition {
  const problems: string[] = [];
  if (!IDENT.test(def.name) || def.name.length > MAX_NAME || def.name.startsWith('pg_') || RESERVED_SCHEMAS.has(def.name) || BUILD_SUFFIX.test(def.name)) {
    problems.push(`name "${def.name}" must be lower snake case, at most ${MAX_NAME} characters, not pg_*, public or *_v<n>_b<n>`);
  }
  if (!Number.isSafeInteger(def.version) || def.version < 1) problems.push(`version ${def.version} must be a positive integer`);
  const tables = Object.entries(def.tables);
  if (tables.length === 0) problems.push('a projection needs at least one table');
  for (const [table, spec] of tables) {
    if (!IDENT.test(table) || table.length > 63) problems.push(`table "${table}" must be lower snake case`);
    const columns = Object.entries(spec.columns);
    if (columns.length === 0) problems.push(`table "${table}" has no columns`);
    for (const [column, c] of columns) {
      if (!IDENT.test(column) || column.length > 63) problems.push(`column "${table}.${column}" must be lower snake case`);
      if (!COLUMN_TYPES.has(columnType(c))) problems.push(`column "${table}.${column}" has unknown type "${columnType(c)}"`);
    }
    if (spec.primaryKey.length === 0) problems.push(`table "${table}" needs a primary key`);
    for (const k of spec.primaryKey) {
      if (!(k in spec.columns)) problems.push(`primary key column "${table}.${k}" is not a column`);
      else if (columnNullable(spec.columns[k]!)) problems.push(`primary key column "${table}.${k}" cannot be nullable`);
    }
    for (const index of spec.indexes ?? []) {
      if (index.length === 0) problems.push(`table "${table}" has an empty index`);
      for (const k of index) if (!(k in spec.columns)) problems.push(`index column "${table}.${k}" is not a column`);
    }
  }
  if (problems.length > 0) {
    throw new LedgerlineError('VALIDATION_FAILED', `Projection "${def.name}" is invalid: ${problems.join('; ')}`, { projection: def.name, problems });
  }
  return def;
}
