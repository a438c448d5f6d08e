import { demoSignIns } from '../../src/seed/demo.js';

/** The demo sign-in for a role, as printed at start. */
export function demoUser(
  role: 'learner' | 'supervisor' | 'educator' | 'org admin' | 'platform admin' | 'org admin (community trust)',
): { email: string; password: string } {
  const found = demoSignIns().find((s) => s.role === role);
  if (found === undefined) throw new Error(`No demo user for ${role}`);
  return { email: found.email, password: found.password };
}
