// POST /api/v1/resources/packages: another platform (or a migration script) sends a SCORM or cmi5 zip and gets a
// catalogue resource back. The zip comes as the raw body (application/zip) or as the `file` part of a multipart form.
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorBody } from '../../platform/api.routes.js';
import { apiCallerWithScope } from '../../platform/auth/api-auth.js';
import type { ApiCaller } from '../../platform/auth/api-clients.service.js';
import { AppError, Invalid } from '../../platform/errors.js';
import type { AppContext } from '../../server.js';
import { resourcePath } from './learn.paths.js';
import { importPackage, type ImportTarget } from './packages.service.js';
import { formatBytes, looksLikeZip, multipartConfig, UPLOAD_LIMITS } from './uploads.js';

// Clients label zips variously; the bytes decide whether it is one.
const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed', 'application/octet-stream'];

const Created = Type.Object({
  id: Type.String({ format: 'uuid' }),
  type: Type.Union([Type.Literal('scorm12'), Type.Literal('scorm2004'), Type.Literal('cmi5')]),
  title: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
  version: Type.Integer({ description: 'The new resource’s version number: 1' }),
  url: Type.String({ description: 'The resource’s page in Tessera' }),
});

// A binary body (OpenAPI 3.1 says so with contentMediaType): no `type`, so validation lets the Buffer through.
const ZipBytes = Type.Unsafe<Buffer>({ contentMediaType: 'application/zip', description: 'The package zip' });

const Query = Type.Object({
  catalogue: Type.Optional(
    Type.String({
      format: 'uuid',
      description: "The catalogue to add it to; default the organisation's first catalogue (made if it has none)",
    }),
  ),
  publish: Type.Optional(Type.Boolean({ description: 'Publish it at once (default false: it is a draft)' })),
});

function tooLarge(): AppError {
  const limit = formatBytes(UPLOAD_LIMITS.package);
  return new AppError(413, 'too_large', `The package is too large: it must be ${limit} or smaller.`, {
    file: `must be ${limit} or smaller`,
  });
}

function unsupportedType(): AppError {
  return new AppError(
    415,
    'unsupported_media_type',
    'Send the package as the body with Content-Type application/zip, or as the "file" part of multipart/form-data.',
    { 'content-type': 'must be application/zip or multipart/form-data' },
  );
}

/** The API's answer to a body the parsers refused, in the API's own words. */
function uploadError(error: FastifyError): AppError | undefined {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge();
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedType();
  if (error.code === 'FST_FILES_LIMIT') {
    return new Invalid('Send one file, the package, as the "file" part.', { file: 'send one file' });
  }
  return undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value.trim() : undefined;
}

/** The zip and the options, from a raw body (options in the query) or a multipart form (options in either). */
function readRequest(request: FastifyRequest): { zip: Buffer; catalogue?: string; publish?: boolean } {
  const query = request.query as { catalogue?: string; publish?: boolean };
  let zip: unknown = request.body;
  let catalogue = query.catalogue;
  let publish = query.publish;
  if (request.isMultipart()) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    zip = body.file;
    catalogue ??= textOf(body.catalogue);
    const published = textOf(body.publish);
    if (published !== undefined && published !== 'true' && published !== 'false') {
      throw new Invalid('publish must be true or false.', { publish: 'must be true or false' });
    }
    if (published !== undefined) publish ??= published === 'true';
  }
  // JSON and text have parsers of their own app-wide, so they arrive here parsed rather than refused by type.
  if (!request.isMultipart() && !Buffer.isBuffer(zip) && zip !== undefined && zip !== null) throw unsupportedType();
  if (!Buffer.isBuffer(zip) || zip.length === 0) {
    throw new Invalid('Send the package zip: as the body, or as the "file" part of a multipart form.', {
      file: 'is missing',
    });
  }
  if (!looksLikeZip(zip)) {
    throw new AppError(415, 'unsupported_media_type', 'The body is not a zip file. Send the package’s zip.', {
      file: 'is not a zip',
    });
  }
  return { zip, ...(catalogue === undefined ? {} : { catalogue }), ...(publish === undefined ? {} : { publish }) };
}

/** POST /api/v1/resources/packages, for API clients with the catalogue scope. */
export async function packagesApi(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const callers = new WeakMap<FastifyRequest, ApiCaller>();
  // Scoped to this plugin: only this route takes a raw zip body.
  app.addContentTypeParser(
    ZIP_TYPES,
    { parseAs: 'buffer', bodyLimit: UPLOAD_LIMITS.package },
    (_request, body, done) => {
      done(null, body);
    },
  );

  app.post(
    '/api/v1/resources/packages',
    {
      bodyLimit: UPLOAD_LIMITS.package,
      config: multipartConfig(UPLOAD_LIMITS.package),
      schema: {
        tags: ['catalogue'],
        summary: 'Import a SCORM 1.2, SCORM 2004 or cmi5 package as a catalogue resource',
        description:
          'The zip is the request body (Content-Type application/zip), or the `file` part of multipart/form-data ' +
          '(whose `catalogue` and `publish` fields may stand in for the query parameters). The package is read and ' +
          'checked; a bad one gets 400 listing every problem found (details problem1, problem2, …), and nothing is ' +
          `stored. At most ${formatBytes(UPLOAD_LIMITS.package)} (413 above). Needs the catalogue scope; only the ` +
          "client organisation's catalogues (403 otherwise).",
        querystring: Query,
        body: {
          content: {
            'application/zip': { schema: ZipBytes },
            'multipart/form-data': {
              schema: Type.Object({
                file: ZipBytes,
                catalogue: Type.Optional(Type.String({ format: 'uuid' })),
                publish: Type.Optional(Type.String({ enum: ['true', 'false'] })),
              }),
            },
          },
        },
        response: {
          201: Created,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          413: ErrorBody,
          415: ErrorBody,
        },
      },
      // Credentials are checked before the body is read, so a client that may not import is not made to send it all.
      onRequest: async (request) => {
        callers.set(request, await apiCallerWithScope(ctx.db, request, 'catalogue'));
      },
      // Fastify hands what this throws to the app's error handler, which answers in the API's error shape.
      // eslint-disable-next-line @typescript-eslint/no-misused-promises
      errorHandler: async (error: FastifyError) => {
        throw uploadError(error) ?? error;
      },
    },
    async (request, reply) => {
      const caller = callers.get(request) ?? (await apiCallerWithScope(ctx.db, request, 'catalogue'));
      const { zip, catalogue, publish } = readRequest(request);
      const target: ImportTarget =
        catalogue === undefined ? { organisationId: caller.organisationId } : { catalogueId: catalogue };
      const { resource, version } = await importPackage(
        ctx.db,
        { client: { clientId: caller.clientId, organisationId: caller.organisationId } },
        { ...target, zip, filename: 'package.zip', publish: publish === true },
      );
      return reply.status(201).send({
        id: resource.id,
        type: resource.type,
        title: resource.title,
        status: resource.status,
        version: version.version,
        url: `${ctx.config.publicUrl}${resourcePath(resource.id)}`,
      });
    },
  );
}
