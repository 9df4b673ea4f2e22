/**
 * Forms and the server: client-side rules from the same zod contracts the server validates with, and server
 * errors mapped back onto the form's fields (validation issues by path; conflicts on the field they concern).
 */
import type { FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import type { z } from 'zod';
import i18n from '../i18n';
import { ApiError, isRecord } from '../api/client';

type Issue = z.core.$ZodIssue;

/** Contract messages of the form "pledge:<key>" are message keys; the web app has them under validation.*. */
const CONTRACT_KEYS = {
  'pledge:code_format': 'validation.codeFormat',
  'pledge:phone_format': 'validation.phone',
  'pledge:id_number': 'validation.idNumber',
  'pledge:username_format': 'validation.usernameFormat',
} as const;

function isContractKey(message: string): message is keyof typeof CONTRACT_KEYS {
  return Object.prototype.hasOwnProperty.call(CONTRACT_KEYS, message);
}

function messageOf(issue: Issue, formatMessage?: string): string {
  if (formatMessage === undefined && isContractKey(issue.message)) return i18n.t(CONTRACT_KEYS[issue.message]);
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array' || issue.origin === 'set') return i18n.t('validation.minItems', { min });
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return i18n.t('validation.minValue', { min });
      return i18n.t('validation.minLength', { min });
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'set') return i18n.t('validation.maxItems', { max });
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return i18n.t('validation.maxValue', { max });
      return i18n.t('validation.maxLength', { max });
    }
    case 'invalid_format':
      if (issue.format === 'email') return i18n.t('validation.email');
      return formatMessage ?? i18n.t('validation.invalid');
    default:
      return formatMessage ?? i18n.t('validation.invalid');
  }
}

/**
 * An antd rule that checks a value with a contract schema (e.g. `StaffCreate.shape.username`). Empty values pass;
 * put `required: true` beside it when the field is required. `formatMessage` explains a pattern in words.
 */
export function zodRule(schema: z.ZodType, formatMessage?: string): Rule {
  return {
    validator: async (_rule, value: unknown) => {
      if (value === undefined || value === null || value === '') return;
      const result = schema.safeParse(value);
      const issue = result.success ? undefined : result.error.issues[0];
      if (issue) throw new Error(messageOf(issue, formatMessage));
    },
  };
}

/** Trims text values and turns empty strings into null (how the API says "no value"). */
export function emptyToNull<T extends Record<string, unknown>>(values: T): { [K in keyof T]: T[K] | null } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    out[key] = typeof value === 'string' && value.trim() === '' ? null : typeof value === 'string' ? value.trim() : value;
  }
  return out as { [K in keyof T]: T[K] | null };
}

/** Drops keys whose value is undefined (so PATCH bodies carry only what was given). */
export function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const CONFLICT_FIELDS: Record<string, string[]> = {
  'conflict.username_taken': ['username'],
  'conflict.code_taken': ['code'],
  'conflict.name_taken': ['name'],
  'auth.wrong_password': ['currentPassword'],
  'auth.weak_password': ['newPassword', 'password'],
  'token.scope_not_held': ['scopes'],
};

/**
 * Puts a server error on the form's fields where it belongs. Returns true when every part of it found a field;
 * otherwise the caller shows the message.
 */
export function applyServerError(form: FormInstance, error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  const mounted = form.getFieldsValue() as Record<string, unknown>;
  const has = (name: string) => Object.prototype.hasOwnProperty.call(mounted, name);
  const fields: { name: string; errors: string[] }[] = [];
  let unmatched = false;

  if (error.issues.length > 0) {
    const byField = new Map<string, string[]>();
    for (const issue of error.issues) {
      // Route validation reports "body.code"; service validation reports "code".
      const name = issue.path.replace(/^body\./, '').split('.')[0] ?? '';
      if (!has(name)) {
        unmatched = true;
        continue;
      }
      byField.set(name, [...(byField.get(name) ?? []), issue.message]);
    }
    for (const [name, errors] of byField) fields.push({ name, errors });
  } else {
    const detailField = isRecord(error.details) && typeof error.details.field === 'string' ? error.details.field : null;
    const candidates = detailField ? [detailField] : (CONFLICT_FIELDS[error.code] ?? []);
    const name = candidates.find(has);
    if (name) fields.push({ name, errors: [error.message] });
    else unmatched = true;
  }
  if (fields.length > 0) form.setFields(fields);
  return fields.length > 0 && !unmatched;
}
