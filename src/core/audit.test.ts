import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffRecords, redact } from './audit.js';

describe('diffRecords', () => {
  it('lists exactly the changed fields with before and after', () => {
    expect(diffRecords({ name: 'a', code: 'X', active: true }, { name: 'b', code: 'X', active: false })).toEqual({ name: ['a', 'b'], active: [true, false] });
  });
  it('treats a created record as every field going from null', () => {
    expect(diffRecords(null, { name: 'a' })).toEqual({ name: [null, 'a'] });
  });
  it('never shows secrets', () => {
    expect(diffRecords({ passwordHash: 'h1' }, { passwordHash: 'h2' })).toEqual({ passwordHash: ['[redacted]', '[redacted]'] });
    expect(redact({ phoneEnc: 'v1.x', name: 'n' })).toEqual({ phoneEnc: '[redacted]', name: 'n' });
  });
  it('agrees with a field-by-field oracle on random records', () => {
    const record = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null)));
    fc.assert(
      fc.property(record, record, (before, after) => {
        const diff = diffRecords(before, after);
        for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
          const changed = JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null);
          expect(key in diff).toBe(changed);
          if (changed) expect(diff[key]).toEqual([before[key] ?? null, after[key] ?? null]);
        }
      }),
    );
  });
});
