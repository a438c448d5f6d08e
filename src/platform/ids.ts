// Standard UUID string form, any version or variant, either case: what PostgreSQL's uuid type and xAPI both accept.
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** True when value is a UUID in standard string form, e.g. "fd41c918-b88b-4b20-a0a5-a4c32391aaa0". */
export function isUuid(value: string): boolean {
  return value.length === 36 && UUID.test(value);
}
