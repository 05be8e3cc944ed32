// Customer files for `upsertCustomers`: a JSON array (or `{ "customers": [...] }`) of rows as customerRowSchema
// describes them, or a CSV with a header row. CSV columns: `id`, `name`, `tier`, `segment`, phone numbers in
// `phone`/`phones`/`phone_numbers` (several separated by `;` or `|`), and every other column becomes a string
// attribute (an empty cell is no attribute). Quoting follows RFC 4180 (`"a, b"`, `""` for a quote).
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Kysely } from 'kysely';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { migrateCustomers } from './customers-schema.ts';
import { upsertCustomers } from './upsert-customers.ts';

export type CustomerFileFormat = 'csv' | 'json';

const PHONE_COLUMNS = new Set(['phone', 'phones', 'phone_numbers', 'phonenumbers']);
const FIELD_COLUMNS = new Set(['id', 'name', 'tier', 'segment']);

/** The format of a file by its extension (`.csv`, `.json`), or VALIDATION_FAILED. */
export function customerFileFormat(path: string): CustomerFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  throw new LedgerlineError('VALIDATION_FAILED', `A customer file is .csv or .json, not ${ext || 'without extension'}: ${path}`, { path });
}

/** Splits CSV text into records of cells (RFC 4180); throws VALIDATION_FAILED on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      line++;
    } else cell += ch;
  }
  if (quoted) throw new LedgerlineError('VALIDATION_FAILED', `CSV: the quote opened on line ${quoteLine} is never closed`, { line: quoteLine });
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records.filter((r) => r.some((c) => c.trim() !== ''));
}

/** The rows of a customer file (unvalidated: upsertCustomers validates each and names the bad one). */
export function parseCustomerFile(text: string, format: CustomerFileFormat): unknown[] {
  if (format === 'json') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new LedgerlineError('VALIDATION_FAILED', `JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const rows = Array.isArray(doc) ? doc : doc !== null && typeof doc === 'object' && Array.isArray((doc as { customers?: unknown }).customers) ? (doc as { customers: unknown[] }).customers : undefined;
    if (!rows) throw new LedgerlineError('VALIDATION_FAILED', 'JSON: expected an array of customers or { "customers": [...] }');
    return rows;
  }
  const [header, ...records] = parseCsv(text);
  if (!header) return [];
  const columns = header.map((h) => h.trim().toLowerCase());
  if (!columns.includes('id')) throw new LedgerlineError('VALIDATION_FAILED', 'CSV: the header has no id column', { columns });
  return records.map((cells, r) => {
    if (cells.length !== columns.length) {
      throw new LedgerlineError('VALIDATION_FAILED', `CSV: row ${r + 1} has ${cells.length} cells, the header ${columns.length}`, { row: r + 1 });
    }
    const row: Record<string, unknown> = { phoneNumbers: [] as string[], attributes: {} as Record<string, string> };
    columns.forEach((column, c) => {
      const value = cells[c]!.trim();
      if (PHONE_COLUMNS.has(column)) row['phoneNumbers'] = [...(row['phoneNumbers'] as string[]), ...value.split(/[;|]/).map((p) => p.trim()).filter((p) => p !== '')];
      else if (FIELD_COLUMNS.has(column)) {
        if (value !== '' || column === 'id') row[column] = value;
      } else if (value !== '') (row['attributes'] as Record<string, string>)[header[c]!.trim()] = value;
    });
    return row;
  });
}

/** Reads a .csv or .json customer file and upserts its rows into `tenant` (migrating the table first). */
export async function importCustomerFile(db: Kysely<unknown>, tenant: string | undefined, path: string): Promise<{ upserted: number }> {
  const format = customerFileFormat(path);
  const rows = parseCustomerFile(await readFile(path, 'utf8'), format);
  await migrateCustomers(db);
  return upsertCustomers(db, tenant, rows);
}
