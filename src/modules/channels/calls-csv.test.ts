import fc from 'fast-check';
import iconv from 'iconv-lite';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { decodeCsv, mapHeader, parseCellTime, parseDirection, readTable } from './calls-csv.js';

describe('call CSV: encodings and table', () => {
  const text = '主叫号码,振铃时间,备注\r\n13800138000,2026-11-16 10:00:00,"停电, 已报修"\r\n';

  it('reads UTF-8 with and without BOM, GBK, and UTF-16 with BOM', () => {
    expect(decodeCsv(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(iconv.encode(text, 'gbk'))).toEqual({ text, encoding: 'gb18030' });
    expect(decodeCsv(iconv.encode(text, 'utf-16le', { addBOM: true }))).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeCsv(iconv.encode(text, 'utf-16be', { addBOM: true }))).toEqual({ text, encoding: 'utf-16be' });
  });

  it('splits records with quoted commas and line breaks, numbering rows by their first line', () => {
    const table = readTable('caller,ring_at,notes\n\n138,2026-11-16 10:00,"a\nb"\n139,2026-11-16 11:00,c\n');
    expect(table).toEqual({
      ok: true,
      header: ['caller', 'ring_at', 'notes'],
      records: [{ line: 3, cells: ['138', '2026-11-16 10:00', 'a\nb'] }, { line: 5, cells: ['139', '2026-11-16 11:00', 'c'] }],
    });
    expect(readTable('caller\tring_at\n138\t2026-11-16 10:00\n')).toMatchObject({ ok: true, records: [{ cells: ['138', '2026-11-16 10:00'] }] });
    expect(readTable('a,b\n"1,2\n')).toMatchObject({ ok: false, line: 2 });
  });

  it('maps English and Chinese headers, reports missing and repeated columns, ignores the rest', () => {
    expect(mapHeader(['通话编号', '主叫号码', '振铃时间', '接听时间', '挂机时间', '坐席', '录音链接', '备注', '呼叫方向', '队列'])).toEqual({
      columns: { external_id: 0, caller: 1, ring_at: 2, answered_at: 3, ended_at: 4, agent: 5, recording_url: 6, notes: 7, direction: 8 },
      ignored: ['队列'],
      problems: [],
    });
    expect(mapHeader(['Caller', 'Ring At', 'RECORDING_URL']).columns).toEqual({ caller: 0, ring_at: 1, recording_url: 2 });
    expect(mapHeader(['caller', '主叫号码']).problems).toEqual([
      { column: '主叫号码', field: 'caller', key: 'duplicate_column' },
      { column: null, field: 'ring_at', key: 'missing_column' },
    ]);
  });

  it('reads directions in both languages', () => {
    expect(['inbound', 'IN', '呼入', '来电', 'outbound', '呼出', '', 'sideways'].map(parseDirection)).toEqual(['inbound', 'inbound', 'inbound', 'inbound', 'outbound', 'outbound', null, 'invalid']);
  });
});

describe('call CSV: times', () => {
  const Z = 'Asia/Shanghai';
  const at = (v: string, zone = Z) => parseCellTime(v, zone)?.toISOString() ?? null;

  it('reads local times in the zone, ISO with offsets as written, and refuses impossible times', () => {
    expect(at('2026-11-16 10:00:00')).toBe('2026-11-16T02:00:00.000Z');
    expect(at('2026-11-16 10:00')).toBe('2026-11-16T02:00:00.000Z');
    expect(at('2026/11/6 9:05')).toBe('2026-11-06T01:05:00.000Z');
    expect(at('2026-11-16T10:00:00.250')).toBe('2026-11-16T02:00:00.250Z');
    expect(at('2026-11-16T10:00:00Z')).toBe('2026-11-16T10:00:00.000Z');
    expect(at('2026-11-16T10:00:00+08:00', 'America/New_York')).toBe('2026-11-16T02:00:00.000Z');
    expect(at('2026-11-16T10:00:00-0530')).toBe('2026-11-16T15:30:00.000Z');
    for (const bad of ['2026-02-30 10:00:00', '2026-11-16 24:00:00', '2026-11-16 10:60', '2026-13-01 10:00', '2026-11-16', 'yesterday', '2026-11-16T10:00:00+19:00', '']) {
      expect(at(bad), bad).toBeNull();
    }
    // 02:30 does not exist in New York on 8 March 2026 (clocks jump from 02:00 to 03:00).
    expect(at('2026-03-08 02:30:00', 'America/New_York')).toBeNull();
    expect(at('2026-03-08 03:30:00', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
  });

  /**
   * Checks one local time against luxon and says what kind it is: skipped by a daylight-saving change (a gap:
   * refused), repeated by one (an overlap: either of its two instants), or plain (the one instant).
   */
  function agreesWithLuxon(zone: string, text: string): 'gap' | 'overlap' | 'plain' {
    const wall = text.replace(' ', 'T');
    const expected = DateTime.fromISO(wall, { zone });
    const exists = expected.isValid && expected.toFormat('yyyy-MM-dd HH:mm:ss') === text;
    const got = parseCellTime(text, zone);
    if (!exists) {
      expect(got, `${zone} ${text}`).toBeNull();
      return 'gap';
    }
    const offsets = expected.getPossibleOffsets();
    if (offsets.length > 1) {
      expect(offsets.map((o) => o.toMillis()), `${zone} ${text}`).toContain(got?.getTime());
      return 'overlap';
    }
    expect(got?.getTime(), `${zone} ${text}`).toBe(expected.toMillis());
    return 'plain';
  }

  it('refuses local times skipped by a daylight-saving change and reads repeated ones, at known changes', () => {
    // [zone, local time, kind]: the first and last seconds of each gap and overlap, and the seconds around them.
    const cases: [string, string, 'gap' | 'overlap' | 'plain'][] = [
      // Berlin: 2026-03-29 02:00 → 03:00 (gap), 2026-10-25 03:00 → 02:00 (02:00–02:59 twice).
      ['Europe/Berlin', '2026-03-29 01:59:59', 'plain'],
      ['Europe/Berlin', '2026-03-29 02:00:00', 'gap'],
      ['Europe/Berlin', '2026-03-29 02:30:00', 'gap'],
      ['Europe/Berlin', '2026-03-29 02:59:59', 'gap'],
      ['Europe/Berlin', '2026-03-29 03:00:00', 'plain'],
      ['Europe/Berlin', '2026-10-25 01:59:59', 'plain'],
      ['Europe/Berlin', '2026-10-25 02:00:00', 'overlap'],
      ['Europe/Berlin', '2026-10-25 02:30:00', 'overlap'],
      ['Europe/Berlin', '2026-10-25 02:59:59', 'overlap'],
      ['Europe/Berlin', '2026-10-25 03:00:00', 'plain'],
      // New York: 2026-03-08 02:00 → 03:00, 2026-11-01 02:00 → 01:00; and a change of an earlier year.
      ['America/New_York', '2026-03-08 02:00:00', 'gap'],
      ['America/New_York', '2026-03-08 02:59:59', 'gap'],
      ['America/New_York', '2026-03-08 03:00:00', 'plain'],
      ['America/New_York', '2026-11-01 00:59:59', 'plain'],
      ['America/New_York', '2026-11-01 01:00:00', 'overlap'],
      ['America/New_York', '2026-11-01 01:59:59', 'overlap'],
      ['America/New_York', '2026-11-01 02:00:00', 'plain'],
      ['America/New_York', '2000-04-02 02:30:00', 'gap'],
      ['America/New_York', '2000-10-29 01:30:00', 'overlap'],
      // London: 01:00 → 02:00 and back.
      ['Europe/London', '2026-03-29 01:30:00', 'gap'],
      ['Europe/London', '2026-10-25 01:30:00', 'overlap'],
      // Lord Howe Island moves its clocks by half an hour.
      ['Australia/Lord_Howe', '2026-10-04 02:00:00', 'gap'],
      ['Australia/Lord_Howe', '2026-10-04 02:29:59', 'gap'],
      ['Australia/Lord_Howe', '2026-10-04 02:30:00', 'plain'],
      ['Australia/Lord_Howe', '2026-04-05 01:30:00', 'overlap'],
      ['Australia/Lord_Howe', '2026-04-05 01:59:59', 'overlap'],
      ['Australia/Lord_Howe', '2026-04-05 02:00:00', 'plain'],
      // No daylight saving: the same wall times are plain.
      ['Asia/Shanghai', '2026-03-29 02:30:00', 'plain'],
      ['UTC', '2026-10-25 02:30:00', 'plain'],
    ];
    for (const [zone, text, kind] of cases) expect(agreesWithLuxon(zone, text), `${zone} ${text}`).toBe(kind);
    // Both instants of a repeated time are real; the one chosen reads back as the same wall time.
    const repeated = parseCellTime('2026-10-25 02:30:00', 'Europe/Berlin')!;
    expect(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']).toContain(repeated.toISOString());
    expect(DateTime.fromJSDate(repeated, { zone: 'Europe/Berlin' }).toFormat('yyyy-MM-dd HH:mm:ss')).toBe('2026-10-25 02:30:00');
  });

  it('agrees with luxon on random local times in several zones', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
    const anyTime = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });
    // Half the draws fall in the small hours of days in the months when clocks change, where gaps and overlaps
    // may be hit; the known changes above are checked every run whatever the draws.
    const nearChanges = fc
      .record({ year: fc.integer({ min: 2000, max: 2039 }), month: fc.constantFrom(3, 4, 9, 10, 11), day: fc.integer({ min: 1, max: 30 }), minute: fc.integer({ min: 0, max: 4 * 60 - 1 }) })
      .map(({ year, month, day, minute }) => Date.UTC(year, month - 1, day, 0, minute, 17));
    const property = fc.property(fc.constantFrom(...zones), fc.oneof(anyTime, nearChanges), (zone, ms) => {
      agreesWithLuxon(zone, new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' '));
    });
    fc.assert(property, { numRuns: 3000 });
  });
});
