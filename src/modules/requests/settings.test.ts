/**
 * Request settings as the service-desk administration page reads and writes them: the built-in attachment list
 * comes with the view (so the page can show what "empty" means), a partial save keeps what it does not carry,
 * and the audit record holds the settings only.
 */
import { and, desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../core/db/schema.js';
import { buildServer } from '../../http/server.js';
import { buildDesk } from '../../test/desk.js';
import { createApiToken } from '../org/auth.js';
import { DEFAULT_TYPES } from './attachments.js';
import { getRequestSettings, updateRequestSettings } from './service.js';

describe('request settings view', () => {
  it('carries the built-in attachment types, in the service and over HTTP', async () => {
    const desk = await buildDesk();
    const view = await getRequestSettings(desk.agent1.ctx);
    expect(view.allowedAttachmentTypes).toEqual([]);
    expect(view.defaultAttachmentTypes).toContainEqual({ type: 'application/pdf', extensions: ['.pdf'] });
    expect(view.defaultAttachmentTypes).toContainEqual({ type: 'image/jpeg', extensions: ['.jpg', '.jpeg'] });
    expect(view.defaultAttachmentTypes).toHaveLength(Object.keys(DEFAULT_TYPES).length);

    const server = await buildServer(desk.org.app, { web: false });
    const { token } = await createApiToken(desk.admin.ctx, { name: '设置', scopes: ['request.read', 'request.configure'] });
    const headers = { authorization: `Bearer ${token}` };
    const got = await server.inject({ method: 'GET', url: '/api/v1/request-settings', headers });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ specialTeamId: desk.special.id, defaultAttachmentTypes: view.defaultAttachmentTypes });

    const put = await server.inject({ method: 'PUT', url: '/api/v1/request-settings', headers, payload: { maxAttachmentBytes: 2 * 1024 * 1024, allowedAttachmentTypes: ['image/', 'application/pdf'] } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ maxAttachmentBytes: 2 * 1024 * 1024, allowedAttachmentTypes: ['image/', 'application/pdf'], defaultAttachmentTypes: view.defaultAttachmentTypes });
    await server.close();
  });

  it('a save without inbound addresses keeps them, and the audit record holds no built-in list', async () => {
    const desk = await buildDesk();
    await updateRequestSettings(desk.admin.ctx, { inboundAddresses: ['Service@Example.cn'] });
    const saved = await updateRequestSettings(desk.admin.ctx, {
      autoEscalateTypes: ['urgent_fault', 'complaint'],
      notifyChain: { warning: ['assignee'], breach: ['assignee', 'team_lead'], escalation: ['supervisor', 'manager'] },
    });
    expect(saved.inboundAddresses).toEqual(['service@example.cn']);
    expect(saved.notifyChain.escalation).toEqual([{ role: 'supervisor', afterMinutes: 0 }, { role: 'manager', afterMinutes: 0 }]);

    const [entry] = await desk.org.app.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, desk.org.orgId), eq(auditLog.action, 'request_settings.update')))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(entry!.after).toMatchObject({ autoEscalateTypes: ['urgent_fault', 'complaint'] });
    expect(entry!.after).not.toHaveProperty('defaultAttachmentTypes');
    expect(entry!.before).not.toHaveProperty('defaultAttachmentTypes');
  });

  it('only request.configure may change them', async () => {
    const desk = await buildDesk();
    const refused = await updateRequestSettings(desk.agent1.ctx, { maxAttachmentBytes: 4096 }).then(() => null, (e: unknown) => e);
    expect(refused).toMatchObject({ code: 'forbidden' });
    expect((await getRequestSettings(desk.agent1.ctx)).maxAttachmentBytes).toBe(10 * 1024 * 1024);
  });
});
