import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decrypt, deriveKeys, encrypt, hashPassword, lookupHash, maskIdNumber, maskPhone, normalizePhone, verifyPassword } from './crypto.js';

const keys = deriveKeys('unit-test-secret');

describe('personal-data encryption', () => {
  it('round-trips any text and never stores it in clear', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (text) => {
        const stored = encrypt(keys, text);
        expect(decrypt(keys, stored)).toBe(text);
        if (text.length >= 4) expect(stored.includes(text)).toBe(false);
      }),
    );
  });
  it('uses a fresh IV each time', () => {
    expect(encrypt(keys, '13812341188')).not.toBe(encrypt(keys, '13812341188'));
  });
  it('refuses tampered ciphertext and a wrong key', () => {
    const stored = encrypt(keys, '13812341188');
    const parts = stored.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    expect(() => decrypt(keys, [parts[0], parts[1], parts[2], ct.toString('base64url')].join('.'))).toThrow();
    expect(() => decrypt(deriveKeys('other-secret'), stored)).toThrow();
  });
});

describe('lookup hash', () => {
  it('matches the same number however it is written', () => {
    const h = lookupHash(keys, 'phone', '13812341188');
    for (const v of ['138 1234 1188', '+86 138-1234-1188', '0086 13812341188', '(138)12341188']) expect(lookupHash(keys, 'phone', v)).toBe(h);
    expect(lookupHash(keys, 'phone', '13812341189')).not.toBe(h);
  });
  it('depends on the secret', () => {
    expect(lookupHash(deriveKeys('x'), 'phone', '13812341188')).not.toBe(lookupHash(keys, 'phone', '13812341188'));
  });
  it('normalizes country codes', () => {
    expect(normalizePhone('+86 138 1234 1188')).toBe('13812341188');
    expect(normalizePhone('027-85550101')).toBe('02785550101');
  });
});

describe('masking', () => {
  it('shows a mobile number as 138****1188', () => {
    expect(maskPhone('13812341188')).toBe('138****1188');
  });
  it('keeps the length and the last four digits, hides the middle of any long number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11,15}$/), (p) => {
        const m = maskPhone(p);
        expect(m.length).toBe(p.length);
        expect(m.slice(-4)).toBe(p.slice(-4));
        expect(m).toContain('****');
      }),
    );
  });
  it('masks an ID number but its first 3 and last 4 characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
  });
});

describe('passwords', () => {
  it('verifies the right password only', async () => {
    const hash = await hashPassword('Secret123', 10);
    expect(hash.startsWith('scrypt$1024$')).toBe(true);
    expect(await verifyPassword('Secret123', hash)).toBe(true);
    expect(await verifyPassword('Secret124', hash)).toBe(false);
    expect(await verifyPassword('Secret123', 'garbage')).toBe(false);
  });
});
