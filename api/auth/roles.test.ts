import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, roleAllows, type Permission, type Role } from './roles.ts';

// The access matrix as documented in api/README.md, written out independently of PERMISSIONS.
const MATRIX: Record<Permission, readonly Role[]> = {
  'keys.manage': ['admin'],
  'keys.read': ['admin', 'auditor'],
  'agents.read': ['admin', 'supervisor', 'agent', 'auditor', 'integrator'],
  'agents.operate': ['admin', 'supervisor', 'agent', 'integrator'],
  'agents.force': ['admin', 'supervisor'],
  'queues.read': ['admin', 'supervisor', 'auditor', 'integrator'],
  'queues.write': ['admin', 'supervisor', 'integrator'],
  'flows.read': ['admin', 'supervisor', 'auditor', 'integrator'],
  'flows.write': ['admin', 'integrator'],
  'calls.disposition': ['admin', 'supervisor', 'agent', 'integrator'],
  'calls.originate': ['admin', 'supervisor', 'agent', 'integrator'],
  'calls.control': ['admin', 'supervisor', 'agent', 'integrator'],
  'calls.supervise': ['admin', 'supervisor'],
};

describe('permission matrix', () => {
  it('grants exactly the documented permissions to each role', () => {
    for (const role of ROLES) {
      const expected = Object.entries(MATRIX).flatMap(([p, roles]) => (roles.includes(role) ? [p] : [])).sort();
      expect([role, [...PERMISSIONS[role]].sort()]).toEqual([role, expected]);
    }
  });

  it('keeps the auditor read-only', () => {
    for (const p of PERMISSIONS.auditor) expect(p).toMatch(/\.read$/);
    expect(roleAllows('auditor', 'queues.write')).toBe(false);
  });
});
