import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPORT_TABLES } from './contracts.js';
import { columnsOf, label, maskName, TABLES } from './tables.js';

describe('maskName', () => {
  it('keeps the first character and hides the rest behind 1–3 stars', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('John Smith')).toBe('J***');
    expect(maskName('李')).toBe('李*');
    expect(maskName(null)).toBeNull();
    expect(maskName('')).toBe('');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0), (name) => {
        const masked = maskName(name)!;
        const chars = [...masked];
        expect(chars[0]).toBe([...name.trim()][0]);
        expect(chars.slice(1).every((c) => c === '*')).toBe(true);
        expect(chars.length).toBeGreaterThanOrEqual(2);
        expect(chars.length).toBeLessThanOrEqual(4);
      }),
    );
  });
});

describe('table specs', () => {
  it('every table has headers in both languages, distinct within a sheet', () => {
    for (const table of EXPORT_TABLES) {
      for (const locale of ['zh-CN', 'en-US'] as const) {
        const headers = columnsOf(TABLES[table], { locale, pii: false }).map((c) => c.header);
        expect(headers.length).toBeGreaterThan(3);
        expect(new Set(headers).size).toBe(headers.length);
        expect(headers.every((h) => h.trim().length > 0)).toBe(true);
      }
      const zh = columnsOf(TABLES[table], { locale: 'zh-CN', pii: false }).map((c) => c.header);
      expect(zh.some((h) => /[\u4e00-\u9fff]/.test(h))).toBe(true);
    }
  });

  it('labels codes in the language and passes unknown codes through', () => {
    expect(label('zh-CN', 'complaint')).toBe('投诉');
    expect(label('en-US', 'complaint')).toBe('Complaint');
    expect(label('zh-CN', 'something_new')).toBe('something_new');
    expect(label('zh-CN', null)).toBeNull();
  });

  it('words the verification and appeal of a rating in their own terms', () => {
    const row = { verification: 'pending', appealState: 'upheld' } as never;
    const cell = (locale: 'zh-CN' | 'en-US', header: string) => columnsOf(TABLES.evaluations, { locale, pii: false }).find((c) => c.header === header)!.value(row);
    expect(cell('zh-CN', '核实')).toBe('待核实');
    expect(cell('zh-CN', '申诉')).toBe('申诉成立');
    expect(cell('en-US', 'Appeal')).toBe('Upheld');
  });
});
