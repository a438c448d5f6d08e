// Signed statements (Data 2.6): a statement may carry a JWS of itself as an attachment. The LRS must reject malformed
// signatures: wrong content type, not a JWS, an algorithm other than RS256/384/512, a payload that is not the
// statement, or a signature that does not verify against the certificate in the JWS header's x5c.
//
// Verification uses node:crypto rather than jose: jose refuses RSA keys under 2048 bits, and the specification's own
// example (Data Appendix D) is signed with a 1024-bit key. The x5c check catches mistakes, it is not a trust decision
// (Data 2.6 note), so the certificate's chain and validity dates are not checked either.

import { X509Certificate, verify, type KeyObject } from 'node:crypto';
import { Invalid } from '../../platform/errors.js';
import { sameStatement } from './statements.compare.js';
import type { AttachmentPart } from './statements.service.js';
import type { XapiStatement } from './xapi.types.js';

/** The usageType that marks an attachment as the statement's signature (Data 2.6.s4.b1). */
export const SIGNATURE_USAGE_TYPE = 'http://adlnet.gov/expapi/attachments/signature';

const SECTION = '(xAPI 1.0.3 Data 2.6)';
const HASHES: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Thrown inside one signature check; turned into an Invalid naming the statement and attachment. */
class SignatureProblem extends Error {}

function decodeJsonSegment(segment: string, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw new SignatureProblem(`the JWS ${what} is not base64url-encoded JSON`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Splits a JWS in compact serialization into its decoded header and payload (RFC 7515 section 7.1). */
function readCompactJws(content: Buffer): { header: Record<string, unknown>; payload: unknown; segments: string[] } {
  const text = content.toString('utf8').trim();
  const segments = text.split('.');
  if (segments.length !== 3 || !segments.every((s) => BASE64URL.test(s))) {
    const hint = text.startsWith('{') ? ' (JWS JSON serialization is not accepted)' : '';
    throw new SignatureProblem(`the signature attachment is not a JWS in compact serialization${hint}`);
  }
  const [headerPart = '', payloadPart = ''] = segments;
  const header = decodeJsonSegment(headerPart, 'header');
  if (!isObject(header)) throw new SignatureProblem('the JWS header is not a JSON object');
  return { header, payload: decodeJsonSegment(payloadPart, 'payload'), segments };
}

/** The statement as it was before the signature at `index` was added: without it, and without an emptied list. */
function unsigned(statement: XapiStatement, index: number): XapiStatement {
  const attachments = (statement.attachments ?? []).filter((_, j) => j !== index);
  const copy: XapiStatement = { ...statement, attachments };
  if (attachments.length === 0) delete copy.attachments;
  return copy;
}

/** Single context activities in a raw payload become lists, as the validator makes them for received statements. */
function withContextLists(payload: Record<string, unknown>): Record<string, unknown> {
  const object = isObject(payload.object) ? withContextLists(payload.object) : payload.object; // a SubStatement
  const context = payload.context;
  if (!isObject(context) || !isObject(context.contextActivities)) return { ...payload, object };
  const lists = Object.fromEntries(
    Object.entries(context.contextActivities).map(([key, value]) => [key, Array.isArray(value) ? value : [value]]),
  );
  return { ...payload, object, context: { ...context, contextActivities: lists } };
}

function matchesStatement(payload: unknown, original: XapiStatement): boolean {
  if (!isObject(payload)) return false;
  if (
    typeof payload.id === 'string' &&
    original.id !== undefined &&
    payload.id.toLowerCase() !== original.id.toLowerCase()
  ) {
    return false;
  }
  try {
    return sameStatement(withContextLists(payload) as unknown as XapiStatement, original);
  } catch {
    return false; // a payload too malformed to compare is not the statement
  }
}

function certificateKey(x5c: unknown): KeyObject {
  if (!Array.isArray(x5c) || x5c.length === 0 || typeof x5c[0] !== 'string') {
    throw new SignatureProblem('the JWS header x5c is not a non-empty array of base64 certificates');
  }
  let key: KeyObject;
  try {
    key = new X509Certificate(Buffer.from(x5c[0], 'base64')).publicKey;
  } catch {
    throw new SignatureProblem('the first certificate in the JWS header x5c is not an X.509 certificate');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new SignatureProblem(`the x5c certificate holds a ${key.asymmetricKeyType ?? 'non-RSA'} key, not an RSA key`);
  }
  return key;
}

/** Checks one signature attachment against the statement carrying it; throws SignatureProblem when malformed. */
function checkSignature(statement: XapiStatement, index: number, parts: AttachmentPart[]): void {
  const attachment = statement.attachments?.[index];
  if (attachment === undefined) return;
  const type = attachment.contentType.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/octet-stream') {
    throw new SignatureProblem(`its contentType is "${attachment.contentType}", not "application/octet-stream"`);
  }
  const part = parts.find((p) => p.sha2.toLowerCase() === attachment.sha2.toLowerCase());
  if (part === undefined) {
    throw new SignatureProblem(`no attachment part with hash ${attachment.sha2} was sent, so it cannot be checked`);
  }
  const { header, payload, segments } = readCompactJws(part.content);
  const hash = typeof header.alg === 'string' ? HASHES[header.alg] : undefined;
  if (hash === undefined) {
    throw new SignatureProblem(`the JWS alg is ${JSON.stringify(header.alg)}; only RS256, RS384 and RS512 are allowed`);
  }
  if (!matchesStatement(payload, unsigned(statement, index))) {
    throw new SignatureProblem('the JWS payload is not the statement as it was before the signature was added');
  }
  if (header.x5c !== undefined) {
    const key = certificateKey(header.x5c);
    const [headerPart = '', payloadPart = '', signaturePart = ''] = segments;
    const input = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
    if (!verify(hash, input, key, Buffer.from(signaturePart, 'base64url'))) {
      throw new SignatureProblem('the JWS signature does not verify with the public key of the x5c certificate');
    }
  }
}

/**
 * Rejects (400 Invalid) any statement whose signature attachment is malformed (Data 2.6.s5): the message names the
 * statement's index and what is wrong. Statements without a signature attachment are not looked at.
 */
export function checkSignedStatements(statements: XapiStatement[], parts: AttachmentPart[]): void {
  statements.forEach((statement, i) => {
    (statement.attachments ?? []).forEach((attachment, j) => {
      if (attachment.usageType !== SIGNATURE_USAGE_TYPE) return;
      try {
        checkSignature(statement, j, parts);
      } catch (error) {
        if (!(error instanceof SignatureProblem)) throw error;
        throw new Invalid(`Statement ${i} has a malformed signature (attachment ${j}): ${error.message} ${SECTION}`, {
          [`statements[${i}].attachments[${j}]`]: error.message,
        });
      }
    });
  });
}
