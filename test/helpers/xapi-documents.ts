import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { XapiTestClient } from './xapi.js';

/** Query parameters of a document request; non-string values are sent as JSON (as agent must be). */
export type DocumentParams = Record<string, unknown>;

/** The agent most state tests store documents for. */
export const learner = { objectType: 'Agent', mbox: 'mailto:amara@example.com' };

/** A path under /xapi with the parameters as its query string. */
export function documentUrl(path: string, params: DocumentParams): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `${path}?${query.toString()}`;
}

/** /activities/state with these parameters. */
export function stateUrl(params: DocumentParams): string {
  return documentUrl('/activities/state', params);
}

/** State parameters with a new activity, so one test does not see another's documents. */
export function freshState(extra: DocumentParams = {}): DocumentParams {
  return { activityId: `http://example.com/activities/${randomUUID()}`, agent: learner, stateId: 'bookmark', ...extra };
}

/** The parameters without one of them. */
export function without(params: DocumentParams, name: string): DocumentParams {
  return Object.fromEntries(Object.entries(params).filter(([key]) => key !== name));
}

/** SHA-1 hex, as the LRS computes ETags. */
export function sha1(content: string | Buffer): string {
  return createHash('sha1').update(content).digest('hex');
}

/** The JSON error body of the app. */
export async function errorOf(
  response: Response,
): Promise<{ error: string; message: string; details: Record<string, string> }> {
  return (await response.json()) as { error: string; message: string; details: Record<string, string> };
}

/** Sends JSON to the State Resource with PUT or POST. */
export async function sendState(
  client: XapiTestClient,
  method: 'PUT' | 'POST',
  params: DocumentParams,
  json: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return client.request(stateUrl(params), { method, json, headers });
}

/** GETs a state document (or id list), expecting 200, as JSON. */
export async function getState(client: XapiTestClient, params: DocumentParams): Promise<unknown> {
  const response = await client.request(stateUrl(params));
  expect(response.status).toBe(200);
  return response.json();
}

/** The ETag header of a state document. */
export async function stateEtag(client: XapiTestClient, params: DocumentParams): Promise<string> {
  return (await client.request(stateUrl(params))).headers.get('etag') ?? '';
}
