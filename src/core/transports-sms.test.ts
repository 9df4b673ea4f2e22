import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listOutbox } from '../modules/admin/service.js';
import { buildOrg, buildStaff } from '../test/harness.js';
import { transact } from './context.js';
import { enqueueSms, type OutboxRow } from './outbox.js';
import { smsTransport } from './transports.js';

const row = (id: number, payload: unknown) => ({ id, payload }) as unknown as OutboxRow;

describe('sms transport', () => {
  it('without a gateway writes each message under <data>/sms/', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pledge-sms-'));
    await smsTransport({ dataDir })(row(42, { to: '13800138000', text: '请评价：https://x/s/abc' }));
    expect(await readFile(path.join(dataDir, 'sms', '00000042.txt'), 'utf8')).toBe('To: 13800138000\n\n请评价：https://x/s/abc\n');
    await expect(smsTransport({ dataDir })(row(43, { to: '', text: 'x' }))).rejects.toThrow('needs');
  });

  it('with a gateway POSTs {id, to, text} with the bearer token; a non-2xx answer fails (retried)', async () => {
    const got: { body: string; auth: string | undefined }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push({ body, auth: req.headers.authorization });
        res.statusCode = body.includes('fail') ? 503 : 200;
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
      const send = smsTransport({ dataDir: '/nonexistent', smsGatewayUrl: url, smsGatewayToken: 'tok' });
      await send(row(7, { to: '13800138000', text: 'hello' }));
      expect(JSON.parse(got[0]!.body)).toEqual({ id: '7', to: '13800138000', text: 'hello' });
      expect(got[0]!.auth).toBe('Bearer tok');
      await expect(send(row(8, { to: '13800138000', text: 'fail' }))).rejects.toThrow('HTTP 503');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('sms in the outbox', () => {
  it('enqueueSms queues a message of kind sms; the outbox page lists it with the number masked and filters by kind', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    await transact(org.system, (t) => enqueueSms(t, { to: '13800138000', text: '请评价' }));
    const page = await listOutbox(admin.ctx, { kind: 'sms' });
    expect(page.items).toMatchObject([{ kind: 'sms', recipient: '138****8000', status: 'pending' }]);
    expect((await listOutbox(admin.ctx, { kind: 'email' })).items).toHaveLength(0);
  });
});
