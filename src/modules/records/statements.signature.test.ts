import { createHash, createHmac, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Invalid } from '../../platform/errors.js';
import { checkSignedStatements, SIGNATURE_USAGE_TYPE } from './statements.signature.js';
import type { AttachmentPart } from './statements.service.js';
import type { XapiAttachment, XapiStatement } from './xapi.types.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../test/fixtures/xapi/${name}`, import.meta.url));

// A 2048-bit key and its self-signed certificate, made once with `openssl req -x509 -newkey rsa:2048`.
const KEY = createPrivateKey(fixture('signing-key.pem'));
const CERT_DER = fixture('signing-cert.pem')
  .toString('ascii')
  .replace(/-----[A-Z ]+-----|\s/g, '');
const OTHER_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

const STATEMENT: XapiStatement = {
  id: '6f1f8bb0-3a2d-4d5e-9d7e-2b8d1f0c4a11',
  actor: { objectType: 'Agent', mbox: 'mailto:learner@example.com', name: 'Learner' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-GB': 'completed' } },
  object: { objectType: 'Activity', id: 'https://tessera.example/activities/fire-safety' },
  context: { contextActivities: { parent: [{ id: 'https://tessera.example/courses/mandatory' }] } },
  timestamp: '2024-05-01T10:00:00Z',
};

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWS in compact serialization, signed with an RSA key (RS*) or an HMAC secret (HS256). */
function compactJws(header: Record<string, unknown>, payload: unknown, key: KeyObject = KEY): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const bits = String(header.alg).slice(2);
  const signature =
    header.alg === 'HS256'
      ? createHmac('sha256', 'secret').update(input).digest()
      : sign(`sha${bits}`, Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

/** The statement with the JWS attached as its signature, and the part carrying the JWS. */
function signed(
  jws: string,
  statement: XapiStatement = STATEMENT,
  attachment: Partial<XapiAttachment> = {},
): { statement: XapiStatement; part: AttachmentPart } {
  const content = Buffer.from(jws);
  const sha2 = createHash('sha256').update(content).digest('hex');
  const signature: XapiAttachment = {
    usageType: SIGNATURE_USAGE_TYPE,
    display: { en: 'Signature' },
    contentType: 'application/octet-stream',
    length: content.length,
    sha2,
    ...attachment,
  };
  return {
    statement: { ...statement, attachments: [...(statement.attachments ?? []), signature] },
    part: { sha2, contentType: 'application/octet-stream', content },
  };
}

function rejection(statements: XapiStatement[], parts: AttachmentPart[]): Invalid {
  try {
    checkSignedStatements(statements, parts);
  } catch (error) {
    if (error instanceof Invalid) return error;
    throw error;
  }
  throw new Error('expected the signature to be rejected');
}

describe('checkSignedStatements accepts', () => {
  it.each(['RS256', 'RS384', 'RS512'])('a statement signed with %s and its certificate in x5c', (alg) => {
    const { statement, part } = signed(compactJws({ alg, x5c: [CERT_DER] }, STATEMENT));
    expect(() => {
      checkSignedStatements([statement], [part]);
    }).not.toThrow();
  });

  it('a signature without x5c whose payload is the statement', () => {
    const { statement, part } = signed(compactJws({ alg: 'RS256' }, STATEMENT, OTHER_KEY));
    expect(() => {
      checkSignedStatements([statement], [part]);
    }).not.toThrow();
  });

  it('a payload that differs only in what statement comparison ignores, beside other attachments', () => {
    const pdf: XapiAttachment = {
      usageType: 'http://id.tincanapi.com/attachment/certificate-of-completion',
      display: { en: 'Certificate' },
      contentType: 'application/pdf',
      length: 10,
      sha2: 'a'.repeat(64),
      fileUrl: 'https://tessera.example/certificate.pdf',
    };
    const original = { ...STATEMENT, attachments: [pdf] };
    const payload = {
      ...original,
      verb: { id: STATEMENT.verb.id },
      timestamp: '2024-05-01T11:00:00+01:00',
      context: { contextActivities: { parent: { id: 'https://tessera.example/courses/mandatory' } } },
    };
    const { statement, part } = signed(compactJws({ alg: 'RS256', x5c: [CERT_DER] }, payload), original);
    expect(statement.attachments).toHaveLength(2);
    expect(() => {
      checkSignedStatements([STATEMENT, statement], [part]);
    }).not.toThrow();
  });

  it("the specification's own example (Data Appendix D, a 1024-bit key with an x5c chain)", () => {
    const statement = JSON.parse(fixture('spec-D-signed.json').toString('utf8')) as XapiStatement;
    const content = fixture('spec-D-signature.jws');
    const sha2 = createHash('sha256').update(content).digest('hex');
    expect(sha2).toBe(statement.attachments?.[0]?.sha2);
    expect(() => {
      checkSignedStatements([statement], [{ sha2, contentType: 'application/octet-stream', content }]);
    }).not.toThrow();
    const changed = { ...statement, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } };
    expect(rejection([changed], [{ sha2, contentType: 'application/octet-stream', content }]).message).toMatch(
      /payload is not the statement/,
    );
  });
});

describe('checkSignedStatements rejects with 400', () => {
  const x5c = [CERT_DER];

  it.each([
    [
      'a payload that is not the statement',
      () =>
        signed(compactJws({ alg: 'RS256', x5c }, { ...STATEMENT, object: { id: 'https://tessera.example/other' } })),
      /the JWS payload is not the statement/,
    ],
    [
      'a payload that still holds the signature attachment',
      () => {
        const first = signed('placeholder');
        return signed(compactJws({ alg: 'RS256', x5c }, first.statement));
      },
      /the JWS payload is not the statement/,
    ],
    [
      'a payload that is not a statement at all',
      () => signed(compactJws({ alg: 'RS256' }, ['not', 'a', 'statement'])),
      /the JWS payload is not the statement/,
    ],
    ['the HS256 algorithm', () => signed(compactJws({ alg: 'HS256' }, STATEMENT)), /alg is "HS256"; only RS256/],
    [
      'a signature by a key other than the x5c certificate’s',
      () => signed(compactJws({ alg: 'RS256', x5c }, STATEMENT, OTHER_KEY)),
      /does not verify with the public key of the x5c certificate/,
    ],
    [
      'an x5c that is not a certificate',
      () => signed(compactJws({ alg: 'RS256', x5c: ['bm90IGEgY2VydA=='] }, STATEMENT)),
      /not an X\.509 certificate/,
    ],
    ['content that is not a JWS', () => signed('this is not a signature'), /not a JWS in compact serialization/],
    [
      'a JWS in JSON serialization',
      () => signed(JSON.stringify({ payload: b64url(STATEMENT), signatures: [] })),
      /JWS JSON serialization is not accepted/,
    ],
    [
      'a JWS header that is not JSON',
      () => signed(`${Buffer.from('alg').toString('base64url')}.${b64url(STATEMENT)}.c2ln`),
      /JWS header is not base64url-encoded JSON/,
    ],
    [
      'a signature attachment whose contentType is not application/octet-stream',
      () => signed(compactJws({ alg: 'RS256', x5c }, STATEMENT), STATEMENT, { contentType: 'application/jose' }),
      /contentType is "application\/jose", not "application\/octet-stream"/,
    ],
  ])('%s', (_, make, message) => {
    const { statement, part } = make();
    const error = rejection([statement], [part]);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^Statement 0 has a malformed signature/);
    expect(error.message).toContain('(xAPI 1.0.3 Data 2.6)');
  });

  it('a signature attachment with no part, naming the statement by its place in the batch', () => {
    const { statement } = signed(compactJws({ alg: 'RS256', x5c }, STATEMENT));
    const error = rejection([STATEMENT, STATEMENT, statement], []);
    expect(error.message).toMatch(/^Statement 2 has a malformed signature \(attachment 0\): no attachment part/);
    expect(error.details).toHaveProperty(['statements[2].attachments[0]']);
  });
});
