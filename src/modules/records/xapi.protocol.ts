// The HTTP rules every xAPI resource shares (Communication 1.x, 3.3): the version header, CORS for browser content,
// the alternate request syntax, and bodies kept as raw bytes so each resource reads them its own way (JSON,
// multipart/mixed with attachments, or documents of any type).

import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, Invalid, NotFound } from '../../platform/errors.js';

export const XAPI_VERSION = '1.0.3';
/** Bodies of xAPI requests can carry attachments, so they may be larger than a form post. */
export const XAPI_BODY_LIMIT = 20 * 1024 * 1024;

const ACCEPTED_VERSION = /^1\.0(\.\d+)?$/;
const ALTERNATE_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE']);
/** Form fields of the alternate syntax that stand for headers (Communication 1.3.s3.b6). */
const HEADER_FIELDS = [
  'authorization',
  'x-experience-api-version',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
];
const ALTERNATE_FLAG = Symbol('xapiAlternate');

type FlaggedMessage = IncomingMessage & { [ALTERNATE_FLAG]?: string | undefined };

/**
 * Routes an alternate-syntax request (POST /xapi/…?method=PUT) to the handler of the intended method. Called by the
 * server's rewriteUrl before routing; the body is unpacked later, in the xAPI scope's preParsing hook. A request
 * with other query parameters keeps its POST method and is refused there (Communication 1.3.s3.b3).
 */
export function rewriteAlternateRequest(req: IncomingMessage): string {
  const url = req.url ?? '/';
  if (req.method !== 'POST' || !url.startsWith('/xapi/')) return url;
  const question = url.indexOf('?');
  if (question === -1) return url;
  const query = new URLSearchParams(url.slice(question + 1));
  const method = query.get('method');
  if (method === null) return url;
  const flagged = req as FlaggedMessage;
  if ([...query.keys()].length !== 1 || !ALTERNATE_METHODS.has(method.toUpperCase())) {
    flagged[ALTERNATE_FLAG] = 'invalid';
    return url;
  }
  flagged[ALTERNATE_FLAG] = method.toUpperCase();
  req.method = method.toUpperCase();
  return url.slice(0, question);
}

function alternateMethodOf(request: FastifyRequest): string | undefined {
  return (request.raw as FlaggedMessage)[ALTERNATE_FLAG];
}

async function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limit) throw new AppError(413, 'payload_too_large', 'The request body is larger than 20 MB.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Unpacks an alternate-syntax form into headers, query parameters and content (Communication 1.3). */
async function unpackAlternate(request: FastifyRequest, payload: NodeJS.ReadableStream): Promise<Readable> {
  const method = alternateMethodOf(request);
  if (method === 'invalid') {
    throw new Invalid(
      'With the alternate request syntax, method must be GET, PUT, POST or DELETE and the only query parameter; send the others as form fields',
      { method: 'must be the only query parameter, one of GET, PUT, POST, DELETE' },
    );
  }
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new Invalid('A request using the alternate syntax must be sent as application/x-www-form-urlencoded', {
      'content-type': 'must be application/x-www-form-urlencoded',
    });
  }
  const form = new URLSearchParams((await readAll(payload, XAPI_BODY_LIMIT)).toString('utf8'));
  const query: Record<string, string> = {};
  let content = '';
  delete request.headers['content-type'];
  for (const [name, value] of form) {
    const lower = name.toLowerCase();
    if (lower === 'content') content = value;
    else if (HEADER_FIELDS.includes(lower)) request.headers[lower] = value;
    else query[name] = value;
  }
  request.query = query;
  const body = Buffer.from(content, 'utf8');
  request.headers['content-length'] = String(body.length);
  delete request.headers['transfer-encoding'];
  if (body.length === 0) delete request.headers['content-type'];
  return Readable.from([body]);
}

/**
 * Registers the shared xAPI behaviour on an encapsulated scope; resources are registered inside it. After this,
 * request.body in the scope is a Buffer (or undefined without a body) whatever the content type.
 */
export async function xapiProtocol(app: FastifyInstance): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: XAPI_BODY_LIMIT }, (_request, body, done) => {
    done(null, body);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-experience-api-version', XAPI_VERSION);
    const origin = request.headers.origin;
    // Browser content runs on other origins (a course player, an XR app); access is by credential, not by cookie.
    reply.header('access-control-allow-origin', origin ?? '*');
    reply.header('vary', 'Origin');
    reply.header(
      'access-control-expose-headers',
      'ETag, Last-Modified, X-Experience-API-Version, X-Experience-API-Consistent-Through, Content-Type',
    );
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    if (alternateMethodOf(request) === undefined) return payload;
    return unpackAlternate(request, payload);
  });

  app.addHook('preHandler', async (request) => {
    if (request.method === 'OPTIONS' || request.url.split('?')[0] === '/xapi/about') return;
    const version = request.headers['x-experience-api-version'];
    if (version === undefined) {
      throw new Invalid('Send the X-Experience-API-Version header, e.g. "1.0.3" (xAPI 1.0.3 Communication 3.3)', {
        'x-experience-api-version': 'is required',
      });
    }
    if (typeof version !== 'string' || !ACCEPTED_VERSION.test(version.trim())) {
      throw new Invalid(
        `X-Experience-API-Version "${String(version)}" is not supported: this LRS speaks 1.0.x (xAPI 1.0.3 Communication 3.3)`,
        { 'x-experience-api-version': 'must be 1.0 or 1.0.x' },
      );
    }
  });

  app.options('/*', { schema: { hide: true } }, async (request, reply) => {
    reply
      .header('access-control-allow-methods', 'GET, HEAD, PUT, POST, DELETE, OPTIONS')
      .header(
        'access-control-allow-headers',
        request.headers['access-control-request-headers'] ??
          'Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match',
      )
      .header('access-control-max-age', '86400')
      .status(204)
      .send();
  });

  app.get('/about', { schema: { hide: true } }, async (request) => {
    const extra = Object.keys(request.query as Record<string, string>);
    if (extra.length > 0) {
      throw new Invalid(`/xapi/about takes no parameters, got ${extra.join(', ')}`, {
        [extra[0] as string]: 'is not a parameter of the About Resource',
      });
    }
    return { version: [XAPI_VERSION, '1.0.2', '1.0.1', '1.0.0'], extensions: {} };
  });

  // Unknown paths and methods under /xapi still answer as the LRS: version header, CORS and a JSON 404.
  app.setNotFoundHandler(async (request, reply) => {
    reply.header('x-experience-api-version', XAPI_VERSION);
    reply.header('access-control-allow-origin', request.headers.origin ?? '*');
    throw new NotFound(`${request.method} ${request.url.split('?')[0] ?? ''} is not a resource of this LRS`);
  });
}
