/**
 * The e-mail channel end to end over real SMTP: mail is sent with nodemailer into the inbound endpoint
 * (smtp-server, started here), and replies leave through the outbox worker to a second real SMTP server
 * started here, whose received message is parsed and sent back in.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../core/context.js';
import { attachments, auditLog, outbox, requestMessages, requests } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import { OutboxWorker } from '../../core/outbox.js';
import { emailTransport } from '../../core/transports.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { ctxAs, testApp, testConfig } from '../../test/harness.js';
import { createCustomer } from '../org/customers.js';
import * as R from '../requests/service.js';
import { receiveEmail } from './email.js';
import { startInboundSmtp, type InboundSmtp } from './email-smtp.js';

let inbound: InboundSmtp;

beforeAll(async () => {
  inbound = await startInboundSmtp(await testApp(), { port: 0, host: '127.0.0.1', maxBytes: 512 * 1024 });
});
afterAll(async () => {
  await inbound.close();
});

async function send(port: number, mail: SendMailOptions) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}

/** A desk whose organization receives mail at its own support address. */
async function emailDesk() {
  const desk = await buildDesk();
  const address = `support-${desk.org.code}@hx-test.cn`;
  await R.updateRequestSettings(desk.admin.ctx, { inboundAddresses: [address.toUpperCase()] });
  return { desk, address };
}

async function requestsOf(desk: Desk) {
  return desk.org.app.database.db.select().from(requests).where(eq(requests.orgId, desk.org.orgId)).orderBy(asc(requests.createdAt));
}

async function messagesOf(desk: Desk, requestId: string) {
  return desk.org.app.database.db.select().from(requestMessages).where(eq(requestMessages.requestId, requestId)).orderBy(asc(requestMessages.createdAt), asc(requestMessages.id));
}

const mid = () => `<${randomUUID()}@customer.example.cn>`;

describe('inbound e-mail over SMTP', () => {
  it('turns a new mail into a consultation with the sender as contact, linked to the customer with that address, quotes stripped', async () => {
    const { desk, address } = await emailDesk();
    const customer = await createCustomer(desk.admin.ctx, { name: '王芳', email: 'Wang.Fang@customer.example.cn' });
    const messageId = mid();
    const info = await send(inbound.port, {
      from: '王芳 <wang.fang@customer.example.cn>', to: address, subject: '回复：宽带报修', messageId,
      text: '家里宽带从昨晚开始断线，光猫 LOS 灯闪红。\n\n在 2026年11月20日 周五 10:00，客服 <s@hx-test.cn> 写道：\n> 您好，请问还有什么问题？\n> 谢谢',
    });
    expect(info.accepted).toEqual([address]);

    const [request] = await requestsOf(desk);
    expect(request).toMatchObject({
      type: 'consultation', channel: 'email', state: 'registered', subject: '宽带报修', contactName: '王芳', contactEmail: 'wang.fang@customer.example.cn',
      customerId: customer.id, description: '家里宽带从昨晚开始断线，光猫 LOS 灯闪红。',
    });
    const messages = await messagesOf(desk, request!.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ kind: 'customer', channel: 'email', emailMessageId: messageId, authorName: '王芳', body: '家里宽带从昨晚开始断线，光猫 LOS 灯闪红。' });
  });

  it('threads a reply by In-Reply-To into the same request and resumes it when it waits on the customer', async () => {
    const { desk, address } = await emailDesk();
    const first = mid();
    await send(inbound.port, { from: 'Li Lei <lilei@customer.example.cn>', to: address, subject: 'Invoice request', text: 'Please send the invoice for October.', messageId: first });
    const [request] = await requestsOf(desk);
    await R.transitionRequest(desk.agent1.ctx, request!.id, { action: 'analyse' });
    await R.assignRequest(desk.lead.ctx, request!.id, { teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    await R.transitionRequest(desk.agent1.ctx, request!.id, { action: 'start_handling' });
    const waiting = await R.transitionRequest(desk.agent1.ctx, request!.id, { action: 'wait_customer', reason: '请提供税号' });
    expect(waiting.state).toBe('waiting_customer');

    const second = mid();
    await send(inbound.port, {
      from: 'Li Lei <lilei@customer.example.cn>', to: address, subject: 'Re: Invoice request', inReplyTo: first, references: [first], messageId: second,
      text: 'Our tax number is 91310000MA1K000000.\n\nOn Mon, 23 Nov 2026 at 10:00, Support <s@hx-test.cn> wrote:\n> Which tax number?',
    });
    const all = await requestsOf(desk);
    expect(all).toHaveLength(1);
    expect(all[0]!.state).toBe('handling');
    const messages = await messagesOf(desk, request!.id);
    expect(messages.map((m) => [m.kind, m.emailMessageId, m.emailInReplyTo])).toEqual([
      ['customer', first, null],
      ['customer', second, first],
    ]);
    expect(messages[1]!.body).toBe('Our tax number is 91310000MA1K000000.');
  });

  it('threads by the subject tag when the sender is the request contact, and not for anybody else', async () => {
    const { desk, address } = await emailDesk();
    await send(inbound.port, { from: 'zhao@customer.example.cn', to: address, subject: '停车卡续费', text: '想续费停车卡', messageId: mid() });
    const [request] = await requestsOf(desk);
    await send(inbound.port, { from: 'zhao@customer.example.cn', to: address, subject: `Re: [#${request!.number}] 停车卡续费`, text: '车牌号 沪A12345', messageId: mid() });
    expect(await requestsOf(desk)).toHaveLength(1);
    expect((await messagesOf(desk, request!.id)).map((m) => m.body)).toEqual(['想续费停车卡', '车牌号 沪A12345']);

    // A stranger quoting the number gets a request of their own.
    await send(inbound.port, { from: 'stranger@elsewhere.example.cn', to: address, subject: `Re: [#${request!.number}] 停车卡续费`, text: '我也要续费', messageId: mid() });
    const all = await requestsOf(desk);
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ subject: '停车卡续费', contactEmail: 'stranger@elsewhere.example.cn' });
  });

  it('refuses recipients that are no organization\'s inbound address with 550 at RCPT', async () => {
    await emailDesk();
    const error = await send(inbound.port, { from: 'a@customer.example.cn', to: 'nobody@unknown.example.cn', subject: 'x', text: 'x' }).then(
      () => null,
      (e: unknown) => e as { responseCode?: number; rejected?: string[] },
    );
    expect(error?.responseCode).toBe(550);
    const app = await testApp();
    const direct = await receiveEmail(app, Buffer.from('From: a@b.example.cn\r\nTo: nobody@unknown.example.cn\r\nSubject: x\r\n\r\nx'), { to: ['nobody@unknown.example.cn'] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(direct).toBeInstanceOf(AppError);
    expect((direct as AppError).code).toBe('mail.unknown_recipient');
  });

  it('stores a message delivered twice (same Message-ID) once', async () => {
    const { desk, address } = await emailDesk();
    const messageId = mid();
    const mail = { from: 'sun@customer.example.cn', to: address, subject: '水费账单', text: '账单金额不对', messageId };
    await send(inbound.port, mail);
    await send(inbound.port, { ...mail, subject: 'Re: 水费账单' });
    const all = await requestsOf(desk);
    expect(all).toHaveLength(1);
    expect(await messagesOf(desk, all[0]!.id)).toHaveLength(1);

    // Two deliveries of one new message at the same moment (an SMTP retry racing an IMAP poll) wait for each other.
    const raw = Buffer.from(`From: sun@customer.example.cn\r\nTo: ${address}\r\nSubject: 燃气费\r\nMessage-ID: ${mid()}\r\n\r\n燃气费扣了两次`);
    const outcomes = await Promise.all([1, 2].map(() => receiveEmail(desk.org.app, raw, { to: [address] })));
    expect(outcomes.map((o) => o[0]!.outcome).sort()).toEqual(['created', 'duplicate']);
    expect(await requestsOf(desk)).toHaveLength(2);
  });

  it('does not turn auto-replies and bounces into requests, and records them in the audit log', async () => {
    const { desk, address } = await emailDesk();
    await send(inbound.port, { from: 'zhou@customer.example.cn', to: address, subject: '自动回复：宽带报修', text: '我正在休假，11月30日回来。', headers: { 'Auto-Submitted': 'auto-replied' }, messageId: mid() });
    await send(inbound.port, { from: 'zhou@customer.example.cn', to: address, subject: 'Out of office', text: 'I am away.', headers: { 'X-Autoreply': 'yes' }, messageId: mid() });
    await send(inbound.port, { from: 'MAILER-DAEMON@mx.customer.example.cn', to: address, subject: 'Undelivered Mail Returned to Sender', text: 'failed', messageId: mid() });
    await send(inbound.port, { from: 'news@shop.example.cn', to: address, subject: '双十一大促', text: '全场五折', headers: { Precedence: 'bulk' }, messageId: mid() });
    // Our own address as sender (a loop) is dropped too.
    await send(inbound.port, { from: address, to: address, subject: 'loop', text: 'loop', messageId: mid() });
    expect(await requestsOf(desk)).toHaveLength(0);
    const entries = await desk.org.app.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), eq(auditLog.action, 'email.ignored')));
    expect(entries.map((e) => (e.after as { reason: string }).reason).sort()).toEqual(['auto_submitted', 'autoreply', 'bounce', 'own_address', 'precedence']);
  });

  it('stores attachments within the limits on the message and names the refused ones in it', async () => {
    const { desk, address } = await emailDesk();
    await R.updateRequestSettings(desk.admin.ctx, { maxAttachmentBytes: 4096 });
    await send(inbound.port, {
      from: '钱先生 <qian@customer.example.cn>', to: address, subject: '发票有误', text: '发票抬头写错了，见附件。', messageId: mid(),
      attachments: [
        { filename: '发票.pdf', content: Buffer.from('%PDF-1.4\n% a small invoice\n'), contentType: 'application/pdf' },
        { filename: 'tool.exe', content: Buffer.from('MZ\x90\x00'), contentType: 'application/x-msdownload' },
        { filename: '扫描件.png', content: Buffer.alloc(8192, 1), contentType: 'image/png' },
      ],
    });
    const [request] = await requestsOf(desk);
    const [message] = await messagesOf(desk, request!.id);
    const files = await desk.org.app.database.db.select().from(attachments).where(eq(attachments.requestId, request!.id));
    expect(files.map((f) => [f.filename, f.contentType, f.messageId])).toEqual([['发票.pdf', 'application/pdf', message!.id]]);
    expect(message!.body).toContain('发票抬头写错了，见附件。');
    expect(message!.body).toContain('以下附件未保存');
    expect(message!.body).toContain('tool.exe');
    expect(message!.body).toContain('扫描件.png');
    expect(request!.description).toBe('发票抬头写错了，见附件。');
  });

  it('refuses a message over the endpoint size limit with 552', async () => {
    const { desk, address } = await emailDesk();
    const error = await send(inbound.port, { from: 'big@customer.example.cn', to: address, subject: 'big', text: 'x'.repeat(600 * 1024) }).then(
      () => null,
      (e: unknown) => e as { responseCode?: number },
    );
    expect(error?.responseCode).toBe(552);
    expect(await requestsOf(desk)).toHaveLength(0);
  });

  it('refuses clients outside the allowlist', async () => {
    const app = await testApp();
    const closed = await startInboundSmtp(app, { port: 0, host: '127.0.0.1', allow: ['10.0.0.0/8'] });
    try {
      const error = await send(closed.port, { from: 'a@customer.example.cn', to: 'x@hx-test.cn', subject: 'x', text: 'x' }).then(
        () => null,
        (e: unknown) => e as { responseCode?: number },
      );
      expect(error?.responseCode).toBe(554);
    } finally {
      await closed.close();
    }
  });
});

describe('outbound e-mail', () => {
  it('sends an agent reply through the outbox worker, threaded, and takes the customer answer back into the request', async () => {
    const { desk, address } = await emailDesk();
    // On a shared PostgreSQL test database other files' outbox rows are due too: this conversation runs at
    // an instant long past, so the worker below (claiming what is due at that instant) takes only its own.
    let now = new Date('2001-02-03T02:00:00Z');
    const clock = () => now;
    const agent: Ctx = ctxAs(desk.org.app, desk.agent1.actor, { now: clock });
    const received: { to: string[]; raw: Buffer }[] = [];
    const capture = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    const capturePort = (capture.server.address() as { port: number }).port;
    const timed = await startInboundSmtp(desk.org.app, { port: 0, host: '127.0.0.1', now: clock });
    try {
      const first = mid();
      await send(timed.port, { from: '王女士 <wang@customer.example.cn>', to: address, subject: '宽带报修', text: '宽带又断了，麻烦尽快处理。', messageId: first });
      const [request] = await requestsOf(desk);
      expect(request!.number.startsWith('20010203')).toBe(true);

      now = new Date('2001-02-03T02:10:00Z');
      await R.addMessage(agent, request!.id, { kind: 'reply', body: '您好，请先重启光猫，若仍不能上网请回复本邮件。' });
      const [row] = await desk.org.app.database.db.select().from(outbox).where(eq(outbox.orgId, desk.org.orgId));
      const reply = (await messagesOf(desk, request!.id)).find((m) => m.kind === 'reply')!;
      expect(reply.emailMessageId).toMatch(/^<[0-9a-f-]{36}@hx-test\.cn>$/);
      expect(row!.payload).toMatchObject({
        to: 'wang@customer.example.cn', subject: `Re: [#${request!.number}] 宽带报修`, messageId: reply.emailMessageId, inReplyTo: first, references: [first],
      });
      expect((row!.payload as { from: string }).from).toContain(`<${address}>`);

      const worker = new OutboxWorker(desk.org.app, { email: emailTransport(testConfig({ smtpUrl: `smtp://127.0.0.1:${capturePort}` })) }, { now: () => new Date('2001-02-03T02:10:01Z') });
      expect(await worker.runOnce()).toBe(1);
      expect(received).toHaveLength(1);
      expect(received[0]!.to).toEqual(['wang@customer.example.cn']);
      const sent = await simpleParser(received[0]!.raw);
      expect(sent.messageId).toBe(reply.emailMessageId);
      expect(sent.inReplyTo).toBe(first);
      expect(sent.references).toBe(first);
      expect(sent.subject).toBe(`Re: [#${request!.number}] 宽带报修`);
      expect(sent.from?.value[0]?.address).toBe(address);
      expect(sent.text).toContain('请先重启光猫');
      expect(sent.text).toContain(`受理编号：${request!.number}`);

      // The customer answers that mail from their client: In-Reply-To our Message-ID, the quote below.
      now = new Date('2001-02-03T03:00:00Z');
      const answer = mid();
      await send(timed.port, {
        from: '王女士 <wang@customer.example.cn>', to: address, subject: `回复：${sent.subject}`, messageId: answer, inReplyTo: sent.messageId, references: [first, sent.messageId!],
        text: `重启过了，还是不行。\n\n------------------ 原始邮件 ------------------\n发件人: ${address}\n发送时间: 2001年2月3日 10:10\n\n${sent.text}`,
      });
      expect(await requestsOf(desk)).toHaveLength(1);
      const messages = await messagesOf(desk, request!.id);
      expect(messages.map((m) => [m.kind, m.body])).toEqual([
        ['customer', '宽带又断了，麻烦尽快处理。'],
        ['reply', '您好，请先重启光猫，若仍不能上网请回复本邮件。'],
        ['customer', '重启过了，还是不行。'],
      ]);
      expect(messages[2]!.emailInReplyTo).toBe(reply.emailMessageId);

      // The next reply refers to the whole chain, newest last.
      now = new Date('2001-02-03T03:05:00Z');
      await R.addMessage(agent, request!.id, { kind: 'reply', body: '已安排师傅今天下午上门。' });
      const rows = await desk.org.app.database.db.select().from(outbox).where(eq(outbox.orgId, desk.org.orgId)).orderBy(asc(outbox.id));
      expect(rows[1]!.payload).toMatchObject({ inReplyTo: answer, references: [first, reply.emailMessageId, answer] });
    } finally {
      await timed.close();
      await new Promise<void>((resolve) => capture.close(() => resolve()));
    }
  });

  it('sends nothing for replies on requests that are no e-mail conversation, and writes English footers to English writers', async () => {
    const { desk, address } = await emailDesk();
    const web = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: '网站咨询', contactEmail: 'web@customer.example.cn' });
    await R.addMessage(desk.agent1.ctx, web.id, { kind: 'reply', body: '已回复' });
    await R.addMessage(desk.agent1.ctx, web.id, { kind: 'note', body: '内部备注' });
    expect(await desk.org.app.database.db.select().from(outbox).where(eq(outbox.orgId, desk.org.orgId))).toHaveLength(0);

    await send(inbound.port, { from: 'Tom <tom@customer.example.cn>', to: address, subject: 'Water bill', text: 'My water bill for October looks too high.', messageId: mid() });
    const request = (await requestsOf(desk)).find((r) => r.channel === 'email')!;
    await R.addMessage(desk.agent1.ctx, request.id, { kind: 'note', body: 'check the meter' });
    await R.addMessage(desk.agent1.ctx, request.id, { kind: 'reply', body: 'We are checking the meter reading.' });
    const rows = await desk.org.app.database.db.select().from(outbox).where(eq(outbox.orgId, desk.org.orgId));
    expect(rows).toHaveLength(1);
    expect((rows[0]!.payload as { text: string }).text).toContain(`Tracking number: ${request.number}`);
  });
});
