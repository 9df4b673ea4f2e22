/**
 * Validation of service input with the module's contract schema (routes validate too; jobs and CLI rely on
 * this). Messages are localized when the error is rendered: zod's own messages through its zh-CN and en
 * locales, and our custom messages (written `pledge:<key>` in the schemas) through the table below.
 */
import { z } from 'zod';
import { AppError } from './errors.js';
import type { Locale } from './i18n.js';

export interface Issue {
  path: string;
  code: string;
  message: string;
}

type ZodIssue = z.core.$ZodIssue;

const CUSTOM: Record<string, Record<Locale, string>> = {
  code_format: { 'zh-CN': '只能包含字母、数字、- 和 _', 'en-US': 'letters, digits, - and _ only' },
  username_format: { 'zh-CN': '只能包含字母、数字、点、- 和 _', 'en-US': 'letters, digits, dot, - and _ only' },
  phone_format: { 'zh-CN': '请输入 5 至 20 位的电话号码', 'en-US': 'a phone number of 5 to 20 digits' },
  id_number: { 'zh-CN': '请输入 18 位且校验位正确的居民身份证号', 'en-US': 'an 18-character resident ID number with a valid check digit' },
  time_zone: { 'zh-CN': '未知的时区', 'en-US': 'unknown IANA time zone' },
};

const LOCALES = { 'zh-CN': z.locales.zhCN(), 'en-US': z.locales.en() };

function messageOf(issue: ZodIssue, locale: Locale): string {
  const custom = typeof issue.message === 'string' && issue.message.startsWith('pledge:') ? CUSTOM[issue.message.slice(7)] : undefined;
  if (custom) return custom[locale];
  if (issue.code === 'custom' && issue.message) return issue.message;
  const localized = LOCALES[locale].localeError(issue as never);
  if (typeof localized === 'string') return localized;
  return localized?.message ?? issue.message;
}

/** Turns zod issues into `{ path, code, message }` entries a client can show beside each field. */
export function localizeIssues(issues: readonly ZodIssue[], locale: Locale, prefix = ''): Issue[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)';
    return { path, code: issue.code, message: messageOf(issue, locale) };
  });
}

export function summarize(issues: Issue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

/** A validation error whose raw issues are kept so the HTTP layer can word them in the caller's language. */
export class ValidationError extends AppError {
  constructor(
    readonly zodIssues: readonly ZodIssue[],
    readonly prefix = '',
  ) {
    const issues = localizeIssues(zodIssues, 'en-US', prefix);
    super('validation_failed', { summary: summarize(issues) }, { issues });
  }

  localized(locale: Locale): AppError {
    const issues = localizeIssues(this.zodIssues, locale, this.prefix);
    return new AppError('validation_failed', { summary: summarize(issues) }, { issues });
  }
}

export function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues);
}
