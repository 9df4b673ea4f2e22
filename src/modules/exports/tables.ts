/**
 * What each export holds: the list it reads (the list's own service function, so permissions, branch scope,
 * filters and masking are the list's) and its columns with Chinese and English headers.
 */
import type { Ctx } from '../../core/context.js';
import type { Locale } from '../../core/i18n.js';
import type { CallView } from '../channels/calls-contracts.js';
import { listCalls } from '../channels/calls.js';
import type { CaView } from '../corrective-actions/contracts.js';
import { listActions } from '../corrective-actions/service.js';
import type { CallbackView } from '../evaluations/callbacks-contracts.js';
import { listCallbacks } from '../evaluations/callbacks.js';
import type { EvaluationView } from '../evaluations/contracts.js';
import type { FeedbackView } from '../evaluations/feedback-contracts.js';
import { listFeedback } from '../evaluations/feedback.js';
import { listEvaluations } from '../evaluations/satisfaction-queries.js';
import type { RequestListItem } from '../requests/contracts.js';
import { listRequests } from '../requests/queries.js';
import type { ExportTable } from './contracts.js';
import type { CellValue, Column, ColumnKind } from './workbook.js';

type Text = Record<Locale, string>;

/** One page of a list: its items and whether more follow (and how to ask for them). */
type Pager<Row> = (ctx: Ctx, filters: Record<string, string>, max: number) => Promise<{ rows: Row[]; capped: boolean }>;

/** Reads a keyset-paginated list (limit + cursor → items + nextCursor) until the end or `max` rows. */
function keyset<Row>(list: (ctx: Ctx, query: unknown) => Promise<{ items: Row[]; nextCursor: string | null }>): Pager<Row> {
  return async (ctx, filters, max) => {
    const rows: Row[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page: { items: Row[]; nextCursor: string | null } = await list(ctx, { ...filters, limit: '200', ...(cursor ? { cursor } : {}) });
      rows.push(...page.items);
      if (rows.length > max) return { rows: rows.slice(0, max), capped: true };
      if (!page.nextCursor) return { rows, capped: false };
      if (rows.length === max) return { rows, capped: true };
      cursor = page.nextCursor;
    }
  };
}

/** Reads a numbered-page list (page + pageSize → items + total). */
function numbered<Row>(list: (ctx: Ctx, query: unknown) => Promise<{ items: Row[]; total: number }>): Pager<Row> {
  return async (ctx, filters, max) => {
    const rows: Row[] = [];
    for (let page = 1; ; page++) {
      const got = await list(ctx, { ...filters, page: String(page), pageSize: '200' });
      rows.push(...got.items);
      if (rows.length >= max) return { rows: rows.slice(0, max), capped: got.total > max };
      if (got.items.length === 0 || rows.length >= got.total) return { rows, capped: false };
    }
  };
}

/** A name shown without `pii:read`: the first character, the rest as stars (张** / J***). */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return name ?? null;
  const chars = [...name.trim()];
  if (chars.length === 0) return null;
  return chars[0] + '*'.repeat(Math.max(1, Math.min(chars.length - 1, 3)));
}

/** Code values shown in words in the sheet. */
const LABELS: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    registered: '已登记', analysing: '分析中', handling: '处理中', waiting_customer: '等待客户', feedback: '待客户确认', archived: '已归档', merged: '已合并',
    consultation: '咨询', service_request: '服务请求', complaint: '投诉', suggestion: '建议', urgent_fault: '紧急故障', praise: '表扬',
    general: '一般', urgent: '紧急', major: '重大',
    phone: '电话', email: '邮件', chat: '在线客服', web: '网站', app: 'App', social: '社交媒体', walk_in: '现场',
    open: '待整改', in_progress: '整改中', submitted: '待复核', closed: '已关闭', cancelled: '已取消',
    bad_rating: '差评', breach: '超时', inspection: '检查', cluster: '集中问题', manual: '手工',
    pending: '待回访', done: '已完成', unreachable: '未联系上', sample: '抽样回访', verify: '差评核实',
    received: '待答复', answered: '已答复', invalid: '无效',
    survey: '评价邀请', portal: '门户', callback: '回访', default: '默认好评', campaign: '满意度调查',
    inbound: '呼入', outbound: '呼出', missed: '未接', request: '已转工单', resolved_first_contact: '首次接触解决',
    running: '计时中', paused: '暂停', warning: '即将超时', breached: '已超时', none: '无',
  },
  'en-US': {
    registered: 'Registered', analysing: 'Analysing', handling: 'Handling', waiting_customer: 'Waiting on customer', feedback: 'Awaiting confirmation', archived: 'Archived', merged: 'Merged',
    consultation: 'Consultation', service_request: 'Service request', complaint: 'Complaint', suggestion: 'Suggestion', urgent_fault: 'Urgent fault', praise: 'Praise',
    general: 'General', urgent: 'Urgent', major: 'Major',
    phone: 'Phone', email: 'E-mail', chat: 'Chat', web: 'Web', app: 'App', social: 'Social media', walk_in: 'Walk-in',
    open: 'Open', in_progress: 'In progress', submitted: 'Submitted', closed: 'Closed', cancelled: 'Cancelled',
    bad_rating: 'Bad rating', breach: 'Breach', inspection: 'Inspection', cluster: 'Cluster', manual: 'Manual',
    pending: 'Pending', done: 'Done', unreachable: 'Unreachable', sample: 'Sample', verify: 'Verification',
    received: 'Received', answered: 'Answered', invalid: 'Invalid',
    survey: 'Survey', portal: 'Portal', callback: 'Callback', default: 'Default', campaign: 'Campaign',
    inbound: 'Inbound', outbound: 'Outbound', missed: 'Missed', request: 'Request', resolved_first_contact: 'Resolved at first contact',
    running: 'Running', paused: 'Paused', warning: 'Warning', breached: 'Breached', none: 'None',
  },
};

/** Words of one column whose codes mean something else elsewhere (pending). */
const VERIFICATION: Record<Locale, Record<string, string>> = {
  'zh-CN': { pending: '待核实', confirmed: '属实', mistaken: '误评', malicious: '恶意差评' },
  'en-US': { pending: 'Pending', confirmed: 'Confirmed', mistaken: 'Mistaken', malicious: 'Malicious' },
};
const APPEAL: Record<Locale, Record<string, string>> = {
  'zh-CN': { pending: '待裁定', upheld: '申诉成立', rejected: '申诉驳回' },
  'en-US': { pending: 'Pending', upheld: 'Upheld', rejected: 'Rejected' },
};

function labelIn(words: Record<Locale, Record<string, string>>, locale: Locale, code: string | null | undefined): string | null {
  if (code === null || code === undefined) return null;
  return words[locale][code] ?? code;
}

export function label(locale: Locale, code: string | null | undefined): string | null {
  if (code === null || code === undefined) return null;
  return LABELS[locale][code] ?? code;
}

interface ColumnSpec<Row> {
  header: Text;
  kind: ColumnKind;
  width?: number;
  value: (row: Row, view: View) => CellValue;
}

/** How the reader sees the sheet: language, and whether personal data shows in full. */
export interface View {
  locale: Locale;
  pii: boolean;
}

export interface TableSpec<Row> {
  title: Text;
  pager: Pager<Row>;
  columns: ColumnSpec<Row>[];
}

const col = <Row>(zh: string, en: string, kind: ColumnKind, value: (row: Row, view: View) => CellValue, width?: number): ColumnSpec<Row> => ({
  header: { 'zh-CN': zh, 'en-US': en }, kind, value, ...(width ? { width } : {}),
});

const requests: TableSpec<RequestListItem> = {
  title: { 'zh-CN': '工单', 'en-US': 'Requests' },
  pager: keyset(listRequests),
  columns: [
    col('工单编号', 'Number', 'text', (r) => r.number, 18),
    col('类型', 'Type', 'text', (r, v) => label(v.locale, r.type), 10),
    col('优先级', 'Priority', 'text', (r, v) => label(v.locale, r.priority), 8),
    col('渠道', 'Channel', 'text', (r, v) => label(v.locale, r.channel), 10),
    col('状态', 'State', 'text', (r, v) => label(v.locale, r.state), 12),
    col('主题', 'Subject', 'text', (r) => r.subject, 40),
    col('客户', 'Customer', 'text', (r, v) => (v.pii ? r.customerName : maskName(r.customerName)), 14),
    col('团队', 'Team', 'text', (r) => r.team?.name, 14),
    col('处理人', 'Assignee', 'text', (r) => r.assignee?.name, 12),
    col('时效状态', 'Clock', 'text', (r, v) => label(v.locale, r.clockState), 10),
    col('已升级', 'Escalated', 'boolean', (r) => r.escalated),
    col('下一期限', 'Next due', 'datetime', (r) => r.nextDueAt),
    col('登记时间', 'Registered at', 'datetime', (r) => r.createdAt),
    col('最近活动', 'Last activity', 'datetime', (r) => r.lastActivityAt),
    col('标签', 'Tags', 'text', (r) => r.tags.join(', '), 16),
  ],
};

const evaluations: TableSpec<EvaluationView> = {
  title: { 'zh-CN': '客户评价', 'en-US': 'Ratings' },
  pager: keyset(listEvaluations),
  columns: [
    col('评价时间', 'Rated at', 'datetime', (r) => r.at),
    col('工单编号', 'Request', 'text', (r) => r.requestNumber, 18),
    col('来源', 'Source', 'text', (r, v) => label(v.locale, r.source), 10),
    col('满意度', 'Level', 'integer', (r) => r.level, 8),
    col('服务态度', 'Attitude', 'integer', (r) => r.attitude, 8),
    col('响应速度', 'Speed', 'integer', (r) => r.speed, 8),
    col('处理结果', 'Result', 'integer', (r) => r.result, 8),
    col('NPS', 'NPS', 'integer', (r) => r.nps, 6),
    col('问题已解决', 'Resolved', 'boolean', (r) => r.resolved),
    col('处理人', 'Agent', 'text', (r) => r.agent?.name, 12),
    col('渠道', 'Channel', 'text', (r, v) => label(v.locale, r.channel), 10),
    col('工单类型', 'Request type', 'text', (r, v) => label(v.locale, r.requestType), 10),
    col('核实', 'Verification', 'text', (r, v) => labelIn(VERIFICATION, v.locale, r.verification), 10),
    col('申诉', 'Appeal', 'text', (r, v) => labelIn(APPEAL, v.locale, r.appealState), 10),
    col('不计入', 'Excluded', 'boolean', (r) => r.excluded),
    col('评语', 'Comment', 'text', (r) => r.comment, 40),
  ],
};

const correctiveActions: TableSpec<CaView> = {
  title: { 'zh-CN': '整改', 'en-US': 'Corrective actions' },
  pager: keyset(listActions),
  columns: [
    col('整改编号', 'Number', 'text', (r) => r.number, 16),
    col('来源', 'Source', 'text', (r, v) => label(v.locale, r.source), 10),
    col('状态', 'State', 'text', (r, v) => label(v.locale, r.state), 10),
    col('问题', 'Finding', 'text', (r) => r.finding, 40),
    col('工单编号', 'Request', 'text', (r) => r.request?.number, 18),
    col('责任人', 'Owner', 'text', (r) => r.owner?.name, 12),
    col('涉及人员', 'Agent', 'text', (r) => r.agent?.name, 12),
    col('团队', 'Team', 'text', (r) => r.team?.name, 12),
    col('机构', 'Branch', 'text', (r) => r.branch?.name, 14),
    col('期限', 'Due', 'datetime', (r) => r.dueAt),
    col('已逾期', 'Overdue', 'boolean', (r) => r.overdue),
    col('退回次数', 'Returns', 'integer', (r) => r.returnCount),
    col('关闭时间', 'Closed at', 'datetime', (r) => r.closedAt),
    col('按时关闭', 'Closed on time', 'boolean', (r) => r.closedOnTime),
    col('原因分析', 'Root cause', 'text', (r) => r.rootCause, 30),
    col('整改措施', 'Actions taken', 'text', (r) => r.actionsTaken, 30),
    col('创建时间', 'Raised at', 'datetime', (r) => r.createdAt),
  ],
};

const callbacks: TableSpec<CallbackView> = {
  title: { 'zh-CN': '回访', 'en-US': 'Callbacks' },
  pager: numbered(listCallbacks),
  columns: [
    col('工单编号', 'Request', 'text', (r) => r.request.number, 18),
    col('目的', 'Purpose', 'text', (r, v) => label(v.locale, r.purpose), 10),
    col('状态', 'State', 'text', (r, v) => label(v.locale, r.state), 10),
    col('工单类型', 'Request type', 'text', (r, v) => label(v.locale, r.request.type), 10),
    col('处理人', 'Agent', 'text', (r) => r.request.agent?.name, 12),
    col('回访人', 'Assignee', 'text', (r) => r.assignee?.name, 12),
    col('尝试次数', 'Attempts', 'integer', (r) => r.attempts),
    col('满意度', 'Level', 'integer', (r) => r.level),
    col('核实结论', 'Verdict', 'text', (r, v) => labelIn(VERIFICATION, v.locale, r.verdict), 10),
    col('未核实', 'Unverified', 'boolean', (r) => r.unverified),
    col('回访时间', 'Called at', 'datetime', (r) => r.calledAt),
    col('机构', 'Branch', 'text', (r) => r.branch?.name, 14),
    col('备注', 'Remarks', 'text', (r) => r.remarks, 30),
    col('创建时间', 'Created at', 'datetime', (r) => r.createdAt),
  ],
};

const calls: TableSpec<CallView> = {
  title: { 'zh-CN': '通话记录', 'en-US': 'Calls' },
  pager: keyset(listCalls),
  columns: [
    col('振铃时间', 'Rang at', 'datetime', (r) => r.ringAt),
    col('方向', 'Direction', 'text', (r, v) => label(v.locale, r.direction), 8),
    // The list masks the number already unless the reader holds pii:read.
    col('来电号码', 'Caller', 'text', (r) => r.caller, 16),
    col('热线', 'Line', 'text', (r) => r.line, 12),
    col('接听等待', 'Answer delay', 'duration', (r) => r.answerSeconds),
    col('通话时长', 'Talk time', 'duration', (r) => r.talkSeconds),
    col('坐席', 'Agent', 'text', (r) => r.agent?.name, 12),
    col('结果', 'Outcome', 'text', (r, v) => label(v.locale, r.outcome), 14),
    col('工单编号', 'Request', 'text', (r) => r.requestNumber, 18),
    col('客户', 'Customer', 'text', (r, v) => (v.pii ? r.customer?.name : maskName(r.customer?.name)), 14),
    col('备注', 'Notes', 'text', (r) => r.notes, 30),
  ],
};

const feedback: TableSpec<FeedbackView> = {
  title: { 'zh-CN': '公众意见', 'en-US': 'Public feedback' },
  pager: keyset(listFeedback),
  columns: [
    col('编号', 'Number', 'text', (r) => r.number, 16),
    col('类别', 'Kind', 'text', (r, v) => label(v.locale, r.kind), 8),
    col('状态', 'State', 'text', (r, v) => label(v.locale, r.state), 8),
    col('内容', 'Text', 'text', (r) => r.body, 40),
    col('联系人', 'Contact', 'text', (r, v) => (v.pii ? r.contactName : maskName(r.contactName)), 12),
    // The list masks phone and e-mail already unless the reader holds pii:read.
    col('电话', 'Phone', 'text', (r) => r.contactPhone, 14),
    col('邮箱', 'E-mail', 'text', (r) => r.contactEmail, 20),
    col('答复期限', 'Answer due', 'datetime', (r) => r.clock?.dueAt),
    col('答复', 'Answer', 'text', (r) => r.answer, 30),
    col('答复人', 'Answered by', 'text', (r) => r.answeredBy?.name, 12),
    col('答复时间', 'Answered at', 'datetime', (r) => r.answeredAt),
    col('已公开', 'Published', 'boolean', (r) => r.published),
    col('提交时间', 'Received at', 'datetime', (r) => r.createdAt),
  ],
};

// Each spec is used only with its own rows, so erasing the row type here is safe.
export const TABLES: Record<ExportTable, TableSpec<never>> = {
  requests: requests as unknown as TableSpec<never>,
  evaluations: evaluations as unknown as TableSpec<never>,
  'corrective-actions': correctiveActions as unknown as TableSpec<never>,
  callbacks: callbacks as unknown as TableSpec<never>,
  calls: calls as unknown as TableSpec<never>,
  feedback: feedback as unknown as TableSpec<never>,
};

/** The columns of a table in a language, for the workbook builder. */
export function columnsOf<Row>(spec: TableSpec<Row>, view: View): Column<Row>[] {
  return spec.columns.map((c) => ({ header: c.header[view.locale], kind: c.kind, ...(c.width ? { width: c.width } : {}), value: (row: Row) => c.value(row, view) }));
}
