import { describe, expect, it } from 'vitest';
import { parseOriginate, parseVarList } from './originate-request.ts';

describe('parseOriginate', () => {
  it('parses {vars}, a user endpoint and &park()', () => {
    const r = parseOriginate("{origination_uuid=2f1c0f7e-0000-4000-8000-000000000001,origination_caller_id_number=5551234,x='a,b'}user/1001 &park()");
    expect(r?.vars).toEqual([['origination_uuid', '2f1c0f7e-0000-4000-8000-000000000001'], ['origination_caller_id_number', '5551234'], ['x', 'a,b']]);
    expect(r?.groups).toEqual([[{ endpoint: 'user/1001', vars: [] }]]);
    expect(r?.destination).toEqual({ kind: 'app', app: 'park', args: '' });
  });
  it('parses ring groups, per-leg vars, an extension destination and trailing arguments', () => {
    const r = parseOriginate('[leg_timeout=5]user/1001,user/1002|user/1003 2000 XML default Bob 555 30');
    expect(r?.groups).toEqual([[{ endpoint: 'user/1001', vars: [['leg_timeout', '5']] }, { endpoint: 'user/1002', vars: [] }], [{ endpoint: 'user/1003', vars: [] }]]);
    expect(r?.destination).toEqual({ kind: 'exten', exten: '2000', dialplan: 'XML', context: 'default' });
    expect([r?.cidName, r?.cidNum, r?.timeoutSec]).toEqual(['Bob', '555', 30]);
  });
  it('keeps app arguments with spaces inside parentheses', () => {
    expect(parseOriginate('user/1050 &eavesdrop(abc)')?.destination).toEqual({ kind: 'app', app: 'eavesdrop', args: 'abc' });
  });
  it('rejects a missing destination', () => {
    expect(parseOriginate('user/1001')).toBeUndefined();
  });
  it('parses quoted values', () => {
    expect(parseVarList("a='x y',b=2")).toEqual([['a', 'x y'], ['b', '2']]);
  });
});
