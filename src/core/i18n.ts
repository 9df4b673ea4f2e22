/**
 * Server-side messages in zh-CN (default) and en-US: error messages now, e-mail texts later.
 * Parameters are written `{name}` and filled from the error's params.
 */
import type { ErrorCode } from './errors.js';

export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

type Messages = Record<ErrorCode, string>;

const zh: Messages = {
  validation_failed: '提交的数据不符合要求：{summary}',
  'request.malformed_json': '请求体不是合法的 JSON：{reason}',
  'request.unsupported_media_type': '不支持的内容类型：{type}',
  'request.too_large': '请求体过大',
  not_found: '未找到该{entity}',
  'route.not_found': '接口不存在：{method} {url}',
  'auth.required': '请先登录',
  'auth.invalid_credentials': '用户名或密码错误',
  'auth.locked': '登录失败次数过多，账号已锁定，请于 {until} 后再试或联系管理员解锁',
  'auth.session_expired': '登录已过期，请重新登录',
  'auth.token_invalid': 'API 令牌无效或已被吊销',
  'auth.wrong_password': '当前密码不正确',
  'auth.weak_password': '新密码至少需要 {min} 个字符，且须同时包含字母和数字',
  'auth.inactive': '该账号已停用',
  forbidden: '您没有权限执行此操作（{action}）',
  'conflict.username_taken': '用户名“{username}”已被使用',
  'conflict.code_taken': '编码“{code}”已被使用',
  'conflict.name_taken': '名称“{name}”已存在',
  'conflict.in_use': '该{entity}仍在使用中，无法执行此操作',
  'org.head_office_required': '每个组织必须保留一个总部',
  'org.invalid_reference': '引用的{entity}不存在或不属于本组织',
  'token.scope_not_held': '不能授予您自己没有的权限：{scope}',
  'outbox.not_retryable': '只有投递失败的消息可以重新投递',
  'backup.server_database': '使用 PostgreSQL 服务器时请用 pg_dump / pg_restore 备份与恢复',
  'backup.data_dir_not_empty': '数据目录 {dir} 不为空，只能恢复到空的数据目录',
  'backup.data_dir_in_use': '数据目录 {dir} 正被运行中的 Pledge（进程 {pid}）使用，请先停止服务',
  'backup.invalid_file': '备份文件无效：{reason}',
  'calendar.invalid_file': '日历文件有误：{summary}',
  'calendar.invalid_duration': '时限“{value}”无效：请使用 PT2H30M（工作时间）或 P5D（工作日）这样的 ISO 8601 时长',
  'calendar.no_working_time': '该日历此后再无工作时间，无法计算到期时间',
  'calendar.out_of_range': '时间超出日历支持的范围（{min}–{max} 年）',
  'holiday.year_unknown': '没有 {year} 年的节假日数据，请先在“节假日数据”中添加',
  'holiday.invalid_days': '节假日数据有误：{summary}',
  'commitment.not_editable': '该版本状态为“{status}”，已不能修改；请基于它创建新版本',
  'commitment.wrong_step': '当前待办的审批环节是“{expected}”，不是“{step}”',
  'commitment.same_approver': '同一人不能在同一轮审批中决定两个环节（您已决定“{step}”）',
  'commitment.not_approved': '只有经决策机构批准的版本才能发布（当前状态：{status}）',
  'commitment.open_draft_exists': '该承诺书已有未发布的版本 v{version}，请先完成或修改它',
  'commitment.incomplete': '承诺书尚不完整：{missing}',
  'commitment.not_in_review': '该版本不在审批中（当前状态：{status}）',
  'template.unknown': '没有名为“{key}”的模板',
  'template.invalid_value': '模板参数有误：{summary}',
  'request.illegal_transition': '当前状态为“{status}”，不能执行“{action}”；可执行：{allowed}',
  'request.closed': '该工单{status}，不能再修改',
  'request.merge_invalid': '不能合并：{why}',
  'request.category_inactive': '该业务分类已停用，请选择其他分类',
  'request.assignee_invalid': '所选处理人不可用：{why}',
  'request.no_special_team': '尚未设置专项小组，无法升级',
  'request.already_escalated': '该工单已升级至专项小组',
  'request.reason_required': '此操作需要填写原因',
  'request.not_awaiting_confirmation': '该工单当前不在等待确认',
  'file.too_large': '文件“{name}”超过大小上限（{limit}）',
  'file.type_not_allowed': '不允许上传该类型的文件：{type}',
  'file.empty': '文件为空',
  'link.invalid': '链接无效或已过期',
  'feedback.wrong_state': '该意见反馈当前状态（{state}）不允许此操作',
  'feedback.no_consent': '提交人未同意公开，不能公示',
  'campaign.wrong_state': '该调查活动当前状态（{state}）不允许此操作',
  'campaign.period_open': '调查期间尚未结束（至 {periodEnd}），结束后才能发送',
  'chat.closed': '该会话已结束',
  'call.invalid': '通话记录有误：{summary}',
  'call.already_handled': '该通话已处理（{status}）',
  'call.not_answered': '该通话未接通，不能记为首次接触即解决',
  'csv.invalid': 'CSV 文件有误：{summary}',
  'webhook.invalid_url': 'Webhook 地址无效：{why}',
  'request.result_required': '请填写反馈给客户的处理结果',
  'view.limit_reached': '每人最多保存 {max} 个视图，请先删除不用的视图',
  'survey.used': '该评价链接已使用过，感谢您的评价',
  'survey.expired': '该评价链接已过期',
  'survey.not_request': '只有工单的评价邀请可以这样操作',
  'callback.not_pending': '该回访已结束（{status}），不能再修改',
  'callback.duplicate': '工单 {number} 已有抽样回访',
  'callback.request_not_resolved': '只能回访已反馈或已归档的工单（当前状态：{status}）',
  'callback.level_required': '联系上客户时请记录客户的满意度评价',
  'callback.verdict_required': '请填写核实结论：属实、误评或恶意差评',
  'callback.assignee_invalid': '所选人员不能承担该回访（须为在职、有回访权限且能处理该机构的人员）',
  'appeal.not_allowed': '只有经核实为误评或恶意差评的评价才能申诉（当前核实结果：{status}）',
  'appeal.already_open': '该评价已有待处理的申诉',
  'appeal.already_decided': '该评价的申诉已有决定（{status}），不能再次申诉',
  'appeal.not_pending': '该申诉已有决定（{status}）',
  'appeal.own_appeal': '不能决定自己提出的申诉',
  'corrective.illegal_transition': '该整改当前为“{status}”，不能执行“{action}”；可执行：{allowed}',
  'corrective.reason_required': '此操作需要填写原因',
  'corrective.incomplete': '提交复核前请先填写：{missing}',
  'corrective.closed': '该整改已{status}，不能再修改',
  'corrective.self_verify': '整改责任人不能复核自己的整改',
  'corrective.not_complaint': '只有投诉工单才能认定是否属实',
  'report.month_not_over': '{month} 尚未结束，月度报告只能在该月结束后生成',
  'report.generating': '{month} 的月度报告正在由计划任务生成，请稍后再试',
  'mail.unknown_recipient': '收件地址不属于任何组织：{address}',
  rate_limited: '请求过于频繁，请稍后再试',
  internal: '服务器内部错误，请稍后重试（请求编号 {requestId}）',
};

const en: Messages = {
  validation_failed: 'The submitted data is not valid: {summary}',
  'request.malformed_json': 'The request body is not valid JSON: {reason}',
  'request.unsupported_media_type': 'Unsupported content type: {type}',
  'request.too_large': 'The request body is too large',
  not_found: 'This {entity} was not found',
  'route.not_found': 'No such endpoint: {method} {url}',
  'auth.required': 'Please sign in first',
  'auth.invalid_credentials': 'Wrong username or password',
  'auth.locked': 'Too many failed sign-ins: the account is locked until {until}, or until an administrator unlocks it',
  'auth.session_expired': 'Your session has expired, please sign in again',
  'auth.token_invalid': 'The API token is invalid or has been revoked',
  'auth.wrong_password': 'The current password is wrong',
  'auth.weak_password': 'The new password needs at least {min} characters, with both letters and digits',
  'auth.inactive': 'This account is deactivated',
  forbidden: 'You are not allowed to do this ({action})',
  'conflict.username_taken': 'The username "{username}" is already taken',
  'conflict.code_taken': 'The code "{code}" is already taken',
  'conflict.name_taken': 'The name "{name}" already exists',
  'conflict.in_use': 'This {entity} is still in use',
  'org.head_office_required': 'Every organization keeps exactly one head office',
  'org.invalid_reference': 'The referenced {entity} does not exist in this organization',
  'token.scope_not_held': 'You cannot grant a permission you do not hold: {scope}',
  'outbox.not_retryable': 'Only failed messages can be retried',
  'backup.server_database': 'On a PostgreSQL server, back up and restore with pg_dump / pg_restore',
  'backup.data_dir_not_empty': 'The data folder {dir} is not empty: restore only into an empty data folder',
  'backup.data_dir_in_use': 'The data folder {dir} is in use by a running Pledge (process {pid}): stop it first',
  'backup.invalid_file': 'Invalid backup file: {reason}',
  'calendar.invalid_file': 'The calendar file is not valid: {summary}',
  'calendar.invalid_duration': 'The time limit "{value}" is not valid: use an ISO 8601 duration such as PT2H30M (business time) or P5D (working days)',
  'calendar.no_working_time': 'This calendar has no working time from then on, so nothing can fall due',
  'calendar.out_of_range': 'The time is outside the years the calendar supports ({min}–{max})',
  'holiday.year_unknown': 'There is no holiday data for {year}: add it under Holiday data first',
  'holiday.invalid_days': 'The holiday data is not valid: {summary}',
  'commitment.not_editable': 'This version is {status} and can no longer be changed: start a new version from it',
  'commitment.wrong_step': 'The approval step waiting for a decision is "{expected}", not "{step}"',
  'commitment.same_approver': 'One person cannot decide two steps of the same approval round (you decided "{step}")',
  'commitment.not_approved': 'Only a version approved by the decision body can be published (it is {status})',
  'commitment.open_draft_exists': 'This commitment already has an unpublished version v{version}: finish or edit it first',
  'commitment.incomplete': 'The commitment is not complete: {missing}',
  'commitment.not_in_review': 'This version is not in review (it is {status})',
  'template.unknown': 'There is no template "{key}"',
  'template.invalid_value': 'Invalid template value: {summary}',
  'request.illegal_transition': 'The request is {status}: “{action}” is not possible now; allowed: {allowed}',
  'request.closed': 'This request is {status} and can no longer be changed',
  'request.merge_invalid': 'Cannot merge: {why}',
  'request.category_inactive': 'This category is no longer in use; choose another one',
  'request.assignee_invalid': 'The chosen assignee cannot take this request: {why}',
  'request.no_special_team': 'No special team is set, so the request cannot be escalated',
  'request.already_escalated': 'This request has already been escalated to the special team',
  'request.reason_required': 'This action needs a reason',
  'request.not_awaiting_confirmation': 'This request is not awaiting confirmation',
  'file.too_large': 'The file “{name}” is larger than the limit ({limit})',
  'file.type_not_allowed': 'Files of this type are not allowed: {type}',
  'file.empty': 'The file is empty',
  'link.invalid': 'The link is invalid or has expired',
  'feedback.wrong_state': 'This feedback is {state}; that is not possible now',
  'feedback.no_consent': 'The submitter did not consent to publication',
  'campaign.wrong_state': 'This campaign is {state}; that is not possible now',
  'campaign.period_open': 'The period rated has not ended yet (until {periodEnd}); send the campaign after it ends',
  'chat.closed': 'This conversation has ended',
  'call.invalid': 'The call record is invalid: {summary}',
  'call.already_handled': 'This call has already been dealt with ({status})',
  'call.not_answered': 'This call was not answered, so it cannot be logged as resolved at first contact',
  'csv.invalid': 'The CSV file is invalid: {summary}',
  'webhook.invalid_url': 'Invalid webhook URL: {why}',
  'request.result_required': 'Write the result to deliver to the customer',
  'view.limit_reached': 'You can keep at most {max} saved views: delete one you no longer use first',
  'survey.used': 'This survey link has been used already: thank you for your rating',
  'survey.expired': 'This survey link has expired',
  'survey.not_request': 'Only a request survey can do this',
  'callback.not_pending': 'This callback is {status} and can no longer change',
  'callback.duplicate': 'Request {number} already has a sample callback',
  'callback.request_not_resolved': 'Only requests in feedback or archived can get a callback (this one is {status})',
  'callback.level_required': 'Record the customer’s rating when they were reached',
  'callback.verdict_required': 'Give the verdict of the verification: confirmed, mistaken or malicious',
  'callback.assignee_invalid': 'This person cannot take the callback (active staff who work callbacks and reach its branch only)',
  'appeal.not_allowed': 'Only ratings verified as mistaken or malicious can be appealed (verification: {status})',
  'appeal.already_open': 'This rating already has an open appeal',
  'appeal.already_decided': 'The appeal of this rating was {status}: it cannot be appealed again',
  'appeal.not_pending': 'This appeal was {status} already',
  'appeal.own_appeal': 'You cannot decide an appeal you filed',
  'corrective.illegal_transition': 'This corrective action is {status}: “{action}” is not possible now; allowed: {allowed}',
  'corrective.reason_required': 'This step needs a reason',
  'corrective.incomplete': 'Before submitting for verification, fill in: {missing}',
  'corrective.closed': 'This corrective action is {status} and can no longer be changed',
  'corrective.self_verify': 'The owner of a corrective action cannot verify it',
  'corrective.not_complaint': 'Only a complaint can be judged upheld or not',
  'report.month_not_over': 'The month {month} is not over yet; its report can be generated once it has ended',
  'report.generating': 'The report of {month} is being generated by the schedule; try again in a minute',
  'mail.unknown_recipient': 'No organization receives mail at {address}',
  rate_limited: 'Too many requests, please try again later',
  internal: 'Internal server error, please retry (request {requestId})',
};

const ENTITY: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    organization: '组织', branch: '分支机构', department: '部门', team: '团队', staff: '人员',
    customer: '客户', token: 'API 令牌', outbox: '外发消息', record: '记录', calendar: '日历', clock: '时效', commitment: '服务承诺书', version: '承诺书版本', notice: '公告', template: '模板', request: '工单', category: '分类', message: '消息', attachment: '附件', call: '通话记录', macro: '快捷回复', view: '视图', webhook: 'Webhook', rule: '路由规则', notification: '通知', chat: '会话', mail_account: '邮箱账户', callback: '回访', appeal: '申诉', survey: '评价邀请', evaluation: '评价', corrective_action: '整改', monthly_report: '月度报告',
  },
  'en-US': {
    organization: 'organization', branch: 'branch', department: 'department', team: 'team', staff: 'staff member',
    customer: 'customer', token: 'API token', outbox: 'outgoing message', record: 'record', calendar: 'calendar', clock: 'clock', commitment: 'commitment', version: 'commitment version', notice: 'notice', template: 'template', request: 'request', category: 'category', message: 'message', attachment: 'attachment', call: 'call record', macro: 'canned response', view: 'saved view', webhook: 'webhook', rule: 'routing rule', notification: 'notification', chat: 'conversation', mail_account: 'mail account', callback: 'callback', appeal: 'appeal', survey: 'survey', evaluation: 'rating', corrective_action: 'corrective action', monthly_report: 'monthly report',
  },
};

/** Words that travel in error params as codes (steps, statuses, missing parts) and are shown in the language. */
const VALUES: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    internal_evaluation: '内部评估', joint_meeting: '部门联席会议', decision_body: '决策机构审批',
    draft: '草稿', in_review: '审批中', approved: '已批准', published: '已发布', superseded: '已被取代', withdrawn: '已撤回',
    body: '承诺书正文为空', targets: '没有可衡量的承诺指标',
    registered: '已登记', analysing: '分析中', handling: '处理中', waiting_customer: '等待客户', feedback: '待客户确认', archived: '已归档', merged: '已合并',
    analyse: '分析（分类、定级、分派）', start_handling: '开始处理', wait_customer: '等待客户', customer_replied: '客户已回复', deliver_result: '反馈结果', archive: '归档', reopen: '重新打开', merge: '合并',
    self: '不能合并到自身', target_closed: '目标工单已关闭或已合并', inactive: '该人员已停用', not_in_team: '该人员不在所选团队', other_branch: '该人员不属于工单所在机构', https: '只允许 http(s) 地址', private: '不允许内网地址', credentials: '地址中不能包含用户名或密码', malformed: '地址格式不正确', unassigned: '尚未指定处理人',
    turned_into_request: '已转为工单', resolved_first_contact: '已记为首次接触即解决',
    open: '待整改', in_progress: '整改中', submitted: '待复核', closed: '已关闭', cancelled: '已取消', start: '开始整改', submit: '提交复核', accept: '复核通过', return: '退回整改', cancel: '取消',
    root_cause: '原因分析', actions_taken: '整改措施',
    pending: '待处理', done: '完成', unreachable: '未联系上', upheld: '成立', rejected: '驳回', confirmed: '属实', mistaken: '误评', malicious: '恶意差评', none: '无需核实',
  },
  'en-US': {
    internal_evaluation: 'internal evaluation', joint_meeting: 'joint departmental meeting', decision_body: 'decision body',
    draft: 'a draft', in_review: 'in review', approved: 'approved', published: 'published', superseded: 'superseded', withdrawn: 'withdrawn',
    body: 'the letter text is empty', targets: 'there is no measurable target',
    registered: 'registered', analysing: 'being analysed', handling: 'being handled', waiting_customer: 'waiting on the customer', feedback: 'awaiting the customer\'s confirmation', archived: 'archived', merged: 'merged',
    analyse: 'analyse (classify, prioritize, assign)', start_handling: 'start handling', wait_customer: 'wait on the customer', customer_replied: 'customer replied', deliver_result: 'deliver the result', archive: 'archive', reopen: 'reopen', merge: 'merge',
    self: 'a request cannot be merged into itself', target_closed: 'the target request is closed or merged', inactive: 'this person is inactive', not_in_team: 'this person is not in the chosen team', other_branch: 'this person does not belong to the request\'s branch', https: 'only http(s) addresses are allowed', private: 'private network addresses are not allowed', credentials: 'the address may not contain a user name or password', malformed: 'the address is malformed', unassigned: 'nobody is assigned yet',
    turned_into_request: 'turned into a request', resolved_first_contact: 'logged as resolved at first contact',
    open: 'open', in_progress: 'in progress', submitted: 'submitted for verification', closed: 'closed', cancelled: 'cancelled', start: 'start', submit: 'submit for verification', accept: 'accept', return: 'return', cancel: 'cancel',
    root_cause: 'root-cause analysis', actions_taken: 'actions taken',
    pending: 'pending', done: 'done', unreachable: 'unreachable', upheld: 'upheld', rejected: 'rejected', confirmed: 'confirmed', mistaken: 'mistaken', malicious: 'malicious', none: 'not verified',
  },
};
const TRANSLATED_PARAMS = new Set(['step', 'expected', 'status', 'missing', 'action', 'allowed', 'why']);

const MESSAGES: Record<Locale, Messages> = { 'zh-CN': zh, 'en-US': en };

/** Renders the message of an error code in a locale, filling `{param}` placeholders. */
export function message(locale: Locale, code: ErrorCode, params: Record<string, unknown> = {}): string {
  const template = MESSAGES[locale][code];
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined || value === null) return '';
    const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
    if (key === 'entity') return ENTITY[locale][text] ?? text;
    if (TRANSLATED_PARAMS.has(key)) return text.split(',').map((part) => VALUES[locale][part] ?? part).join(locale === 'zh-CN' ? '；' : '; ');
    return text;
  });
}

/** Picks zh-CN or en-US from an Accept-Language header (zh-CN when nothing matches). */
export function negotiateLocale(header: string | undefined | null): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en-US';
  }
  return DEFAULT_LOCALE;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
