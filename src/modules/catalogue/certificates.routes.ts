// Certificates: the learner's PDF download, and the public page where anyone checks a certificate number (no sign-in;
// rate-limited, so numbers cannot be guessed in bulk).
import type { FastifyInstance } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { NotFound } from '../../platform/errors.js';
import { queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { certificateDocument, checkCertificate, tidyCertificateNumber } from './certificates.service.js';

/** Checks per address per minute: plenty for people, too few to guess numbers. */
const CHECKS_PER_MINUTE = 30;

/** The certificate download and the public certificate check. */
export async function certificateRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  const rateLimit = {
    rateLimit: {
      max: CHECKS_PER_MINUTE,
      timeWindow: '1 minute',
      errorResponseBuilder: () => ({
        statusCode: 429,
        code: 'too_many_requests',
        message: 'Too many certificate checks from your network. Wait a minute and try again.',
      }),
    },
  };

  app.get('/my-learning/certificates/:file', async (request, reply) => {
    const principal = signedIn(request);
    const match = /^(.+)\.pdf$/i.exec((request.params as { file: string }).file);
    if (match?.[1] === undefined) throw new NotFound('There is no such certificate.');
    const { pdf, filename } = await certificateDocument(db, principal, ctx.config.publicUrl, match[1]);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });

  app.get('/certificates', { config: rateLimit }, async (request, reply) => {
    const typed = queryText(request, 'number');
    if (typed !== '') {
      const number = tidyCertificateNumber(typed);
      if (number !== undefined) return reply.redirect(`/certificates/${encodeURIComponent(number)}`, 303);
    }
    const errors =
      typed === '' && 'number' in (request.query as Record<string, unknown>)
        ? { number: 'Enter the certificate number' }
        : typed !== ''
          ? { number: 'Enter the certificate number as it is printed, like TSR-2026-7K3M-Q9XD' }
          : undefined;
    return reply.page(
      'dashboard-certificate-check.njk',
      { pageTitle: 'Check a certificate', values: { number: typed.slice(0, 100) }, errors },
      errors === undefined ? 200 : 400,
    );
  });

  app.get('/certificates/:number', { config: rateLimit }, async (request, reply) => {
    const typed = (request.params as { number: string }).number;
    const check = await checkCertificate(db, typed, new Date());
    if (check !== undefined && check.certificateNumber !== typed) {
      return reply.redirect(`/certificates/${encodeURIComponent(check.certificateNumber)}`, 301);
    }
    return reply.page(
      'dashboard-certificate.njk',
      {
        pageTitle: check === undefined ? 'Certificate not found' : `Certificate ${check.certificateNumber}`,
        check,
        typed: typed.slice(0, 100),
      },
      check === undefined ? 404 : 200,
    );
  });
}
