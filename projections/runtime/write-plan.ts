/**
 * Folds a batch's writes into fewer statements without changing the result: upserts to one table with the
 * same columns and merge rules become one multi-row INSERT … ON CONFLICT, and two upserts of the same key
 * within it are combined first (`replace` keeps the later value, `keep` the earlier, `add` the sum), since
 * PostgreSQL refuses to touch one row twice in a statement. Order matters only within a table (read-model
 * tables have no triggers or foreign keys between them), so an update or delete first flushes the upserts
 * pending for its own table, and a key that cannot be combined (`max`/`min`, other columns) flushes too.
 */
import type { CellValue, Cells, Merge, ProjectionDefinition, UpsertWrite, Write } from '../projection.ts';

/** Upserts of one table, one shape, distinct keys: one statement. */
export interface UpsertGroup {
  readonly op: 'upsert_many';
  readonly table: string;
  readonly columns: readonly string[];
  readonly merge: Readonly<Record<string, Merge>>;
  readonly rows: readonly Cells[];
}

/** What applyBatch executes, in order. */
export type PlannedWrite = UpsertGroup | Exclude<Write, UpsertWrite> | UpsertWrite;

/** At most this many parameters per statement (PostgreSQL allows 65,535). */
const MAX_PARAMS = 30_000;

interface OpenGroup {
  table: string;
  columns: string[];
  merge: Record<string, Merge>;
  foldable: boolean;
  rows: Map<string, Cells>;
}

/** See the module comment. Writes that do not fit a group pass through unchanged (and fail later if bad). */
export function planWrites(def: ProjectionDefinition, writes: readonly Write[]): PlannedWrite[] {
  const out: PlannedWrite[] = [];
  // Per table: its open groups by shape, and which group holds each key.
  const open = new Map<string, { groups: Map<string, OpenGroup>; keys: Map<string, OpenGroup> }>();
  const flush = (table: string) => {
    const t = open.get(table);
    if (!t) return;
    for (const g of t.groups.values()) out.push(...toStatements(g));
    open.delete(table);
  };
  for (const w of writes) {
    const spec = def.tables[w.table];
    if (w.op !== 'upsert' || !spec || !spec.primaryKey.every((k) => k in w.row)) {
      flush(w.table);
      out.push(w);
      continue;
    }
    const columns = Object.keys(w.row).sort();
    const merge = Object.fromEntries(Object.entries(w.merge ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
    const shape = JSON.stringify([columns, merge]);
    const key = keyOf(spec.primaryKey, w.row);
    let t = open.get(w.table);
    const holder = t?.keys.get(key);
    if (holder) {
      const sameShape = JSON.stringify([holder.columns, holder.merge]) === shape;
      const combined = sameShape && holder.foldable ? combine(holder.rows.get(key)!, w.row, holder.merge) : undefined;
      if (combined) {
        holder.rows.set(key, combined);
        continue;
      }
      flush(w.table);
      t = undefined;
    }
    if (!t) {
      t = { groups: new Map(), keys: new Map() };
      open.set(w.table, t);
    }
    let g = t.groups.get(shape);
    if (!g) {
      g = { table: w.table, columns, merge, foldable: Object.values(merge).every((m) => m === 'replace' || m === 'keep' || m === 'add'), rows: new Map() };
      t.groups.set(shape, g);
    }
    g.rows.set(key, w.row);
    t.keys.set(key, g);
  }
  for (const table of [...open.keys()]) flush(table);
  return out;
}

function toStatements(g: OpenGroup): UpsertGroup[] {
  const rows = [...g.rows.values()];
  const per = Math.max(1, Math.floor(MAX_PARAMS / g.columns.length));
  const out: UpsertGroup[] = [];
  for (let i = 0; i < rows.length; i += per) out.push({ op: 'upsert_many', table: g.table, columns: g.columns, merge: g.merge, rows: rows.slice(i, i + per) });
  return out;
}

/** The row one upsert of `next` after `prev` leaves, or undefined when it cannot be computed here. */
function combine(prev: Cells, next: Cells, merge: Readonly<Record<string, Merge>>): Cells | undefined {
  const out: Record<string, CellValue> = { ...next };
  for (const [column, m] of Object.entries(merge)) {
    if (m === 'keep') out[column] = prev[column]!;
    else if (m === 'add') {
      const sum = add(prev[column]!, next[column]!);
      if (sum === undefined) return undefined;
      out[column] = sum;
    }
  }
  return out;
}

function add(a: CellValue, b: CellValue): number | bigint | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    return Number.isInteger(a) && Number.isInteger(b) && !Number.isSafeInteger(s) ? BigInt(a) + BigInt(b) : s;
  }
  const isInt = (v: CellValue) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
  if ((typeof a === 'bigint' || typeof b === 'bigint') && isInt(a) && isInt(b)) return BigInt(a as number | bigint) + BigInt(b as number | bigint);
  return undefined;
}

/** A key's identity as the database will compare it: values as the driver sends them (1, 1n and '1' agree). */
function keyOf(primaryKey: readonly string[], row: Cells): string {
  return JSON.stringify(primaryKey.map((k) => scalar(row[k]!)));
}

function scalar(v: CellValue): unknown {
  if (v === null) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
