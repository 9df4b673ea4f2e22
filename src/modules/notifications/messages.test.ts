import { describe, expect, it } from 'vitest';
import { localTime, notificationEmail } from './messages.js';

const ctx = { orgName: '华信公共服务有限公司', recipientName: '张伟', timeZone: 'Asia/Shanghai', link: 'https://desk.example.cn/requests/1' };
const base = { number: '20260113000001', subject: '宽带报修', type: 'service_request', priority: 'general', actorName: '陈志强' };

describe('notification e-mails', () => {
  it('says 分派 for an assignment and 转派 for a transfer, in both languages', () => {
    const assigned = notificationEmail('zh-CN', 'assigned', { ...base, transfer: 0 }, false, ctx);
    expect(assigned.subject).toBe('【华信公共服务有限公司】您有新分派的工单 20260113000001');
    expect(assigned.text).toContain('陈志强将工单 20260113000001（求助/预约，优先级：一般）分派给您：宽带报修');
    const transferred = notificationEmail('zh-CN', 'assigned', { ...base, transfer: 1 }, false, ctx);
    expect(transferred.subject).toBe('【华信公共服务有限公司】工单 20260113000001 已转派给您');
    expect(transferred.text).toContain('转派给您');
    expect(transferred.text).not.toContain('分派给您');
    expect(notificationEmail('en-US', 'assigned', { ...base, transfer: 1 }, false, ctx).subject).toBe('[华信公共服务有限公司] Request 20260113000001 was transferred to you');
  });

  it('marks urgent notices, greets the recipient and links the request', () => {
    const mail = notificationEmail('zh-CN', 'clock.breached', { ...base, priority: 'major', clockKind: 'resolution', dueAt: '2026-01-13T14:00:00.000Z' }, true, ctx);
    expect(mail.subject.startsWith('[紧急] 【华信公共服务有限公司】')).toBe(true);
    expect(mail.text.startsWith('张伟，您好：')).toBe(true);
    expect(mail.text).toContain('2026-01-13 22:00');
    expect(mail.text).toContain('查看工单：https://desk.example.cn/requests/1');
  });

  it('writes instants in the organization’s zone', () => {
    expect(localTime('2026-01-13T16:30:00.000Z', 'Asia/Shanghai')).toBe('2026-01-14 00:30');
    expect(localTime('not a date', 'Asia/Shanghai')).toBe('not a date');
  });
});
