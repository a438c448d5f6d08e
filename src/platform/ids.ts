import { createHash } from 'node:crypto';

// Standard UUID string form, any version or variant, either case: what PostgreSQL's uuid type and xAPI both accept.
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** True when value is a UUID in standard string form, e.g. "fd41c918-b88b-4b20-a0a5-a4c32391aaa0". */
export function isUuid(value: string): boolean {
  return value.length === 36 && UUID.test(value);
}

// Tessera's own UUID namespace for name-based identifiers (RFC 9562 version 5).
const TESSERA_NAMESPACE = Buffer.from('6f1c2a3e9b0d4c5e8a7f1e2d3c4b5a69', 'hex');

/**
 * A version 5 (name-based, SHA-1) UUID of name in Tessera's namespace: the same name always gives the same id, so
 * things Tessera creates from fixed data (built-in frameworks and their items) keep their ids on every machine.
 */
export function nameBasedUuid(name: string): string {
  const hash = createHash('sha1').update(TESSERA_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
