/** HTTP routes of satisfaction campaigns under /api/v1/campaigns. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { Id } from '../shared/contracts.js';
import * as C from './campaign-contracts.js';
import * as campaigns from './campaigns.js';

const IdParams = z.strictObject({ id: Id });

export async function campaignRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['campaigns'];

  api.get('/campaigns', { schema: { tags, summary: 'Satisfaction campaigns, newest first', response: { 200: C.CampaignList } } }, async (request) => campaigns.listCampaigns(ctxOf(app, request)));
  api.post('/campaigns', { schema: { tags, summary: 'Create a draft campaign (period, sample rules, channels; the seed is fixed now)', body: C.CampaignCreate, response: { 201: C.CampaignDetail } } }, async (request, reply) =>
    reply.status(201).send(await campaigns.createCampaign(ctxOf(app, request), request.body)),
  );
  api.post('/campaigns/preview', { schema: { tags, summary: 'The sample these rules would draw (nothing is written); the same seed gives the same sample', body: C.CampaignPreviewInput, response: { 200: C.CampaignPreview } } }, async (request) =>
    campaigns.previewCampaign(ctxOf(app, request), request.body),
  );
  api.get('/campaigns/:id', { schema: { tags, summary: 'A campaign with its response tracking (invited, delivered, answered, response rate, satisfaction)', params: IdParams, response: { 200: C.CampaignDetail } } }, async (request) =>
    campaigns.getCampaign(ctxOf(app, request), request.params.id),
  );
  api.get('/campaigns/:id/sample', { schema: { tags, summary: 'The sample of a saved campaign, as it would be sent now', params: IdParams, response: { 200: C.CampaignPreview } } }, async (request) =>
    campaigns.campaignSample(ctxOf(app, request), request.params.id),
  );
  api.post('/campaigns/:id/send', { schema: { tags, summary: 'Send (after the period ends): one survey per recipient, invitations queued in batches; resumes an interrupted send', params: IdParams, response: { 200: C.CampaignDetail } } }, async (request) =>
    campaigns.sendCampaign(ctxOf(app, request), request.params.id),
  );
  api.post('/campaigns/:id/close', { schema: { tags, summary: 'Close a sent campaign: unanswered surveys are cancelled, the figures freeze', params: IdParams, response: { 200: C.CampaignDetail } } }, async (request) =>
    campaigns.closeCampaign(ctxOf(app, request), request.params.id),
  );
}
