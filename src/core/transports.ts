/**
 * The ways messages leave the system. E-mail goes through SMTP (`SMTP_URL`); without SMTP each message is
 * written as an .eml file under `<data>/mail/` so a single-machine installation can still read what was
 * sent. Webhooks are POSTed as JSON with an HMAC-SHA256 signature header.
 */
import { createHmac } from 'node:crypto';
import type { lookup as dnsLookup } from 'node:dns';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from './config.js';
import { guardedLookup, isPrivateAddress, PrivateAddressError } from './net-guard.js';
import type { EmailPayload, OutboxRow, SmsPayload, Transport, WebhookPayload } from './outbox.js';

export function emailTransport(config: Config): Transport {
  const smtp = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
  const files = smtp ? null : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return async (row: OutboxRow) => {
    const p = row.payload as EmailPayload;
    const mail = {
      from: p.from ?? config.mailFrom, to: p.to, subject: p.subject, text: p.text, html: p.html, headers: p.headers,
      messageId: p.messageId, inReplyTo: p.inReplyTo, references: p.references,
      attachments: p.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, encoding: 'base64' })),
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

export interface WebhookTransportOptions {
  timeoutMs?: number;
  /** Deliver to loopback and private addresses too (PLEDGE_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate?: boolean;
  /** The DNS lookup to check and connect with (tests give their own). */
  resolve?: typeof dnsLookup;
}

/** POSTs one request; resolves with the status code. Connects only to an address the guard accepted. */
function post(url: URL, headers: Record<string, string>, body: string, o: Required<Pick<WebhookTransportOptions, 'timeoutMs' | 'allowPrivate'>> & WebhookTransportOptions): Promise<number> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!o.allowPrivate && isPrivateAddress(host)) return Promise.reject(new PrivateAddressError(`${host} is a private address`));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: guardedLookup(o.allowPrivate, o.resolve),
      timeout: o.timeoutMs,
    }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url.origin} within ${o.timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

export function webhookTransport(options: WebhookTransportOptions = {}): Transport {
  const o = { ...options, timeoutMs: options.timeoutMs ?? 10_000, allowPrivate: options.allowPrivate ?? false };
  return async (row: OutboxRow) => {
    const p = row.payload as WebhookPayload;
    const body = p.bodyText ?? JSON.stringify(p.body);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-pledge-delivery': String(row.id) };
    if (p.signature) headers['x-pledge-signature'] = p.signature;
    else if (p.secret) headers['x-pledge-signature'] = `sha256=${createHmac('sha256', p.secret).update(body).digest('hex')}`;
    const status = await post(new URL(p.url), headers, body, o);
    if (status < 200 || status >= 300) throw new Error(`HTTP ${status} from ${p.url}`);
  };
}

/**
 * Text messages. With `SMS_GATEWAY_URL` each message is POSTed as JSON `{"id": "<outbox id>", "to": "<phone>",
 * "text": "<message>"}` (header `authorization: Bearer <SMS_GATEWAY_TOKEN>` when set; the id lets the gateway
 * drop a retried duplicate); any 2xx answer means accepted, anything else is retried like a webhook. The
 * gateway is the operator's, so private addresses are allowed. Without a gateway each message is written as
 * a text file under `<data>/sms/`, like e-mails without SMTP.
 */
export function smsTransport(config: Pick<Config, 'dataDir' | 'smsGatewayUrl' | 'smsGatewayToken'>, options: { timeoutMs?: number } = {}): Transport {
  return async (row: OutboxRow) => {
    const p = row.payload as SmsPayload;
    if (!p.to || !p.text) throw new Error('an SMS needs "to" and "text"');
    if (config.smsGatewayUrl) {
      const body = JSON.stringify({ id: String(row.id), to: p.to, text: p.text });
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-pledge-delivery': String(row.id) };
      if (config.smsGatewayToken) headers.authorization = `Bearer ${config.smsGatewayToken}`;
      const status = await post(new URL(config.smsGatewayUrl), headers, body, { timeoutMs: options.timeoutMs ?? 10_000, allowPrivate: true });
      if (status < 200 || status >= 300) throw new Error(`HTTP ${status} from the SMS gateway`);
      return;
    }
    const dir = path.join(config.dataDir, 'sms');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${String(row.id).padStart(8, '0')}.txt`), `To: ${p.to}\n\n${p.text}\n`);
  };
}

export function defaultTransports(config: Config): Record<string, Transport> {
  return { email: emailTransport(config), webhook: webhookTransport({ allowPrivate: config.webhookAllowPrivate }), sms: smsTransport(config) };
}
