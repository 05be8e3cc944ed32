/**
 * Turns a handler's writes into SQL against one build's schema. Every identifier comes from the validated
 * definition (never from an event), every value travels as a parameter cast to its column's declared type.
 * A write that names an unknown table or column, or an upsert without its whole key, is a handler bug: it
 * throws VALIDATION_FAILED, the batch rolls back and the checkpoint stays where it was.
 */
import { sql, type RawBuilder } from 'kysely';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { columnType, type CellValue, type Cells, type Merge, type ProjectionDefinition, type TableSpec, type Write } from '../projection.ts';
import type { PlannedWrite, UpsertGroup } from './write-plan.ts';

/** The SQL statement that applies one planned write (write-plan.ts) inside schema `schema`. */
export function writeSql(def: ProjectionDefinition, schema: string, write: PlannedWrite): RawBuilder<unknown> {
  const spec = def.tables[write.table];
  if (!spec) throw badWrite(def, write, `unknown table "${write.table}"`);
  const target = sql`${sql.id(schema, write.table)} AS t`;
  switch (write.op) {
    case 'upsert':
      return upsertSql(def, spec, target, { op: 'upsert_many', table: write.table, columns: Object.keys(write.row), merge: write.merge ?? {}, rows: [write.row] });
    case 'upsert_many':
      return upsertSql(def, spec, target, write);
    case 'update': {
      checkedColumns(def, spec, write, write.key);
      for (const k of spec.primaryKey) if (!(k in write.key)) throw badWrite(def, write, `update lacks key column "${k}"`);
      for (const k of Object.keys(write.key)) if (!spec.primaryKey.includes(k)) throw badWrite(def, write, `update key names non-key column "${k}"`);
      const set = checkedColumns(def, spec, write, write.set);
      if (set.length === 0) throw badWrite(def, write, 'update sets nothing');
      const merges = write.merge ?? {};
      const assignments = set.map((c) => sql`${sql.id(c)} = ${mergeExpr(c, merges[c] ?? 'replace', param(spec, c, write.set[c]!))}`);
      return sql`UPDATE ${target} SET ${sql.join(assignments)} WHERE ${where(spec, write.key)}`;
    }
    case 'delete': {
      const columns = checkedColumns(def, spec, write, write.where);
      if (columns.length === 0) throw badWrite(def, write, 'delete needs at least one column in "where"');
      return sql`DELETE FROM ${target} WHERE ${where(spec, write.where)}`;
    }
    default:
      throw badWrite(def, write as Write, `unknown op "${(write as { op?: unknown }).op}"`);
  }
}

function upsertSql(def: ProjectionDefinition, spec: TableSpec, target: RawBuilder<unknown>, group: UpsertGroup): RawBuilder<unknown> {
  const columns = group.columns;
  const write = { op: 'upsert', table: group.table } as const;
  for (const c of columns) if (!(c in spec.columns)) throw badWrite(def, write, `unknown column "${group.table}.${c}"`);
  for (const k of spec.primaryKey) if (!columns.includes(k)) throw badWrite(def, write, `upsert lacks key column "${k}"`);
  for (const [c, m] of Object.entries(group.merge)) {
    if (!columns.includes(c)) throw badWrite(def, write, `merge names "${c}", which the row does not set`);
    if (spec.primaryKey.includes(c)) throw badWrite(def, write, `merge names key column "${c}"`);
    if (m === 'add' && group.rows.some((r) => typeof r[c] !== 'number' && typeof r[c] !== 'bigint')) throw badWrite(def, write, `"add" needs a number in "${c}"`);
  }
  const rows = group.rows.map((row) => {
    for (const c of Object.keys(row)) if (!columns.includes(c)) throw badWrite(def, write, `rows of one statement set different columns`);
    return sql`(${sql.join(columns.map((c) => (c in row ? param(spec, c, row[c]!) : sql`DEFAULT`)))})`;
  });
  const updates = columns
    .filter((c) => !spec.primaryKey.includes(c) && (group.merge[c] ?? 'replace') !== 'keep')
    .map((c) => sql`${sql.id(c)} = ${mergeExpr(c, group.merge[c] ?? 'replace', sql`EXCLUDED.${sql.id(c)}`)}`);
  const conflict = sql.join(spec.primaryKey.map((k) => sql.id(k)));
  const action = updates.length === 0 ? sql`DO NOTHING` : sql`DO UPDATE SET ${sql.join(updates)}`;
  return sql`INSERT INTO ${target} (${sql.join(columns.map((c) => sql.id(c)))}) VALUES ${sql.join(rows)} ON CONFLICT (${conflict}) ${action}`;
}

function mergeExpr(column: string, merge: Merge, incoming: RawBuilder<unknown>): RawBuilder<unknown> {
  const current = sql`t.${sql.id(column)}`;
  switch (merge) {
    case 'add':
      return sql`COALESCE(${current}, 0) + ${incoming}`;
    case 'max':
      return sql`GREATEST(${current}, ${incoming})`;
    case 'min':
      return sql`LEAST(${current}, ${incoming})`;
    case 'keep':
      return current;
    default:
      return incoming;
  }
}

function where(spec: TableSpec, cells: Cells): RawBuilder<unknown> {
  return sql.join(
    Object.keys(cells).map((c) => (cells[c] === null ? sql`t.${sql.id(c)} IS NULL` : sql`t.${sql.id(c)} = ${param(spec, c, cells[c]!)}`)),
    sql` AND `,
  );
}

function param(spec: TableSpec, column: string, value: CellValue): RawBuilder<unknown> {
  const type = sql.raw(columnType(spec.columns[column]!));
  return sql`${toDriverValue(value, columnType(spec.columns[column]!))}::${type}`;
}

/** What the pg/PGlite drivers accept for a value: bigints as text, jsonb as JSON text, dates as ISO text. */
function toDriverValue(value: CellValue, type: string): string | number | boolean | null {
  if (value === null) return null;
  if (type === 'jsonb') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

function checkedColumns(def: ProjectionDefinition, spec: TableSpec, write: Pick<Write, 'op' | 'table'>, cells: Cells): string[] {
  const columns = Object.keys(cells);
  for (const c of columns) if (!(c in spec.columns)) throw badWrite(def, write, `unknown column "${write.table}.${c}"`);
  return columns;
}

function badWrite(def: ProjectionDefinition, write: Pick<PlannedWrite, 'op' | 'table'>, problem: string): LedgerlineError {
  return new LedgerlineError('VALIDATION_FAILED', `Projection "${def.name}" v${def.version} produced a bad ${write.op}: ${problem}`, {
    projection: def.name,
    version: def.version,
    table: write.table,
    problem,
  });
}
