/** Recognizing database errors that are the caller's fault (duplicates), whichever driver raised them. */
interface PgLikeError {
  code?: string;
  constraint?: string;
  constraint_name?: string;
  message?: string;
  cause?: unknown;
}

function pgError(e: unknown): PgLikeError | null {
  let current: unknown = e;
  for (let i = 0; i < 4 && current && typeof current === 'object'; i++) {
    const err = current as PgLikeError;
    if (typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)) return err;
    current = err.cause;
  }
  return null;
}

/** True when the error is a unique violation (of the named constraint, if given). */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = pgError(e);
  if (!err || err.code !== '23505') return false;
  if (!constraint) return true;
  const name = err.constraint ?? err.constraint_name ?? '';
  return name === constraint || (err.message ?? '').includes(constraint);
}
