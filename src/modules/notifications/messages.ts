/**
 * The e-mail a notification sends, in the recipient's language (zh-CN or en-US). The app renders the same
 * notification from its kind and parameters with its own strings (web/src/i18n/ns/notifications.ts). Pure.
 */
import type { Locale } from '../../core/i18n.js';
import type { NotificationKind } from './recipients.js';

export type NotificationParams = Record<string, string | number | null>;

const WORDS = {
  'zh-CN': {
    clock: {
      first_response: '首次响应', next_reply: '回复客户', initial_solution: '初步方案', emergency_response: '应急响应', 'complaint.registered': '投诉登记',
      resolved: '办结', 'result.delivered': '结果反馈', archived: '归档',
    } as Record<string, string>,
    priority: { general: '一般', urgent: '紧急', major: '重大' } as Record<string, string>,
    type: { consultation: '咨询', service_request: '求助/预约', complaint: '投诉', suggestion: '建议', urgent_fault: '紧急故障' } as Record<string, string>,
    system: '系统',
  },
  'en-US': {
    clock: {
      first_response: 'first response', next_reply: 'reply to the customer', initial_solution: 'initial solution', emergency_response: 'emergency response',
      'complaint.registered': 'complaint registration', resolved: 'resolution', 'result.delivered': 'result delivery', archived: 'archiving',
    } as Record<string, string>,
    priority: { general: 'general', urgent: 'urgent', major: 'major' } as Record<string, string>,
    type: { consultation: 'consultation', service_request: 'service request', complaint: 'complaint', suggestion: 'suggestion', urgent_fault: 'urgent fault' } as Record<string, string>,
    system: 'The system',
  },
} as const;

/** An instant as "2026-01-16 22:00" in the organization's zone. */
export function localTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

export interface EmailContext {
  orgName: string;
  recipientName: string;
  timeZone: string;
  /** The request's page in the app. */
  link: string | null;
}

/** Subject and text of a notification's e-mail. */
export function notificationEmail(locale: Locale, kind: NotificationKind, params: NotificationParams, urgent: boolean, ctx: EmailContext): { subject: string; text: string } {
  const w = WORDS[locale];
  const s = (key: string) => {
    const value = params[key];
    return value === null || value === undefined ? '' : String(value);
  };
  const number = s('number');
  const subject = s('subject');
  const clock = w.clock[s('clockKind')] ?? s('clockKind');
  const priority = w.priority[s('priority')] ?? s('priority');
  const type = w.type[s('type')] ?? s('type');
  const actor = s('actorName') || w.system;
  const due = s('dueAt') ? localTime(s('dueAt'), ctx.timeZone) : '';
  const zh = locale === 'zh-CN';
  let title: string;
  let body: string;
  switch (kind) {
    case 'clock.warning':
      title = zh ? `工单 ${number} 的“${clock}”时限即将到期` : `Request ${number}: the ${clock} time limit is almost up`;
      body = zh ? `工单 ${number}（${subject}）的“${clock}”时限将于 ${due} 到期，请尽快处理。` : `The ${clock} time limit of request ${number} (${subject}) runs out at ${due}. Please act on it soon.`;
      break;
    case 'clock.breached':
      title = zh ? `工单 ${number} 的“${clock}”已超时` : `Request ${number}: the ${clock} time limit was missed`;
      body = zh
        ? `工单 ${number}（${subject}，优先级：${priority}）的“${clock}”时限已于 ${due} 超时，请尽快处理并记录原因。`
        : `The ${clock} time limit of request ${number} (${subject}, priority: ${priority}) ran out at ${due}. Please act on it and record why.`;
      break;
    case 'escalated':
      title = zh ? `工单 ${number} 已升级至专项小组` : `Request ${number} was escalated to the special team`;
      body = zh
        ? `${actor}将工单 ${number}（${type}，优先级：${priority}）升级至专项小组：${subject}\n原因：${s('reason')}`
        : `${actor} escalated request ${number} (${type}, priority: ${priority}) to the special team: ${subject}\nReason: ${s('reason')}`;
      break;
    case 'assigned':
      if (params.transfer) {
        title = zh ? `工单 ${number} 已转派给您` : `Request ${number} was transferred to you`;
        body = zh
          ? `${actor}将工单 ${number}（${type}，优先级：${priority}）转派给您：${subject}`
          : `${actor} transferred request ${number} (${type}, priority: ${priority}) to you: ${subject}`;
      } else {
        title = zh ? `您有新分派的工单 ${number}` : `Request ${number} was assigned to you`;
        body = zh ? `${actor}将工单 ${number}（${type}，优先级：${priority}）分派给您：${subject}` : `${actor} assigned request ${number} (${type}, priority: ${priority}) to you: ${subject}`;
      }
      break;
    case 'corrective.raised':
      title = zh ? `您有新的整改任务 ${number}` : `Corrective action ${number} is yours`;
      body = zh ? `整改 ${number}：${subject}\n请于 ${due} 前完成整改并提交复核。` : `Corrective action ${number}: ${subject}\nRectify it and submit it for verification by ${due}.`;
      break;
    case 'corrective.warning':
      title = zh ? `整改 ${number} 即将到期` : `Corrective action ${number} is almost due`;
      body = zh ? `整改 ${number}（${subject}）将于 ${due} 到期，请尽快完成并提交复核。` : `Corrective action ${number} (${subject}) is due at ${due}. Please complete it and submit it for verification.`;
      break;
    case 'corrective.overdue':
      title = zh ? `整改 ${number} 已逾期` : `Corrective action ${number} is overdue`;
      body = zh ? `整改 ${number}（${subject}）已于 ${due} 逾期，请尽快处理。` : `Corrective action ${number} (${subject}) was due at ${due} and is overdue. Please act on it.`;
      break;
    case 'feedback.warning':
      title = zh ? `意见反馈 ${number} 即将到答复时限` : `Feedback ${number} is almost due for an answer`;
      body = zh ? `公众意见反馈 ${number}（${subject}）须于 ${due} 前答复，请尽快处理。` : `Public feedback ${number} (${subject}) must be answered by ${due}. Please answer it soon.`;
      break;
    case 'feedback.overdue':
      title = zh ? `意见反馈 ${number} 已超过答复时限` : `Feedback ${number} is overdue for an answer`;
      body = zh ? `公众意见反馈 ${number}（${subject}）的答复时限已于 ${due} 到期，请尽快答复。` : `The answer to public feedback ${number} (${subject}) was due at ${due}. Please answer it.`;
      break;
    case 'mention':
      title = zh ? `${actor}在工单 ${number} 中提到了您` : `${actor} mentioned you on request ${number}`;
      body = zh ? `${actor}在工单 ${number}（${subject}）的备注中提到了您：\n“${s('excerpt')}”` : `${actor} mentioned you in a note on request ${number} (${subject}):\n"${s('excerpt')}"`;
      break;
  }
  const mark = urgent ? (zh ? '[紧急] ' : '[Urgent] ') : '';
  const greeting = zh ? `${ctx.recipientName}，您好：` : `Hello ${ctx.recipientName},`;
  const what = kind.startsWith('corrective.') ? (zh ? '查看整改' : 'Open the corrective action') : kind.startsWith('feedback.') ? (zh ? '查看意见反馈' : 'Open the feedback') : zh ? '查看工单' : 'Open the request';
  const open = ctx.link ? `\n\n${what}${zh ? '：' : ': '}${ctx.link}` : '';
  const footer = zh
    ? `\n\n——\n这是 ${ctx.orgName} 服务台的自动通知；非紧急通知会在您的值班时间内送达。`
    : `\n\n--\nAn automatic notice from the ${ctx.orgName} service desk; notices that are not urgent arrive within your duty hours.`;
  const brand = zh ? `【${ctx.orgName}】` : `[${ctx.orgName}] `;
  return { subject: `${mark}${brand}${title}`, text: `${greeting}\n\n${body}${open}${footer}` };
}
