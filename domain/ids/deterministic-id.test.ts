import { describe, expect, it } from 'vitest';
import { eventIdFor, isUuid, uuidV5 } from './deterministic-id.ts';

describe('uuidV5', () => {
  it('matches the RFC 4122 / Python uuid5 vector for the DNS namespace', () => {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com'))"
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
  it('is deterministic and distinct per command and index', () => {
    expect(eventIdFor('cmd-1', 0)).toBe(eventIdFor('cmd-1', 0));
    expect(eventIdFor('cmd-1', 0)).not.toBe(eventIdFor('cmd-1', 1));
    expect(eventIdFor('cmd-1', 0)).not.toBe(eventIdFor('cmd-2', 0));
    expect(isUuid(eventIdFor('x', 3))).toBe(true);
  });
  it('hashes multi-block input (over 55 bytes)', () => {
    const long = 'x'.repeat(200);
    expect(uuidV5(long, '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('ddcc691a-b8e2-53e5-b059-6a232874b2eb');
  });
});
