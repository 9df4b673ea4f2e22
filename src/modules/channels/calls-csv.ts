/**
 * Reading call-record CSV files, pure (no database): the encoding (UTF-8 with or without BOM, UTF-16 with
 * BOM, and GBK/GB18030 — what Excel on Chinese Windows saves as "CSV"), the table (csv-parse), headers in
 * English or Chinese, and times written ISO 8601 or `YYYY-MM-DD HH:mm:ss` in the organization's time zone.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { IANAZone } from 'luxon';
import type { Locale } from '../../core/i18n.js';

/** The columns a call file may have. */
export const CSV_FIELDS = ['caller', 'ring_at', 'answered_at', 'ended_at', 'agent', 'recording_url', 'notes', 'external_id', 'direction', 'line'] as const;
export type CsvField = (typeof CSV_FIELDS)[number];
export const REQUIRED_FIELDS: readonly CsvField[] = ['caller', 'ring_at'];

/** Header spellings (compared without case, spaces, underscores and dashes). */
const ALIASES: Record<CsvField, readonly string[]> = {
  caller: ['caller', 'callernumber', 'callerphone', 'callerid', 'phone', 'from', 'ani', '主叫号码', '主叫', '来电号码', '客户号码', '客户电话'],
  ring_at: ['ringat', 'ringtime', 'ring', 'starttime', 'startedat', '振铃时间', '来电时间', '呼入时间', '开始时间'],
  answered_at: ['answeredat', 'answertime', 'answered', 'answerat', '接听时间', '应答时间', '接通时间'],
  ended_at: ['endedat', 'endtime', 'hangupat', 'hanguptime', 'end', '挂机时间', '结束时间'],
  agent: ['agent', 'agentusername', 'agentno', 'agentid', 'employeeno', 'username', '坐席', '坐席工号', '坐席账号', '工号', '接听坐席'],
  recording_url: ['recordingurl', 'recording', 'recordinglink', 'recordingurl', '录音链接', '录音地址', '录音'],
  notes: ['notes', 'note', 'remark', 'remarks', 'comment', '备注', '通话备注', '通话小结'],
  external_id: ['externalid', 'callid', 'id', 'uniqueid', '通话编号', '通话id', '呼叫编号', '流水号', '通话流水号'],
  direction: ['direction', 'calltype', '呼叫方向', '方向', '呼叫类型'],
  line: ['line', 'callee', 'callednumber', 'hotline', 'did', '被叫号码', '热线号码', '被叫'],
};

const normalizeHeader = (h: string) => h.trim().toLowerCase().replace(/[\s_\-.]/g, '');
const BY_ALIAS = new Map<string, CsvField>(CSV_FIELDS.flatMap((field) => ALIASES[field].map((alias) => [normalizeHeader(alias), field] as const)));

export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/**
 * Decodes the bytes of a CSV file. A UTF-8 or UTF-16 byte-order mark decides; otherwise text that is valid
 * UTF-8 is UTF-8, and anything else is read as GB18030 (a superset of GBK and GB2312), the encoding of CSV
 * files saved by Excel on Chinese Windows. Pure ASCII is the same in all of them.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: b.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (b[0] === 0xff && b[1] === 0xfe) return { text: iconv.decode(b.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: iconv.decode(b.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(b), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(b, 'gb18030'), encoding: 'gb18030' };
  }
}

export interface CsvRecord {
  /** The line of the file where the record starts (the spreadsheet row when no cell holds a line break). */
  line: number;
  cells: string[];
}

export type TableResult = { ok: true; header: string[]; records: CsvRecord[] } | { ok: false; line: number | null; reason: string };

/**
 * Splits the text into a header and records with csv-parse. Comma-separated, or tab-separated when the
 * header has tabs and no commas (Excel's "Unicode text"). Empty lines are skipped; cells are trimmed.
 */
export function readTable(text: string): TableResult {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parseCsv(text, { bom: true, delimiter, info: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as typeof parsed;
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    return { ok: false, line: typeof e.lines === 'number' ? e.lines : null, reason: e.message ?? String(error) };
  }
  const records = parsed.map(({ record, info }) => ({ line: info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0), cells: record }));
  const head = records.shift();
  if (!head) return { ok: true, header: [], records: [] };
  return { ok: true, header: head.cells, records };
}

export interface HeaderMap {
  /** The index of each known column. */
  columns: Partial<Record<CsvField, number>>;
  /** Headers that are not call fields. */
  ignored: string[];
  problems: { column: string | null; field: CsvField; key: 'missing_column' | 'duplicate_column' }[];
}

/** Maps the header row onto the call fields. */
export function mapHeader(header: readonly string[]): HeaderMap {
  const columns: Partial<Record<CsvField, number>> = {};
  const ignored: string[] = [];
  const problems: HeaderMap['problems'] = [];
  header.forEach((raw, index) => {
    const field = BY_ALIAS.get(normalizeHeader(raw));
    if (!field) {
      if (raw.trim() !== '') ignored.push(raw.trim());
      return;
    }
    if (columns[field] !== undefined) problems.push({ column: raw, field, key: 'duplicate_column' });
    else columns[field] = index;
  });
  for (const field of REQUIRED_FIELDS) if (columns[field] === undefined) problems.push({ column: null, field, key: 'missing_column' });
  return { columns, ignored, problems };
}

const TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Offsets (minutes) of a zone by 15-minute bucket, for buckets with no offset change inside. */
const OFFSETS = new Map<string, Map<number, number>>();
const BUCKET = 15 * 60_000;

function offsetMinutes(zone: IANAZone, at: number): number {
  let cache = OFFSETS.get(zone.name);
  if (!cache) OFFSETS.set(zone.name, (cache = new Map<number, number>()));
  const bucket = Math.floor(at / BUCKET);
  const known = cache.get(bucket);
  if (known !== undefined) return known;
  const offset = zone.offset(at);
  // Cached only when the whole bucket has one offset (no DST change inside it).
  if (cache.size < 100_000 && zone.offset(bucket * BUCKET) === offset && zone.offset((bucket + 1) * BUCKET - 1) === offset) cache.set(bucket, offset);
  return offset;
}

/**
 * A time cell: `YYYY-MM-DD HH:mm[:ss[.SSS]]`, `YYYY/M/D H:mm[:ss]` (how Excel writes dates) or ISO 8601
 * (`T` between date and time). With an offset (`Z`, `+08:00`) it is taken as written; without one it is a
 * local time in the organization's zone. Returns null for text that is not a real time (2026-02-30, 25:00,
 * a local time skipped by a daylight-saving change). Hand-written rather than luxon's parser: an import
 * reads up to 100,000 of these, and this is some fifty times faster.
 */
export function parseCellTime(value: string, zoneName: string): Date | null {
  const m = TIME.exec(value.trim());
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, frac, off] = m;
  const [y, mo, d, h, mi, sec] = [ys, mos, ds, hs, mis, ss ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, sec, frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0);
  if (off) {
    if (off.toUpperCase() === 'Z') return new Date(wall);
    const digits = off.replace(':', '');
    const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0');
    if (minutes > 18 * 60) return null;
    return new Date(wall - (digits[0] === '-' ? -1 : 1) * minutes * 60_000);
  }
  const zone = IANAZone.create(zoneName);
  if (!zone.isValid) return null;
  // The instant whose wall-clock time in the zone is `wall`: try the offset at the guess, then at the result.
  let at = wall - offsetMinutes(zone, wall) * 60_000;
  const second = wall - offsetMinutes(zone, at) * 60_000;
  if (second !== at) at = second;
  return at + offsetMinutes(zone, at) * 60_000 === wall ? new Date(at) : null;
}

/** inbound/outbound, in/out, 呼入/呼出, 来电/去电; null when the cell is empty; 'invalid' otherwise. */
export function parseDirection(value: string): 'inbound' | 'outbound' | null | 'invalid' {
  const v = value.trim().toLowerCase();
  if (v === '') return null;
  if (['inbound', 'in', '呼入', '来电', '入'].includes(v)) return 'inbound';
  if (['outbound', 'out', '呼出', '去电', '外呼', '出'].includes(v)) return 'outbound';
  return 'invalid';
}

/** The problems a call record or a CSV row can have, worded for people. */
export type RowProblem =
  | 'required' | 'time' | 'answer_before_ring' | 'end_before_answer' | 'end_before_ring' | 'future' | 'agent_unknown' | 'agent_ambiguous'
  | 'agent_other_branch' | 'direction' | 'duplicate' | 'missing_column' | 'duplicate_column' | 'too_many_rows' | 'too_many_cells' | 'empty'
  | 'parse' | 'too_large';

const TEXT: Record<Locale, Record<RowProblem, string>> = {
  'zh-CN': {
    required: '不能为空',
    time: '无法识别的时间，请使用 ISO 8601（如 2026-11-23T10:00:05+08:00）或 YYYY-MM-DD HH:mm:ss',
    answer_before_ring: '接听时间早于振铃时间',
    end_before_answer: '挂机时间早于接听时间',
    end_before_ring: '挂机时间早于振铃时间',
    future: '振铃时间晚于当前时间',
    agent_unknown: '找不到该坐席（请填写用户名或工号）',
    agent_ambiguous: '有多名人员使用该工号，请填写用户名',
    agent_other_branch: '该坐席属于其他机构，您无权登记其通话',
    direction: '呼叫方向应为 inbound/outbound（呼入/呼出）',
    duplicate: '通话编号与第 {other} 行重复',
    missing_column: '缺少必需的列 {field}',
    duplicate_column: '列 {field} 出现了不止一次',
    too_many_rows: '数据行超过上限 {max} 行，请分批导入',
    too_many_cells: '该行的单元格比表头多',
    empty: '文件中没有数据行',
    parse: 'CSV 格式错误：{reason}',
    too_large: '文件超过上限 {max} MB，请分批导入',
  },
  'en-US': {
    required: 'must not be empty',
    time: 'not a time: use ISO 8601 (e.g. 2026-11-23T10:00:05+08:00) or YYYY-MM-DD HH:mm:ss',
    answer_before_ring: 'the answer time is before the ring time',
    end_before_answer: 'the end time is before the answer time',
    end_before_ring: 'the end time is before the ring time',
    future: 'the ring time is in the future',
    agent_unknown: 'no such agent (write the username or the employee number)',
    agent_ambiguous: 'several people have this employee number: write the username',
    agent_other_branch: 'this agent belongs to another branch, whose calls you may not record',
    direction: 'the direction must be inbound or outbound',
    duplicate: 'the same call id as row {other}',
    missing_column: 'the required column {field} is missing',
    duplicate_column: 'the column {field} appears more than once',
    too_many_rows: 'more than {max} rows: import the file in parts',
    too_many_cells: 'this row has more cells than the header',
    empty: 'the file has no data rows',
    parse: 'not a valid CSV file: {reason}',
    too_large: 'the file is larger than {max} MB: import it in parts',
  },
};

/** The wording of a problem in a locale. */
export function problemText(locale: Locale, problem: RowProblem, params: Record<string, string | number> = {}): string {
  return TEXT[locale][problem].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ''));
}
