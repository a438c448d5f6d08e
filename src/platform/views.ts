import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { ROLE_LABELS, rolesAnywhere, type Principal } from './access.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The Nunjucks environment: our layout and partials, every module's views, and NHS.UK frontend macros. */
export function createViewEnvironment(moduleViewDirs: string[], watch = false): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(
      [path.join(root, 'views'), ...moduleViewDirs, path.join(root, 'node_modules/nhsuk-frontend/dist')],
      { noCache: watch },
    ),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  const dateFormat = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  });
  const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/London',
  });
  env.addFilter('date', (value: Date | string | null | undefined) =>
    value === null || value === undefined || value === '' ? '' : dateFormat.format(new Date(value)),
  );
  env.addFilter('datetime', (value: Date | string | null | undefined) =>
    value === null || value === undefined ? '' : dateTimeFormat.format(new Date(value)),
  );
  env.addFilter('roleLabel', (role: keyof typeof ROLE_LABELS) => ROLE_LABELS[role]);
  env.addFilter('json', (value: unknown) => JSON.stringify(value));
  return env;
}

/** A module's views directory, from its own file URL. */
export function viewsDirOf(moduleUrl: string): string {
  return path.join(path.dirname(fileURLToPath(moduleUrl)), 'views');
}

export interface NavItem {
  href: string;
  text: string;
  current?: boolean;
}

/** The main navigation for what the principal may do, with the current section marked. */
export function navigationFor(principal: Principal | undefined, currentPath: string): NavItem[] {
  if (principal === undefined) return [];
  const roles = rolesAnywhere(principal);
  const items: NavItem[] = [{ href: '/', text: 'Home' }];
  items.push({ href: '/catalogue', text: 'Find learning' });
  items.push({ href: '/my-learning', text: 'My learning' });
  items.push({ href: '/my-learning-record', text: 'My learning record' });
  items.push({ href: '/my-competencies', text: 'My competencies' });
  items.push({ href: '/frameworks', text: 'Frameworks' });
  items.push({ href: `/people/${principal.personId}`, text: 'My profile' });
  if (roles.has('supervisor') || roles.has('platform_admin')) items.push({ href: '/team', text: 'My team' });
  if (roles.has('supervisor')) items.push({ href: '/supervision', text: 'Supervision' });
  if (roles.has('org_admin') || roles.has('platform_admin')) items.push({ href: '/admin', text: 'Admin' });
  if (roles.has('platform_admin')) items.push({ href: '/admin/audit', text: 'Audit log' });
  const best = items
    .filter((item) =>
      item.href === '/' ? currentPath === '/' : currentPath === item.href || currentPath.startsWith(`${item.href}/`),
    )
    .sort((a, b) => b.href.length - a.href.length)[0];
  return items.map((item) => (item === best ? { ...item, current: true } : item));
}
