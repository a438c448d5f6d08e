// The Statement Resource (Communication 2.1): PUT, POST and GET /xapi/statements.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiCaller } from '../../platform/auth/api-clients.service.js';
import { Invalid } from '../../platform/errors.js';
import type { AppContext } from '../../server.js';
import { validateStatement, validateStatements } from './statement.validate.js';
import { buildMultipartMixed, parseMultipartMixed } from './statements.multipart.js';
import { activityIdsIn, formatStatement } from './statements.format.js';
import { encodeMore, parseStatementRequest, type StatementRequest } from './statements.params.js';
import {
  canonicalDefinitions,
  getStatement,
  organisationScope,
  queryStatements,
  type StoredStatementView,
} from './statements.read.js';
import { consistentThrough, storeStatements, type AttachmentPart, type StatementWriter } from './statements.service.js';
import { checkSignedStatements } from './statements.signature.js';
import { attachmentsByHash } from './statements.store.js';
import { mayDefine, readsAllStatements, xapiCaller } from './xapi.auth.js';
import { isUuid } from './xapi.formats.js';
import { assertStorableJson } from './xapi.json.js';
import type { XapiStatement } from './xapi.types.js';

function writerFor(caller: ApiCaller, homePage: string): StatementWriter {
  return {
    organisationId: caller.organisationId,
    clientId: caller.clientId,
    authority: { objectType: 'Agent', name: caller.name, account: { homePage, name: `api-client/${caller.clientId}` } },
    mayDefine: mayDefine(caller),
    mayVoidAny: caller.scopes.includes('all'),
    homePage,
    restriction: caller.actorRestriction,
  };
}

/** The statements (and attachment parts) in a PUT or POST body, by its content type. */
function readBody(request: FastifyRequest): { json: unknown; parts: AttachmentPart[] } {
  const read = readBodyJson(request);
  assertStorableJson(read.json, 'statements');
  return read;
}

function readBodyJson(request: FastifyRequest): { json: unknown; parts: AttachmentPart[] } {
  const body = request.body;
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new Invalid('Send the statement as the request body (application/json or multipart/mixed)', {
      body: 'is required',
    });
  }
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/mixed')) return parseMultipartMixed(body, request.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    try {
      return { json: JSON.parse(body.toString('utf8')) as unknown, parts: [] };
    } catch (error) {
      throw new Invalid(`The body is not valid JSON: ${(error as Error).message}`, { body: 'must be valid JSON' });
    }
  }
  throw new Invalid('Statements must be sent as application/json or multipart/mixed (xAPI 1.0.3 Communication 1.5)', {
    'content-type': 'must be application/json or multipart/mixed',
  });
}

function setConsistentThrough(reply: FastifyReply): void {
  reply.header('x-experience-api-consistent-through', consistentThrough().toISOString());
}

function params(request: FastifyRequest): Record<string, string> {
  return request.query as Record<string, string>;
}

async function respond(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  parsed: StatementRequest,
  found: StoredStatementView[],
  caller: ApiCaller,
  body: (formatted: XapiStatement[]) => unknown,
): Promise<unknown> {
  const statements = found.map((f) => f.statement);
  // Canonical definitions are the caller's organisation's (Communication 2.1.3 "format").
  const definitions =
    parsed.format === 'canonical'
      ? await canonicalDefinitions(ctx.db, caller.organisationId, statements.flatMap(activityIdsIn))
      : new Map<string, Record<string, unknown>>();
  const acceptLanguage = request.headers['accept-language'];
  const formatted = statements.map((s) => formatStatement(s, parsed.format, definitions, acceptLanguage));
  if (!parsed.attachments) return reply.type('application/json').send(body(formatted));
  // Attachment content is looked up in the organisation that stored each statement, never by hash alone.
  const wanted = found.flatMap(({ statement: s, organisationId }) =>
    [...(s.attachments ?? []), ...(s.object.objectType === 'SubStatement' ? (s.object.attachments ?? []) : [])].map(
      (a) => ({ organisationId, sha2: a.sha2 }),
    ),
  );
  const contents = await attachmentsByHash(ctx.db, wanted);
  const parts = [...contents].map(([sha2, a]) => ({ sha2, contentType: a.contentType, content: a.content }));
  const multipart = buildMultipartMixed(body(formatted), parts);
  return reply.type(multipart.contentType).send(multipart.body);
}

/** Registers PUT, POST and GET /statements in the /xapi scope. */
export async function statementRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  app.addHook('onSend', async (_request, reply) => {
    setConsistentThrough(reply);
  });

  app.put('/statements', { schema: { hide: true } }, async (request, reply) => {
    const caller = await xapiCaller(ctx.db, request, 'statements/write');
    const { statementId, ...rest } = params(request);
    if (statementId === undefined) {
      throw new Invalid('PUT /xapi/statements needs the statementId parameter (xAPI 1.0.3 Communication 2.1.1)', {
        statementId: 'is required',
      });
    }
    if (Object.keys(rest).length > 0) {
      throw new Invalid(`Unknown parameter: ${Object.keys(rest).join(', ')}`, {
        [Object.keys(rest)[0] as string]: 'is not allowed',
      });
    }
    const { json, parts } = readBody(request);
    if (Array.isArray(json)) {
      throw new Invalid('PUT stores one statement; POST an array to store several', {
        statement: 'must be one Statement object',
      });
    }
    const statement = validateStatement(json);
    if (!isUuid(statementId)) throw new Invalid('statementId must be a UUID', { statementId: 'must be a UUID' });
    if (statement.id !== undefined && statement.id.toLowerCase() !== statementId.toLowerCase()) {
      throw new Invalid('The statement id differs from the statementId parameter (xAPI 1.0.3 Communication 2.1.1)', {
        'statement.id': 'must equal the statementId parameter',
      });
    }
    statement.id = statementId.toLowerCase();
    checkSignedStatements([statement], parts);
    await storeStatements(ctx.db, writerFor(caller, ctx.config.publicUrl), [statement], parts);
    return reply.status(204).send();
  });

  app.post('/statements', { schema: { hide: true } }, async (request, reply) => {
    const caller = await xapiCaller(ctx.db, request, 'statements/write');
    const extra = Object.keys(params(request));
    if (extra.length > 0) {
      throw new Invalid(
        `POST /xapi/statements takes no parameters, got ${extra.join(', ')} (use ?method=GET to query)`,
        {
          [extra[0] as string]: 'is not allowed',
        },
      );
    }
    const { json, parts } = readBody(request);
    const statements = validateStatements(json);
    checkSignedStatements(statements, parts);
    const ids = await storeStatements(ctx.db, writerFor(caller, ctx.config.publicUrl), statements, parts);
    return reply.status(200).type('application/json').send(ids);
  });

  app.get('/statements', { schema: { hide: true } }, async (request, reply) => {
    const caller = await xapiCaller(ctx.db, request, 'statements/read');
    const parsed = parseStatementRequest(params(request), ctx.config.publicUrl);
    const scope = await organisationScope(ctx.db, caller, !readsAllStatements(caller));
    if (parsed.kind === 'single') {
      const found = await getStatement(ctx.db, scope, parsed.id, parsed.voided);
      reply.header('last-modified', found.stored.toUTCString());
      return respond(ctx, request, reply, parsed, [found], caller, (formatted) => formatted[0]);
    }
    const page = await queryStatements(ctx.db, scope, parsed.filter, parsed.limit);
    const more =
      page.continueAfter === undefined ? '' : `/xapi/statements?more=${encodeMore(parsed.params, page.continueAfter)}`;
    const newest = page.statements.reduce<Date | undefined>(
      (latest, s) => (latest === undefined || s.stored > latest ? s.stored : latest),
      undefined,
    );
    if (newest !== undefined) reply.header('last-modified', newest.toUTCString());
    return respond(ctx, request, reply, parsed, page.statements, caller, (statements) => ({ statements, more }));
  });
}
