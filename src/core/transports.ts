/**
 * The ways messages leave the system. E-mail goes through SMTP (`SMTP_URL`); without SMTP each message is
 * written as an .eml file under `<data>/mail/` so a single-machine installation can still read what was
 * sent. Webhooks are POSTed as JSON with an HMAC-SHA256 signature header.
 */
import { createHmac } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from './config.js';
import type { EmailPayload, OutboxRow, Transport, WebhookPayload } from './outbox.js';

export function emailTransport(config: Config): Transport {
  const smtp = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
  const files = smtp ? null : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return async (row: OutboxRow) => {
    const p = row.payload as EmailPayload;
    const mail = {
      from: p.from ?? config.mailFrom, to: p.to, subject: p.subject, text: p.text, html: p.html, headers: p.headers,
      messageId: p.messageId, inReplyTo: p.inReplyTo, references: p.references,
    };
    if (smtp) {
      await smtp.sendMail(mail);
      return;
    }
    const info = (await files!.sendMail(mail)) as unknown as { message: Buffer };
    const dir = path.join(config.dataDir, 'mail');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${String(row.id).padStart(8, '0')}.eml`), info.message);
  };
}

export function webhookTransport(timeoutMs = 10_000): Transport {
  return async (row: OutboxRow) => {
    const p = row.payload as WebhookPayload;
    const body = p.bodyText ?? JSON.stringify(p.body);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-pledge-delivery': String(row.id) };
    if (p.signature) headers['x-pledge-signature'] = p.signature;
    else if (p.secret) headers['x-pledge-signature'] = `sha256=${createHmac('sha256', p.secret).update(body).digest('hex')}`;
    const response = await fetch(p.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${p.url}`);
  };
}

export function defaultTransports(config: Config): Record<string, Transport> {
  return { email: emailTransport(config), webhook: webhookTransport() };
}
