// Where each kind of resource is taken, so the start button, the dashboard and the players link up.
import type { ResourceType } from './catalogue.tables.js';

/** The page where a learner takes an attempt at a resource of this type. */
export function attemptPath(type: ResourceType, attemptId: string): string {
  if (type === 'scorm12' || type === 'scorm2004') return `/learn/scorm/${attemptId}`;
  if (type === 'cmi5') return `/learn/cmi5/${attemptId}`;
  return `/learn/view/${attemptId}`;
}

/** The resource's page in the catalogue. */
export function resourcePath(resourceId: string): string {
  return `/catalogue/resources/${resourceId}`;
}
