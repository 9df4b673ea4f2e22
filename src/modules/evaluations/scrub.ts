/**
 * Removing personal data (脱敏) from text that is published on the public feedback list: e-mail addresses,
 * phone numbers, ID-card numbers (居民身份证号), bank card numbers and the submitter's name. No I/O.
 *
 * The rule for numbers is deliberately wide: any run of 7 or more digits, counting digits joined by single
 * spaces or hyphens as one run (138 0013 8000, 027-8765-4321, 6222 0212 3456 7890 123), optionally prefixed
 * with + and followed by an ID card's final X, is masked. That catches every mobile and landline number (a
 * local landline number has 7 or 8 digits), every ID card (15 or 18 digits) and every bank card (13 to 19
 * digits), at the price of also masking other long numbers (a tracking number, an amount written without
 * separators) in text meant for the public. Dates written 2026-11-23 are kept. Full-width digits (０–９) count
 * as digits.
 */

/** What replaces a piece of personal data. */
export const MASK = '***';

const DIGIT = '[0-9\\uFF10-\\uFF19]';
/** Digits joined by at most one space or hyphen, at least 7 digits, an optional trailing X (ID cards). */
const LONG_NUMBER = new RegExp(`(?<!${DIGIT})\\+?${DIGIT}(?:[ \\-]?${DIGIT}){6,}(?:[Xx](?![A-Za-z]))?(?!${DIGIT})`, 'g');
const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;
/**
 * Local part and domain as mail systems accept them (not the full RFC grammar, which the public never types). The
 * local part may be empty so that an address run into another ("a@b.coma@b.com") loses its second half too.
 */
const EMAIL = /[A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const LATIN = /^[A-Za-z][A-Za-z .'-]*$/;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The names to remove: the full name and, for a Latin name, each word of it of 2 letters or more; single
 * characters are never removed (a one-character "name" would wipe that character from the whole text).
 */
function namePatterns(names: readonly (string | null | undefined)[]): RegExp[] {
  const out: RegExp[] = [];
  for (const raw of names) {
    const name = raw?.trim();
    if (!name || name.length < 2 || /^[*\s]+$/.test(name)) continue;
    if (LATIN.test(name)) {
      const words = [name, ...name.split(/[\s.'-]+/)].filter((w) => w.length >= 2);
      // Latin names only as whole words: "Li" is a name, not the start of "Lily".
      for (const w of new Set(words)) out.push(new RegExp(`(?<![A-Za-z])${escapeRegExp(w)}(?![A-Za-z])`, 'gi'));
    } else {
      out.push(new RegExp(escapeRegExp(name), 'g'));
    }
  }
  // Longest first, so the full name goes before its parts.
  return out.sort((a, b) => b.source.length - a.source.length);
}

/** Whether a text holds something that looks like an e-mail address or a long number (phone, ID, card). */
export function hasPersonalPattern(text: string): boolean {
  EMAIL.lastIndex = 0;
  if (EMAIL.test(text)) return true;
  for (const m of text.matchAll(LONG_NUMBER)) if (!DATE.test(m[0])) return true;
  return false;
}

/**
 * The text with e-mail addresses, long numbers (phones, ID cards, bank cards) and the given names replaced
 * by {@link MASK}. Text without any of them comes back unchanged; scrubbing twice changes nothing more.
 */
export function scrub(text: string, names: readonly (string | null | undefined)[] = []): string {
  let out = text.replace(EMAIL, MASK);
  out = out.replace(LONG_NUMBER, (m) => (DATE.test(m) ? m : MASK));
  for (const pattern of namePatterns(names)) out = out.replace(pattern, MASK);
  return out;
}
