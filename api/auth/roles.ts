/** The roles an API key carries. */
export const ROLES = ['admin', 'supervisor', 'agent', 'auditor', 'integrator'] as const;
export type Role = (typeof ROLES)[number];

/** What a route asks of the caller. Each route names exactly one permission. */
export type Permission =
  | 'keys.manage'
  | 'keys.read'
  | 'agents.read'
  | 'agents.operate'
  | 'agents.force'
  | 'queues.read'
  | 'queues.write'
  | 'flows.read'
  | 'flows.write'
  | 'calls.disposition'
  | 'calls.originate'
  | 'calls.control'
  | 'calls.supervise';

/**
 * The permission matrix. `agent` keys hold `agents.read`, `agents.operate`, `calls.disposition`, `calls.originate`
 * and `calls.control` only for their own agent id and the calls it handles: routes check that with
 * `requireOwnAgent` and the call-ownership guard (a mismatch is 403, since the resource is in the caller's tenant).
 * Integrators act for agents' desktops (CTI): they operate agents and calls but neither force states nor supervise.
 */
export const PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set<Permission>([
    'keys.manage',
    'keys.read',
    'agents.read',
    'agents.operate',
    'agents.force',
    'queues.read',
    'queues.write',
    'flows.read',
    'flows.write',
    'calls.disposition',
    'calls.originate',
    'calls.control',
    'calls.supervise',
  ]),
  supervisor: new Set<Permission>([
    'agents.read',
    'agents.operate',
    'agents.force',
    'queues.read',
    'queues.write',
    'flows.read',
    'calls.disposition',
    'calls.originate',
    'calls.control',
    'calls.supervise',
  ]),
  agent: new Set<Permission>(['agents.read', 'agents.operate', 'calls.disposition', 'calls.originate', 'calls.control']),
  auditor: new Set<Permission>(['keys.read', 'agents.read', 'queues.read', 'flows.read']),
  integrator: new Set<Permission>(['agents.read', 'agents.operate', 'queues.read', 'queues.write', 'flows.read', 'flows.write', 'calls.disposition', 'calls.originate', 'calls.control']),
};

/** True when `role` holds `permission` (for `agent`, only on its own agent: see PERMISSIONS). */
export function roleAllows(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].has(permission);
}
