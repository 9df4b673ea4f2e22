/** The e-mail transport with attachments (the monthly report), read back from the written message with mailparser. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../test/harness.js';
import type { EmailPayload, OutboxRow } from './outbox.js';
import { emailTransport } from './transports.js';

const row = (id: number, payload: EmailPayload) => ({ id, payload }) as unknown as OutboxRow;

describe('email transport', () => {
  it('sends base64 attachments as files of the message; a message without attachments has none', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pledge-mail-'));
    const send = emailTransport(testConfig({ dataDir, smtpUrl: undefined }));
    const bytes = randomBytes(50_000);
    await send(row(1, {
      to: ['a@example.cn', 'b@example.cn'], subject: '月度报告', text: '附件为报告。',
      attachments: [{ filename: '月度报告-2026-11.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: bytes.toString('base64') }],
    }));
    await send(row(2, { to: 'c@example.cn', subject: 'plain', text: 'no file' }));

    const withFile = await simpleParser(await readFile(path.join(dataDir, 'mail', '00000001.eml')));
    expect(withFile.subject).toBe('月度报告');
    expect(withFile.text?.trim()).toBe('附件为报告。');
    expect(withFile.attachments).toHaveLength(1);
    expect(withFile.attachments[0]).toMatchObject({ filename: '月度报告-2026-11.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(Buffer.compare(withFile.attachments[0]!.content, bytes)).toBe(0);

    const plain = await simpleParser(await readFile(path.join(dataDir, 'mail', '00000002.eml')));
    expect(plain.attachments).toHaveLength(0);
    expect(plain.text?.trim()).toBe('no file');
  });
});
