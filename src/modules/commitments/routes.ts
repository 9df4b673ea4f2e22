/** HTTP routes of commitments, notices, templates and the public page. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { negotiateLocale, type Locale } from '../../core/i18n.js';
import { ctxOf, requestInfo } from '../../http/context.js';
import { Id } from '../shared/contracts.js';
import * as C from './contracts.js';
import { PublicPage, publicConfirm, publicPage, publicSubscribe, publicUnsubscribe, SubscribeBody } from './public.js';
import * as commitments from './service.js';
import { createFromTemplate, listTemplates } from './template-service.js';

const IdParams = z.strictObject({ id: Id });
const VersionParams = z.strictObject({ versionId: Id });

const Check = z.object({ dimension: z.string(), expected: z.array(z.string()), actual: z.array(z.string()), ok: z.boolean() });
const MatchResult = z.array(
  z.object({
    commitmentId: Id, number: z.string(), versionId: Id, version: z.number().int(), target: C.Target, applies: z.boolean(), checks: z.array(Check),
  }),
);

/** A person following an e-mail link gets a page; an API client gets JSON. */
function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

const LINK_PAGES = {
  confirmed: { 'zh-CN': ['订阅成功', '您已确认订阅服务公告，今后的公告将发送到您的邮箱。'], 'en-US': ['Subscribed', 'Your subscription is confirmed: future notices will reach your mailbox.'] },
  unsubscribed: { 'zh-CN': ['已退订', '您将不再收到服务公告邮件。'], 'en-US': ['Unsubscribed', 'You will no longer receive notice e-mails.'] },
} as const;

function linkPage(locale: Locale, kind: keyof typeof LINK_PAGES, org: string): string {
  const [title, text] = LINK_PAGES[kind][locale];
  const back = locale === 'zh-CN' ? '返回公示页' : 'Back to the public page';
  const href = `/public/${encodeURIComponent(org)}`;
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f1f1f}a{color:#1677ff}</style></head><body><h1>${title}</h1><p>${text}</p><p><a href="${href}">${back}</a></p></body></html>`;
}

export async function commitmentRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['commitments'];

  api.get('/commitments', { schema: { tags, summary: 'Commitments with their version in force and open draft', response: { 200: z.array(C.CommitmentSummary) } } }, async (request) =>
    commitments.listCommitments(ctxOf(app, request)),
  );
  api.post('/commitments', { schema: { tags, summary: 'Create a commitment; its first version is a draft', body: C.CommitmentCreate, response: { 201: C.Version } } }, async (request, reply) =>
    reply.status(201).send(await commitments.createCommitment(ctxOf(app, request), request.body)),
  );
  api.get('/commitments/templates', { schema: { tags, summary: 'Templates of the source documents, with their parameters', response: { 200: z.array(C.TemplateSummary) } } }, async (request) =>
    listTemplates(ctxOf(app, request)),
  );
  api.post('/commitments/templates/:key', { schema: { tags, summary: 'Create a commitment draft from a template', params: z.strictObject({ key: z.string().max(60) }), body: C.TemplateInstantiate, response: { 201: C.Version } } }, async (request, reply) =>
    reply.status(201).send(await createFromTemplate(ctxOf(app, request), request.params.key, request.body)),
  );
  api.post('/commitments/match', { schema: { tags, summary: 'Which targets apply to a request, and why (explainable matching)', body: z.strictObject({ facts: C.RequestFacts, localDate: z.iso.date(), pinnedVersionIds: z.array(Id).max(50).optional() }), response: { 200: MatchResult } } }, async (request) => {
    const matches = await commitments.matchRequest(ctxOf(app, request), request.body.facts, { localDate: request.body.localDate, pinnedVersionIds: request.body.pinnedVersionIds });
    return matches.map((m) => ({ commitmentId: m.version.commitmentId, number: m.version.number, versionId: m.version.id, version: m.version.version, target: m.target, applies: m.applies, checks: m.checks.map((c) => ({ ...c, expected: [...c.expected], actual: [...c.actual] })) }));
  });
  api.get('/commitments/:id/versions', { schema: { tags, summary: 'Every version of a commitment, newest first, with its approval record', params: IdParams, response: { 200: z.array(C.Version) } } }, async (request) =>
    commitments.listVersions(ctxOf(app, request), request.params.id),
  );
  api.post('/commitments/:id/versions', { schema: { tags, summary: 'Start a new version (a copy of the latest) and record why it changes', params: IdParams, body: C.NewVersion, response: { 201: C.Version } } }, async (request, reply) =>
    reply.status(201).send(await commitments.startNewVersion(ctxOf(app, request), request.params.id, request.body)),
  );
  api.get('/commitments/versions/:versionId', { schema: { tags, params: VersionParams, response: { 200: C.Version } } }, async (request) =>
    commitments.getVersion(ctxOf(app, request), request.params.versionId),
  );
  api.patch('/commitments/versions/:versionId', { schema: { tags, summary: 'Edit a draft (published versions are immutable)', params: VersionParams, body: C.VersionUpdate, response: { 200: C.Version } } }, async (request) =>
    commitments.updateDraft(ctxOf(app, request), request.params.versionId, request.body),
  );
  api.post('/commitments/versions/:versionId/submit', { schema: { tags, summary: 'Send a draft into approval (internal evaluation first)', params: VersionParams, response: { 200: C.Version } } }, async (request) =>
    commitments.submitForReview(ctxOf(app, request), request.params.versionId),
  );
  api.post('/commitments/versions/:versionId/steps/:step', { schema: { tags, summary: 'Decide an approval step: internal_evaluation → joint_meeting → decision_body', params: z.strictObject({ versionId: Id, step: C.ApprovalStep }), body: C.Decision, response: { 200: C.Version } } }, async (request) =>
    commitments.decideStep(ctxOf(app, request), request.params.versionId, request.params.step, request.body),
  );
  api.post('/commitments/versions/:versionId/withdraw', { schema: { tags, summary: 'Take a version out of review, back to draft', params: VersionParams, body: C.Withdraw, response: { 200: C.Version } } }, async (request) =>
    commitments.withdrawFromReview(ctxOf(app, request), request.params.versionId, request.body),
  );
  api.post('/commitments/versions/:versionId/publish', { schema: { tags, summary: 'Publish an approved version; the previous one is superseded and a notice goes out', params: VersionParams, body: C.Publish, response: { 200: C.Version } } }, async (request) =>
    commitments.publishVersion(ctxOf(app, request), request.params.versionId, request.body),
  );
  api.get('/notices', { schema: { tags: ['notices'], summary: 'User notices (公告), newest first', response: { 200: z.array(C.Notice) } } }, async (request) =>
    commitments.listNotices(ctxOf(app, request)),
  );

  // ---- public, no sign-in ----
  const publicTags = ['public'];
  const OrgParams = z.strictObject({ org: z.string().max(64) });
  api.get('/public/:org', { schema: { tags: publicTags, summary: 'The public page: commitments in force, complaint channels, notices', params: OrgParams, querystring: z.strictObject({ lang: z.enum(['zh-CN', 'en-US']).optional() }), response: { 200: PublicPage }, security: [] } }, async (request, reply) => {
    reply.header('cache-control', 'public, max-age=60');
    return publicPage(app, request.params.org, request.query.lang ?? negotiateLocale(request.headers['accept-language']));
  });
  api.post('/public/:org/subscriptions', { schema: { tags: publicTags, summary: 'Receive notices by e-mail', params: OrgParams, body: SubscribeBody, security: [] } }, async (request, reply) => {
    const info = requestInfo(request);
    return reply.status(201).send(await publicSubscribe(app, request.params.org, request.body, info.locale, info.ip, info.requestId));
  });
  api.get('/public/:org/confirm', { schema: { tags: publicTags, summary: 'Confirm a notice subscription (the link in the confirmation e-mail)', params: OrgParams, querystring: z.strictObject({ id: Id, token: z.string().max(64) }), security: [] } }, async (request, reply) => {
    const info = requestInfo(request);
    const result = await publicConfirm(app, request.params.org, request.query.id, request.query.token, info.locale, info.ip, info.requestId);
    return wantsHtml(request) ? reply.type('text/html; charset=utf-8').send(linkPage(info.locale, 'confirmed', request.params.org)) : result;
  });
  api.get('/public/:org/unsubscribe', { schema: { tags: publicTags, summary: 'Stop notice e-mails (the link in each e-mail)', params: OrgParams, querystring: z.strictObject({ id: Id, token: z.string().max(64) }), security: [] } }, async (request, reply) => {
    const info = requestInfo(request);
    const result = await publicUnsubscribe(app, request.params.org, request.query.id, request.query.token, info.locale, info.ip, info.requestId);
    return wantsHtml(request) ? reply.type('text/html; charset=utf-8').send(linkPage(info.locale, 'unsubscribed', request.params.org)) : result;
  });
}
