/**
 * Cryptography for personal data, passwords and tokens, all from node:crypto.
 * - Personal data (phone, ID number): AES-256-GCM, stored as `v1.<iv>.<tag>.<ciphertext>` (base64url).
 * - Exact search on encrypted values: a keyed hash (HMAC-SHA256) of the normalized value.
 * - Passwords: scrypt with a per-password salt; the cost is stored in the hash so it can be raised later.
 * - Session and API tokens: random, only their SHA-256 is stored.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface Keys {
  encryption: Buffer;
  lookup: Buffer;
}

/** Derives the encryption and lookup keys from the installation secret (separate keys for separate uses). */
export function deriveKeys(secret: string): Keys {
  const ikm = Buffer.from(secret, 'utf8');
  return {
    encryption: Buffer.from(hkdfSync('sha256', ikm, 'pledge', 'pii-encryption-v1', 32)),
    lookup: Buffer.from(hkdfSync('sha256', ikm, 'pledge', 'pii-lookup-v1', 32)),
  };
}

export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function encrypt(keys: Keys, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function decrypt(keys: Keys, stored: string): string {
  const [version, iv, tag, ct] = stored.split('.');
  if (version !== 'v1' || iv === undefined || tag === undefined || ct === undefined) {
    throw new Error('unknown ciphertext format');
  }
  const decipher = createDecipheriv('aes-256-gcm', keys.encryption, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

/** Normalizes a phone number for lookup: digits only, without a leading +86 / 0086 country code. */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 13 && digits.startsWith('86')) return digits.slice(2);
  if (digits.length === 15 && digits.startsWith('0086')) return digits.slice(4);
  return digits;
}

/** Keyed hash for exact-match search of an encrypted value. */
export function lookupHash(keys: Keys, kind: 'phone' | 'id_number', value: string): string {
  const normalized = kind === 'phone' ? normalizePhone(value) : value.trim().toUpperCase();
  return createHmac('sha256', keys.lookup).update(`${kind}:${normalized}`).digest('base64url');
}

/** A keyed signature of a value for one purpose (unsubscribe links, one-time links): verifiable without storage. */
export function signValue(keys: Keys, purpose: string, value: string): string {
  return createHmac('sha256', keys.lookup).update(`sign:${purpose}:${value}`).digest('base64url').slice(0, 32);
}

/** 13812341188 → 138****1188; short numbers keep only their last two digits. */
export function maskPhone(phone: string): string {
  const p = phone.trim();
  if (p.length >= 11) return `${p.slice(0, p.length - 8)}****${p.slice(-4)}`;
  if (p.length > 4) return `${'*'.repeat(p.length - 2)}${p.slice(-2)}`;
  return '*'.repeat(p.length);
}

/** 110101199003071234 → 110***********1234. */
export function maskIdNumber(id: string): string {
  const v = id.trim();
  if (v.length <= 7) return '*'.repeat(v.length);
  return `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}`;
}

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, 64, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const n = 2 ** cost;
  const key = await scryptAsync(password, salt, n, 8, 1);
  return `scrypt$${n}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash that costs the same as a real verification, for unknown usernames (no timing oracle). */
export const DUMMY_PASSWORD_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
