/** HTTP routes of the e-mail channel: IMAP mail accounts (inbound addresses are part of /request-settings). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { Id, Ok } from '../shared/contracts.js';
import * as accounts from './email-accounts.js';
import * as C from './email-contracts.js';
import { imapConnector, type MailboxConnector } from './email-imap.js';

const IdParams = z.strictObject({ id: Id });

export interface EmailRouteOptions {
  /** How the connection test reaches a mailbox (imapflow by default). */
  connector?: MailboxConnector;
}

export async function emailRoutes(server: FastifyInstance, app: App, options: EmailRouteOptions = {}) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['email'];
  const connector = options.connector ?? imapConnector;

  api.get('/mail-accounts', { schema: { tags, summary: 'IMAP mailboxes polled for inbound mail (passwords are never returned)', response: { 200: z.array(C.MailAccountView) } } }, async (request) =>
    accounts.listMailAccounts(ctxOf(app, request)),
  );
  api.post('/mail-accounts', { schema: { tags, summary: 'Add an IMAP mailbox to poll', body: C.MailAccountCreate, response: { 201: C.MailAccountView } } }, async (request, reply) =>
    reply.status(201).send(await accounts.createMailAccount(ctxOf(app, request), request.body)),
  );
  api.put('/mail-accounts/:id', { schema: { tags, summary: 'Change a mailbox (an empty password keeps the stored one)', params: IdParams, body: C.MailAccountUpdate, response: { 200: C.MailAccountView } } }, async (request) =>
    accounts.updateMailAccount(ctxOf(app, request), request.params.id, request.body),
  );
  api.delete('/mail-accounts/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (request) => accounts.deleteMailAccount(ctxOf(app, request), request.params.id));
  api.post('/mail-accounts/:id/test', { schema: { tags, summary: 'Connect to the mailbox and report whether that works', params: IdParams, response: { 200: C.MailAccountTestResult } } }, async (request) =>
    accounts.testMailAccount(ctxOf(app, request), request.params.id, connector),
  );
}
