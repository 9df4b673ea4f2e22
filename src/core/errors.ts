/**
 * Errors are codes. Services throw `AppError(code, params)`; the HTTP layer maps the code to a status with
 * {@link statusOf} and renders the message in the caller's language (see i18n.ts).
 */
export type ErrorCode =
  | 'validation_failed'
  | 'request.malformed_json'
  | 'request.unsupported_media_type'
  | 'request.too_large'
  | 'not_found'
  | 'route.not_found'
  | 'auth.required'
  | 'auth.invalid_credentials'
  | 'auth.locked'
  | 'auth.session_expired'
  | 'auth.token_invalid'
  | 'auth.wrong_password'
  | 'auth.weak_password'
  | 'auth.inactive'
  | 'forbidden'
  | 'conflict.username_taken'
  | 'conflict.code_taken'
  | 'conflict.name_taken'
  | 'conflict.in_use'
  | 'org.head_office_required'
  | 'org.invalid_reference'
  | 'token.scope_not_held'
  | 'outbox.not_retryable'
  | 'backup.server_database'
  | 'backup.data_dir_not_empty'
  | 'backup.data_dir_in_use'
  | 'backup.invalid_file'
  | 'calendar.invalid_file'
  | 'calendar.invalid_duration'
  | 'calendar.no_working_time'
  | 'calendar.out_of_range'
  | 'holiday.year_unknown'
  | 'holiday.invalid_days'
  | 'commitment.not_editable'
  | 'commitment.wrong_step'
  | 'commitment.same_approver'
  | 'commitment.not_approved'
  | 'commitment.open_draft_exists'
  | 'commitment.incomplete'
  | 'commitment.not_in_review'
  | 'template.unknown'
  | 'template.invalid_value'
  | 'request.illegal_transition'
  | 'request.closed'
  | 'request.merge_invalid'
  | 'request.category_inactive'
  | 'request.assignee_invalid'
  | 'request.no_special_team'
  | 'request.already_escalated'
  | 'request.reason_required'
  | 'request.not_awaiting_confirmation'
  | 'file.too_large'
  | 'file.type_not_allowed'
  | 'file.empty'
  | 'link.invalid'
  | 'feedback.wrong_state'
  | 'feedback.no_consent'
  | 'campaign.wrong_state'
  | 'campaign.period_open'
  | 'chat.closed'
  | 'call.invalid'
  | 'call.already_handled'
  | 'call.not_answered'
  | 'csv.invalid'
  | 'webhook.invalid_url'
  | 'mail.unknown_recipient'
  | 'request.result_required'
  | 'view.limit_reached'
  | 'survey.used'
  | 'survey.expired'
  | 'survey.not_request'
  | 'callback.not_pending'
  | 'callback.duplicate'
  | 'callback.request_not_resolved'
  | 'callback.level_required'
  | 'callback.verdict_required'
  | 'callback.assignee_invalid'
  | 'appeal.not_allowed'
  | 'appeal.already_open'
  | 'appeal.already_decided'
  | 'appeal.not_pending'
  | 'appeal.own_appeal'
  | 'corrective.illegal_transition'
  | 'corrective.reason_required'
  | 'corrective.incomplete'
  | 'corrective.closed'
  | 'corrective.self_verify'
  | 'corrective.not_complaint'
  | 'report.month_not_over'
  | 'report.generating'
  | 'rate_limited'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  'request.malformed_json': 400,
  'request.unsupported_media_type': 415,
  'request.too_large': 413,
  not_found: 404,
  'route.not_found': 404,
  'auth.required': 401,
  'auth.invalid_credentials': 401,
  'auth.locked': 423,
  'auth.session_expired': 401,
  'auth.token_invalid': 401,
  'auth.wrong_password': 400,
  'auth.weak_password': 400,
  'auth.inactive': 403,
  forbidden: 403,
  'conflict.username_taken': 409,
  'conflict.code_taken': 409,
  'conflict.name_taken': 409,
  'conflict.in_use': 409,
  'org.head_office_required': 409,
  'org.invalid_reference': 400,
  'token.scope_not_held': 400,
  'outbox.not_retryable': 409,
  'backup.server_database': 400,
  'backup.data_dir_not_empty': 400,
  'backup.data_dir_in_use': 409,
  'backup.invalid_file': 400,
  'calendar.invalid_file': 400,
  'calendar.invalid_duration': 400,
  'calendar.no_working_time': 422,
  'calendar.out_of_range': 400,
  'holiday.year_unknown': 404,
  'holiday.invalid_days': 400,
  'commitment.not_editable': 409,
  'commitment.wrong_step': 409,
  'commitment.same_approver': 409,
  'commitment.not_approved': 409,
  'commitment.open_draft_exists': 409,
  'commitment.incomplete': 400,
  'commitment.not_in_review': 409,
  'template.unknown': 404,
  'template.invalid_value': 400,
  'request.illegal_transition': 409,
  'request.closed': 409,
  'request.merge_invalid': 409,
  'request.category_inactive': 422,
  'request.assignee_invalid': 400,
  'request.no_special_team': 409,
  'request.already_escalated': 409,
  'request.reason_required': 400,
  'request.not_awaiting_confirmation': 409,
  'file.too_large': 413,
  'file.type_not_allowed': 415,
  'file.empty': 400,
  'link.invalid': 404,
  'feedback.wrong_state': 409,
  'feedback.no_consent': 409,
  'campaign.wrong_state': 409,
  'campaign.period_open': 409,
  'chat.closed': 409,
  'call.invalid': 400,
  'call.already_handled': 409,
  'call.not_answered': 409,
  'csv.invalid': 400,
  'webhook.invalid_url': 400,
  'mail.unknown_recipient': 404,
  'request.result_required': 400,
  'view.limit_reached': 409,
  'survey.used': 410,
  'survey.expired': 410,
  'survey.not_request': 409,
  'callback.not_pending': 409,
  'callback.duplicate': 409,
  'callback.request_not_resolved': 409,
  'callback.level_required': 400,
  'callback.verdict_required': 400,
  'callback.assignee_invalid': 400,
  'appeal.not_allowed': 409,
  'appeal.already_open': 409,
  'appeal.already_decided': 409,
  'appeal.not_pending': 409,
  'appeal.own_appeal': 409,
  'corrective.illegal_transition': 409,
  'corrective.reason_required': 400,
  'corrective.incomplete': 422,
  'corrective.closed': 409,
  'corrective.self_verify': 403,
  'corrective.not_complaint': 409,
  'report.month_not_over': 409,
  'report.generating': 409,
  rate_limited: 429,
  internal: 500,
};

export type ErrorParams = Record<string, string | number | boolean | null | undefined>;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'AppError';
  }
}

/** The HTTP status of an error code. */
export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
