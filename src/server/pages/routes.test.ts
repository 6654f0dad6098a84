/** The page routes' roles: least privilege as declared, and forms shown exactly where posts are allowed. */
import { describe, expect, it } from 'vitest';
import { allows, pageRoutes, permissionsFor, serverRoles } from './routes.js';

const writesByRole: Record<string, string[]> = {
  developer: ['changes.create', 'changes.implement'],
  'development-team-lead': ['changes.approve', 'changes.create', 'changes.implement'],
  'isms-manager': ['changes.approve', 'changes.create', 'pen-tests.write', 'records.write'],
  cto: ['changes.approve', 'changes.create', 'pen-tests.write', 'records.write', 'remediation.approve'],
  hr: ['records.write', 'training.import'],
  auditor: [],
  administrator: [],
  ci: [],
};

describe('page routes', () => {
  it('give each role exactly its writes, and the auditor, administrator and CI none', () => {
    for (const role of serverRoles)
      expect([...permissionsFor([role])].sort(), role).toEqual(writesByRole[role]);
    expect([...permissionsFor(['hr', 'cto'])].sort()).toEqual([
      'changes.approve',
      'changes.create',
      'pen-tests.write',
      'records.write',
      'remediation.approve',
      'training.import',
    ]);
    expect(permissionsFor([]).size).toBe(0);
  });

  it('let every person read every page, and CI read none', () => {
    for (const route of pageRoutes.filter((item) => item.method === 'GET')) {
      for (const role of serverRoles)
        expect(allows(route, [role]), `${role} GET ${route.path}`).toBe(role !== 'ci');
    }
  });

  it('name a form permission on every write, once each, and no permission on a read', () => {
    const writes = pageRoutes.filter((route) => route.method === 'POST');
    expect(writes.every((route) => route.permission !== undefined)).toBe(true);
    expect(new Set(writes.map((route) => route.permission)).size).toBe(writes.length);
    expect(
      pageRoutes.filter((route) => route.method === 'GET').every((route) => route.permission === undefined),
    ).toBe(true);
    const keys = pageRoutes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
