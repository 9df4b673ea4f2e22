/**
 * Excel exports of the staff's tables. An export reads through the list's own service function (so the
 * reader's permission, branch scope, filters and masking are exactly the list's), builds the workbook, and
 * writes one audit entry: who exported which table with which filters and how many rows — exports carry
 * personal data out of the system.
 */
import { PassThrough, type Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { transact, type Ctx } from '../../core/context.js';
import { audit } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { LOCALES, type Locale } from '../../core/i18n.js';
import { maskPhone } from '../../core/crypto.js';
import { can } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { organizations, staff } from '../org/schema.js';
import { ExportQuery, ExportTable, MAX_EXPORT_ROWS } from './contracts.js';
import { columnsOf, TABLES, type View } from './tables.js';
import { writeWorkbook } from './workbook.js';

/** Query parameters of the lists that page; an export reads every page itself. */
const PAGING = new Set(['limit', 'cursor', 'page', 'pageSize', 'lang']);

export interface ExportFile {
  fileName: string;
  /** The .xlsx file, written as it is read (exceljs's streaming writer). */
  body: Readable;
  rows: number;
  capped: boolean;
}

export interface ExportOptions {
  /** The cap on rows (tests lower it). */
  maxRows?: number;
  /**
   * The caller sent no Accept-Language (a script with an API token): without `lang` the sheet is in the
   * reader's own language setting (staff locale), else the context's.
   */
  staffLocaleFirst?: boolean;
}

const CAPPED: Record<Locale, (n: number) => string> = {
  'zh-CN': (n) => `注意：仅导出前 ${n.toLocaleString('en-US')} 行，请缩小筛选范围后再导出其余部分。`,
  'en-US': (n) => `Note: only the first ${n.toLocaleString('en-US')} rows were exported; narrow the filters to export the rest.`,
};
const EXPORTED: Record<Locale, string> = { 'zh-CN': '导出时间', 'en-US': 'Exported' };

/** The workbook of one table with the list's filters (`query`: the list's query string, plus lang). */
export async function exportTable(ctx: Ctx, table: unknown, query: unknown, options: ExportOptions = {}): Promise<ExportFile> {
  const maxRows = options.maxRows ?? MAX_EXPORT_ROWS;
  const name = parse(ExportTable, table);
  const raw = parse(ExportQuery, query ?? {});
  const lang = raw.lang;
  if (lang !== undefined && !(LOCALES as readonly string[]).includes(lang)) throw new AppError('validation_failed', { summary: 'lang' }, { field: 'lang' });
  const locale: Locale = (lang as Locale | undefined) ?? (options.staffLocaleFirst ? await staffLocaleOf(ctx) : null) ?? ctx.locale;
  const filters = Object.fromEntries(Object.entries(raw).filter(([k]) => !PAGING.has(k)));

  const tableSpec = TABLES[name];
  // The list authorizes, scopes, validates the filters (400 on bad ones) and masks.
  const { rows, capped } = await tableSpec.pager(ctx, filters, maxRows);

  const [org] = await ctx.app.database.db.select({ name: organizations.name, timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, ctx.orgId));
  const zone = org?.timeZone ?? 'Asia/Shanghai';
  const now = DateTime.fromJSDate(ctx.now()).setZone(zone);
  const view: View = { locale, pii: can(ctx.actor, 'pii:read') };
  const title = `${org?.name ?? ''} · ${tableSpec.title[locale]} · ${EXPORTED[locale]} ${now.toFormat('yyyy-MM-dd HH:mm')} (${zone})`;
  const sheet = {
    sheetName: tableSpec.title[locale], title, columns: columnsOf(tableSpec, view), rows, timeZone: zone, locale,
    note: capped ? CAPPED[locale](maxRows) : null,
  };

  // The calls list filters by an exact phone number: the audit log keeps it masked, like everything it shows.
  const audited = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, k === 'phone' ? maskPhone(v) : v]));
  await transact(ctx, async (t) => {
    await audit(t, { action: 'export.created', entityType: 'export', entityId: null, after: { table: name, filters: audited, rows: rows.length, capped, locale, personalData: view.pii ? 'full' : 'masked' } });
  });
  const body = new PassThrough();
  // Rows were read and checked already; a failure now can only cut the file short (the download fails).
  writeWorkbook(sheet, body).catch((error: unknown) => body.destroy(error instanceof Error ? error : new Error(String(error))));
  return { fileName: `${name}-${now.toFormat('yyyyMMdd-HHmm')}.xlsx`, body, rows: rows.length, capped };
}

async function staffLocaleOf(ctx: Ctx): Promise<Locale | null> {
  if (ctx.actor.kind !== 'staff') return null;
  const [row] = await ctx.app.database.db.select({ locale: staff.locale }).from(staff).where(eq(staff.id, ctx.actor.id));
  const value = row?.locale;
  return value && (LOCALES as readonly string[]).includes(value) ? (value as Locale) : null;
}
