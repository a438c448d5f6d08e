import type { Db } from '../../src/db/connection.js';
import { createApiClient } from '../../src/platform/auth/api-clients.service.js';

/** An xAPI client of the running test app: HTTP Basic credentials of a new API client of one organisation. */
export interface XapiTestClient {
  key: string;
  secret: string;
  organisationId: string;
  /** fetch against /xapi with the client's credentials and the version header; init.headers override them. */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

/** Creates an API client for the organisation with the given code and scopes, and a fetch wrapper for it. */
export async function xapiClient(
  baseUrl: string,
  db: Db,
  organisationCode: string,
  scopes: string[] = ['all'],
): Promise<XapiTestClient> {
  const organisation = await db
    .selectFrom('organisations')
    .select('id')
    .where('code', '=', organisationCode)
    .executeTakeFirstOrThrow();
  const { key, secret } = await createApiClient(db, { principal: null }, organisation.id, {
    name: `xAPI test ${organisationCode} ${scopes.join(' ')}`,
    scopes,
  });
  const authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  return {
    key,
    secret,
    organisationId: organisation.id,
    async request(path, init = {}) {
      const { json, headers, ...rest } = init;
      const base: Record<string, string> = { authorization, 'x-experience-api-version': '1.0.3' };
      if (json !== undefined) base['content-type'] = 'application/json';
      return fetch(`${baseUrl}/xapi${path}`, {
        ...rest,
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        headers: { ...base, ...(headers as Record<string, string> | undefined) },
      });
    },
  };
}
