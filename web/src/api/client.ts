/**
 * The small typed fetch client every hook uses. Sends the UI language as Accept-Language (the server localizes
 * its error messages with it), keeps the session cookie (same origin), and turns error bodies
 * `{ error: { code, message, details } }` into {@link ApiError}.
 */
import { currentLanguage } from '../i18n';
import i18n from '../i18n';

export const API_BASE = '/api/v1';

export interface ValidationIssue {
  path: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The per-field issues of a `validation_failed` error, if any. */
  get issues(): ValidationIssue[] {
    if (this.code !== 'validation_failed' || !isRecord(this.details) || !Array.isArray(this.details.issues)) return [];
    return this.details.issues.filter(isIssue);
  }

  /** A 401 that means "you are not (or no longer) signed in". */
  get isSignedOut(): boolean {
    return this.status === 401 && (this.code === 'auth.required' || this.code === 'auth.session_expired');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIssue(value: unknown): value is ValidationIssue {
  return isRecord(value) && typeof value.path === 'string' && typeof value.message === 'string';
}

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue>;

type SignedOutListener = (error: ApiError) => void;
let signedOutListener: SignedOutListener | null = null;

/** The app registers what happens when any call finds the session gone (back to the sign-in page). */
export function onSignedOut(listener: SignedOutListener | null): void {
  signedOutListener = listener;
}

export function buildUrl(path: string, query?: QueryParams): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

export interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  /** Do not send the app to the sign-in page on a 401 (used by sign-in and the "who am I" probe). */
  quietSignedOut?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLanguage() };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', i18n.t('errors.network'));
  }
  const text = await response.text();
  let payload: unknown = undefined;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
  }
  if (response.ok) return payload as T;

  const body = isRecord(payload) && isRecord(payload.error) ? payload.error : null;
  const error = new ApiError(
    response.status,
    body && typeof body.code === 'string' ? body.code : `http_${response.status}`,
    body && typeof body.message === 'string' ? body.message : i18n.t('errors.unknown', { status: response.status }),
    body?.details,
  );
  if (error.isSignedOut && !options.quietSignedOut) signedOutListener?.(error);
  throw error;
}

export const api = {
  get: <T>(path: string, query?: QueryParams, options?: Omit<RequestOptions, 'query' | 'body'>) =>
    request<T>('GET', path, { ...options, ...(query ? { query } : {}) }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('POST', path, { ...options, body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
