// HTTP for the xAPI document resources: /xapi/activities/state, /xapi/activities/profile and /xapi/agents/profile
// (Communication 2.3, 2.7, 2.6). Registered inside the /xapi scope, so bodies arrive as raw Buffers and the version
// header and alternate request syntax are already dealt with. HEAD comes with each GET (Communication 1.1).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../server.js';
import type { ApiCaller } from '../../platform/auth/api-clients.service.js';
import { Forbidden, Invalid } from '../../platform/errors.js';
import {
  deleteAllDocuments,
  deleteDocument,
  etagOf,
  getDocument,
  listDocumentIds,
  postDocument,
  putDocument,
  type DocumentContext,
  type DocumentKind,
  type IncomingDocument,
  type Preconditions,
} from './documents.service.js';
import { actorKey, parseAgentOnlyParameter } from './xapi.agents.js';
import { xapiCaller, type XapiAccess } from './xapi.auth.js';
import { isIri, isMediaType, isUuid, queryTime, timestampMillis } from './xapi.formats.js';

/** What tells the three resources apart. */
interface DocumentResource {
  kind: DocumentKind;
  path: string;
  title: string;
  idParam: 'stateId' | 'profileId';
  read: XapiAccess;
  write: XapiAccess;
  activity: boolean;
  agent: boolean;
  registration: boolean;
  /** DELETE without the id deletes every document of the context (state only, Communication 2.3.s5). */
  deleteAll: boolean;
}

const RESOURCES: DocumentResource[] = [
  {
    kind: 'state',
    path: '/activities/state',
    title: 'State Resource',
    idParam: 'stateId',
    read: 'state/read',
    write: 'state/write',
    activity: true,
    agent: true,
    registration: true,
    deleteAll: true,
  },
  {
    kind: 'activity_profile',
    path: '/activities/profile',
    title: 'Activity Profile Resource',
    idParam: 'profileId',
    read: 'profile/read',
    write: 'profile/write',
    activity: true,
    agent: false,
    registration: false,
    deleteAll: false,
  },
  {
    kind: 'agent_profile',
    path: '/agents/profile',
    title: 'Agent Profile Resource',
    idParam: 'profileId',
    read: 'profile/read',
    write: 'profile/write',
    activity: false,
    agent: true,
    registration: false,
    deleteAll: false,
  },
];

// Ids are the client's strings; a cap keeps one request from storing megabytes of id (alternate-syntax forms can).
const MAX_ID_LENGTH = 2048;

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

type Query = Record<string, string | undefined>;

interface ParsedRequest {
  context: DocumentContext;
  documentId: string | undefined;
  since: Date | undefined;
}

function allowedParameters(resource: DocumentResource, method: string): string[] {
  const names: string[] = [resource.idParam];
  if (resource.activity) names.push('activityId');
  if (resource.agent) names.push('agent');
  if (resource.registration) names.push('registration');
  if (method === 'GET' || method === 'HEAD') names.push('since');
  return names;
}

function required(query: Query, name: string, what: string): string {
  const value = query[name];
  if (value === undefined) throw new Invalid(`The ${name} parameter is required: ${what}`, { [name]: 'is required' });
  return value;
}

/** Reads and checks the query parameters; 400 naming the parameter for each problem (Communication 3.2.s3.b7). */
function parseRequest(resource: DocumentResource, request: FastifyRequest, caller: ApiCaller): ParsedRequest {
  const query = request.query as Query;
  const allowed = allowedParameters(resource, request.method);
  const unknown = Object.keys(query).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw new Invalid(
      `The ${resource.title} does not take ${unknown.map((name) => `"${name}"`).join(', ')} on ${request.method}; ` +
        `its parameters are ${allowed.join(', ')}`,
      Object.fromEntries(unknown.map((name) => [name, 'is not a parameter of this resource'])),
    );
  }
  const context: DocumentContext = { organisationId: caller.organisationId, kind: resource.kind };
  if (resource.activity) {
    const activityId = required(query, 'activityId', 'the IRI of the activity');
    if (!isIri(activityId)) {
      throw new Invalid('The activityId parameter must be an IRI, e.g. "http://example.com/activities/1"', {
        activityId: 'must be an IRI',
      });
    }
    context.activityId = activityId;
  }
  if (resource.agent) {
    const agent = parseAgentOnlyParameter('agent', required(query, 'agent', 'a JSON Agent object'));
    context.agentKey = actorKey(agent);
    if (caller.actorRestriction !== undefined && context.agentKey !== caller.actorRestriction.actorKey) {
      throw new Forbidden(`${caller.actorRestriction.label} may use only its own learner's documents.`);
    }
  }
  const registration = query.registration;
  if (registration !== undefined) {
    if (!isUuid(registration)) {
      throw new Invalid('The registration parameter must be a UUID', { registration: 'must be a UUID' });
    }
    context.registration = registration.toLowerCase();
  }
  const documentId = query[resource.idParam];
  if (documentId !== undefined && (documentId === '' || documentId.length > MAX_ID_LENGTH)) {
    throw new Invalid(`The ${resource.idParam} parameter must be 1 to ${MAX_ID_LENGTH} characters`, {
      [resource.idParam]: `must be 1 to ${MAX_ID_LENGTH} characters`,
    });
  }
  let since: Date | undefined;
  if (query.since !== undefined) {
    const millis = timestampMillis(query.since);
    if (millis === undefined) {
      throw new Invalid('The since parameter must be an ISO 8601 timestamp, e.g. "2024-05-01T12:00:00Z"', {
        since: 'must be an ISO 8601 timestamp',
      });
    }
    since = queryTime(millis);
  }
  return { context, documentId, since };
}

function requireId(resource: DocumentResource, parsed: ParsedRequest): string {
  if (parsed.documentId === undefined) {
    throw new Invalid(`The ${resource.idParam} parameter is required: the id of the document`, {
      [resource.idParam]: 'is required',
    });
  }
  return parsed.documentId;
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** An If-Match / If-None-Match value: '*' or entity tags, quoted as RFC 2616 says (unquoted ones are accepted). */
function entityTags(name: string, raw: string | undefined): '*' | string[] | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === '*') return '*';
  const tags = raw
    .split(',')
    .map((part) =>
      part
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase(),
    )
    .filter((tag) => tag !== '');
  if (tags.length === 0) {
    throw new Invalid(`The ${name} header must be "*" or the ETag of the document, in quotes`, {
      [name.toLowerCase()]: 'must be "*" or a quoted ETag',
    });
  }
  return tags;
}

function preconditionsOf(request: FastifyRequest): Preconditions {
  return {
    ifMatch: entityTags('If-Match', headerValue(request, 'if-match')),
    ifNoneMatch: entityTags('If-None-Match', headerValue(request, 'if-none-match')),
  };
}

/** The request body as a document: bytes plus a valid media type (application/octet-stream when none is sent). */
function incomingDocument(request: FastifyRequest): IncomingDocument {
  const body = request.body;
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new Invalid('Send the document as the request body', { content: 'is required' });
  }
  const contentType = headerValue(request, 'content-type') ?? 'application/octet-stream';
  // Printable ASCII only: the type is sent back as a response header, which cannot carry other characters.
  if (!isMediaType(contentType) || !PRINTABLE_ASCII.test(contentType)) {
    throw new Invalid(`Content-Type "${contentType.slice(0, 100)}" is not a media type such as "application/json"`, {
      'content-type': 'must be a media type',
    });
  }
  return { contentType, content: body };
}

async function handleGet(ctx: AppContext, resource: DocumentResource, request: FastifyRequest, reply: FastifyReply) {
  const caller = await xapiCaller(ctx.db, request, resource.read);
  const parsed = parseRequest(resource, request, caller);
  if (parsed.documentId !== undefined) {
    // The single-document GET ignores since, as the conformance suite expects.
    const document = await getDocument(ctx.db, parsed.context, parsed.documentId);
    return reply
      .header('etag', `"${document.etag}"`)
      .header('last-modified', document.updated.toUTCString())
      .type(document.contentType)
      .send(document.content);
  }
  const list = await listDocumentIds(ctx.db, parsed.context, parsed.since);
  const body = JSON.stringify(list.ids);
  reply.header('etag', `"${etagOf(Buffer.from(body, 'utf8'))}"`);
  if (list.lastModified !== undefined) reply.header('last-modified', list.lastModified.toUTCString());
  return reply.type('application/json; charset=utf-8').send(body);
}

async function handleWrite(
  ctx: AppContext,
  resource: DocumentResource,
  request: FastifyRequest,
  reply: FastifyReply,
  write: typeof putDocument,
) {
  const caller = await xapiCaller(ctx.db, request, resource.write);
  const parsed = parseRequest(resource, request, caller);
  const documentId = requireId(resource, parsed);
  const preconditions = preconditionsOf(request);
  await write(ctx.db, parsed.context, documentId, incomingDocument(request), preconditions);
  return reply.status(204).send();
}

async function handleDelete(ctx: AppContext, resource: DocumentResource, request: FastifyRequest, reply: FastifyReply) {
  const caller = await xapiCaller(ctx.db, request, resource.write);
  const parsed = parseRequest(resource, request, caller);
  if (parsed.documentId === undefined && resource.deleteAll) {
    await deleteAllDocuments(ctx.db, parsed.context);
  } else {
    await deleteDocument(ctx.db, parsed.context, requireId(resource, parsed), preconditionsOf(request));
  }
  return reply.status(204).send();
}

/** Registers the State, Activity Profile and Agent Profile resources; call inside the /xapi scope. */
export async function documentRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  for (const resource of RESOURCES) {
    const options = { schema: { hide: true } };
    app.get(resource.path, options, (request, reply) => handleGet(ctx, resource, request, reply));
    app.put(resource.path, options, (request, reply) => handleWrite(ctx, resource, request, reply, putDocument));
    app.post(resource.path, options, (request, reply) => handleWrite(ctx, resource, request, reply, postDocument));
    app.delete(resource.path, options, (request, reply) => handleDelete(ctx, resource, request, reply));
  }
}
