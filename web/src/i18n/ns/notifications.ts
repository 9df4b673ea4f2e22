/** Strings of the notification bell, the urgent toasts, and the duty calendar of a person. */
import type { Shape } from './shape';

export const zh = {
  title: '通知',
  button: '通知',
  markAllRead: '全部标为已读',
  empty: '暂无通知',
  more: '仅显示最近 20 条',
  urgent: '紧急',
  unread: '未读',
  system: '系统',
  /** One line per kind; the request's subject is shown beneath. */
  text: {
    clockWarning: '工单 {{number}} 的“{{clock}}”时限将于 {{due}} 到期',
    clockBreached: '工单 {{number}} 的“{{clock}}”已于 {{due}} 超时',
    escalated: '{{actor}}将工单 {{number}} 升级至专项小组：{{reason}}',
    assigned: '{{actor}}将工单 {{number}} 分派给您',
    transferred: '{{actor}}将工单 {{number}} 转派给您',
    mention: '{{actor}}在工单 {{number}} 中提到了您：“{{excerpt}}”',
    correctiveRaised: '您有新的整改任务 {{number}}，请于 {{due}} 前完成',
    correctiveWarning: '整改 {{number}} 将于 {{due}} 到期',
    correctiveOverdue: '整改 {{number}} 已于 {{due}} 逾期',
    feedbackWarning: '意见反馈 {{number}} 须于 {{due}} 前答复',
    feedbackOverdue: '意见反馈 {{number}} 已于 {{due}} 超过答复时限',
  },
  toastTitle: '紧急通知',
  dutyCalendar: '值班时间',
  dutyCalendarDefault: '跟随组织默认日历',
  dutyCalendarHint: '非紧急通知只在值班时间内送达；紧急故障和紧急、重大工单的升级，以及紧急、重大工单的超时随时通知',
};

export const en: Shape<typeof zh> = {
  title: 'Notifications',
  button: 'Notifications',
  markAllRead: 'Mark all read',
  empty: 'No notifications',
  more: 'Showing the latest 20',
  urgent: 'Urgent',
  unread: 'Unread',
  system: 'The system',
  text: {
    clockWarning: 'Request {{number}}: the {{clock}} time limit runs out at {{due}}',
    clockBreached: 'Request {{number}}: the {{clock}} time limit ran out at {{due}}',
    escalated: '{{actor}} escalated request {{number}} to the special team: {{reason}}',
    assigned: '{{actor}} assigned request {{number}} to you',
    transferred: '{{actor}} transferred request {{number}} to you',
    mention: '{{actor}} mentioned you on request {{number}}: “{{excerpt}}”',
    correctiveRaised: 'Corrective action {{number}} is yours: due {{due}}',
    correctiveWarning: 'Corrective action {{number}} is due at {{due}}',
    correctiveOverdue: 'Corrective action {{number}} was due at {{due}} and is overdue',
    feedbackWarning: 'Feedback {{number}} must be answered by {{due}}',
    feedbackOverdue: 'Feedback {{number}} was due for an answer at {{due}}',
  },
  toastTitle: 'Urgent notification',
  dutyCalendar: 'Duty hours',
  dutyCalendarDefault: "The organization's default calendar",
  dutyCalendarHint: 'Notifications that are not urgent arrive within duty hours; escalations of urgent faults and of urgent or major requests, and breaches of urgent or major requests, arrive at any time',
};
