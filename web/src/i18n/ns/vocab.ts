/** The words of requests every page shows: types, priorities, states, channels, actions, clock kinds. */
import type { Shape } from './shape';

export const zh = {
  type: { consultation: '咨询', service_request: '求助/预约', complaint: '投诉', suggestion: '建议', urgent_fault: '紧急故障' },
  priority: { general: '一般', urgent: '紧急', major: '重大' },
  state: { registered: '登记', analysing: '分析', handling: '处理', waiting_customer: '等待客户', feedback: '反馈', archived: '归档', merged: '已合并' },
  action: { analyse: '分析', start_handling: '开始处理', wait_customer: '等待客户', customer_replied: '客户已回复', deliver_result: '反馈结果', archive: '归档', reopen: '重新打开', merge: '合并' },
  channel: { phone: '电话', email: '邮件', chat: '在线客服', web: '网页表单', app: 'App', social: '社交媒体', walk_in: '窗口来访' },
  flag: { elderly: '老年人', disabled: '残障人士', vip: 'VIP' },
  clockKind: {
    first_response: '首次响应', next_reply: '回复客户', initial_solution: '初步方案', emergency_response: '应急响应', 'complaint.registered': '投诉登记',
    resolved: '办结', 'result.delivered': '结果反馈', archived: '归档',
  },
  clockState: { running: '计时中', paused: '已暂停', met: '已达成', breached: '已超时', cancelled: '已取消', warning: '即将超时', none: '无时限' },
  /** Names the server's own workers write into records. */
  systemActor: { system: '系统', routing: '路由规则', email: '邮件接收', imap: '邮箱收取', notifications: '通知服务', clock_watcher: '时效监控' },
};

export const en: Shape<typeof zh> = {
  type: { consultation: 'Consultation', service_request: 'Service request / appointment', complaint: 'Complaint', suggestion: 'Suggestion', urgent_fault: 'Urgent fault' },
  priority: { general: 'General', urgent: 'Urgent', major: 'Major' },
  state: { registered: 'Registered', analysing: 'Analysing', handling: 'Handling', waiting_customer: 'Waiting on customer', feedback: 'Feedback', archived: 'Archived', merged: 'Merged' },
  action: { analyse: 'Analyse', start_handling: 'Start handling', wait_customer: 'Wait on customer', customer_replied: 'Customer replied', deliver_result: 'Deliver result', archive: 'Archive', reopen: 'Reopen', merge: 'Merge' },
  channel: { phone: 'Phone', email: 'Email', chat: 'Chat', web: 'Web form', app: 'App', social: 'Social media', walk_in: 'Walk-in' },
  flag: { elderly: 'Elderly', disabled: 'Disabled', vip: 'VIP' },
  clockKind: {
    first_response: 'First response', next_reply: 'Reply to customer', initial_solution: 'Initial solution', emergency_response: 'Emergency response', 'complaint.registered': 'Complaint registered',
    resolved: 'Resolution', 'result.delivered': 'Result delivered', archived: 'Archived',
  },
  clockState: { running: 'Running', paused: 'Paused', met: 'Met', breached: 'Breached', cancelled: 'Cancelled', warning: 'Due soon', none: 'No time limit' },
  systemActor: { system: 'System', routing: 'Routing rules', email: 'Inbound e-mail', imap: 'Mailbox polling', notifications: 'Notifications', clock_watcher: 'Clock watcher' },
};
