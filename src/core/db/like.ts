/** Text search with LIKE/ILIKE: the user's text is matched literally (its %, _ and backslash are escaped). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `%text%`, for "contains" searches. */
export function containsPattern(value: string): string {
  return `%${escapeLike(value)}%`;
}
