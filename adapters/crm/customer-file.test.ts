import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { customerFileFormat, parseCsv, parseCustomerFile } from './customer-file.ts';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isLedgerlineError(e) ? e.code : 'not a LedgerlineError';
  }
  return undefined;
}

describe('customer files', () => {
  it('splits CSV with quotes, escaped quotes, embedded commas and newlines, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\n"multi\nline",\n\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', ''],
    ]);
    expect(parseCsv('a,b')).toEqual([['a', 'b']]);
    expect(codeOf(() => parseCsv('a\n"open,b\n'))).toBe('VALIDATION_FAILED');
  });

  it('reads CSV rows: known columns, several phone numbers, other columns as attributes', () => {
    const csv = 'id,Name,tier,segment,phones,Account Manager,region\nc-1,Ada,gold,,+32 475 00 00 01; +3225550100,Bob,\nc-2,Alan,,smb,,,EU\n';
    expect(parseCustomerFile(csv, 'csv')).toEqual([
      { id: 'c-1', name: 'Ada', tier: 'gold', phoneNumbers: ['+32 475 00 00 01', '+3225550100'], attributes: { 'Account Manager': 'Bob' } },
      { id: 'c-2', name: 'Alan', segment: 'smb', phoneNumbers: [], attributes: { region: 'EU' } },
    ]);
  });

  it('refuses a CSV without an id column or with a ragged row', () => {
    expect(codeOf(() => parseCustomerFile('name\nAda\n', 'csv'))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => parseCustomerFile('id,name\nc-1\n', 'csv'))).toBe('VALIDATION_FAILED');
    expect(parseCustomerFile('', 'csv')).toEqual([]);
  });

  it('reads JSON as an array or { customers }, and refuses anything else', () => {
    expect(parseCustomerFile('[{"id":"c-1"}]', 'json')).toEqual([{ id: 'c-1' }]);
    expect(parseCustomerFile('{"customers":[{"id":"c-2"}]}', 'json')).toEqual([{ id: 'c-2' }]);
    expect(codeOf(() => parseCustomerFile('{"id":"c-1"}', 'json'))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => parseCustomerFile('[{', 'json'))).toBe('VALIDATION_FAILED');
  });

  it('knows the format by extension', () => {
    expect(customerFileFormat('/tmp/x.CSV')).toBe('csv');
    expect(customerFileFormat('c.json')).toBe('json');
    expect(codeOf(() => customerFileFormat('c.xlsx'))).toBe('VALIDATION_FAILED');
  });
});
