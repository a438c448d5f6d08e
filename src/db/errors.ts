/** True when the database refused a row because its key is already used (SQLSTATE 23505, unique_violation). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
