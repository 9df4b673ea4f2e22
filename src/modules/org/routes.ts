/** HTTP routes of the organization module: thin, each one calls a service. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf, requestInfo, SESSION_COOKIE } from '../../http/context.js';
import { Id, Ok, pageOf } from '../shared/contracts.js';
import * as auth from './auth.js';
import * as C from './contracts.js';
import * as customers from './customers.js';
import * as people from './staff.js';
import * as structure from './structure.js';

const IdParams = z.strictObject({ id: Id });
const BranchFilter = z.strictObject({ branchId: Id.optional() });

export async function orgRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();

  // ---- sign-in ----
  api.post('/auth/sign-in', { schema: { tags: ['auth'], summary: 'Sign in with username and password; sets the session cookie', body: C.SignIn, response: { 200: C.Me }, security: [] } }, async (request, reply) => {
    const info = requestInfo(request);
    const { token, expiresAt } = await auth.signIn(app, request.body, info);
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', expires: expiresAt });
    const actor = await auth.resolveSession(app, token, info.now());
    return auth.me({ app, actor, orgId: actor.orgId, ...info });
  });
  api.post('/auth/sign-out', { schema: { tags: ['auth'], summary: 'Sign out (ends this session)', response: { 200: Ok } } }, async (request, reply) => {
    if (request.actor) await auth.signOut(ctxOf(app, request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });
  api.get('/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in person, organization and permissions', response: { 200: C.Me } } }, async (request) => auth.me(ctxOf(app, request)));
  api.post('/auth/password', { schema: { tags: ['auth'], summary: 'Change my password (other sessions end)', body: C.PasswordChange, response: { 200: Ok } } }, async (request) =>
    auth.changePassword(ctxOf(app, request), request.body),
  );
  api.get('/auth/tokens', { schema: { tags: ['auth'], summary: 'My API tokens (all, for token.admin)', response: { 200: z.array(C.ApiToken) } } }, async (request) => auth.listApiTokens(ctxOf(app, request)));
  api.post('/auth/tokens', { schema: { tags: ['auth'], summary: 'Create an API token (shown once)', body: C.ApiTokenCreate, response: { 201: C.ApiTokenCreated } } }, async (request, reply) =>
    reply.status(201).send(await auth.createApiToken(ctxOf(app, request), request.body)),
  );
  api.delete('/auth/tokens/:id', { schema: { tags: ['auth'], summary: 'Revoke an API token', params: IdParams, response: { 200: C.ApiToken } } }, async (request) =>
    auth.revokeApiToken(ctxOf(app, request), request.params.id),
  );

  // ---- organization ----
  api.get('/organization', { schema: { tags: ['organization'], response: { 200: C.Organization } } }, async (request) => structure.getOrganization(ctxOf(app, request)));
  api.patch('/organization', { schema: { tags: ['organization'], body: C.OrganizationUpdate, response: { 200: C.Organization } } }, async (request) =>
    structure.updateOrganization(ctxOf(app, request), request.body),
  );

  api.get('/branches', { schema: { tags: ['organization'], summary: 'Branches (分支机构), head office first', response: { 200: z.array(C.Branch) } } }, async (request) => structure.listBranches(ctxOf(app, request)));
  api.post('/branches', { schema: { tags: ['organization'], body: C.BranchCreate, response: { 201: C.Branch } } }, async (request, reply) =>
    reply.status(201).send(await structure.createBranch(ctxOf(app, request), request.body)),
  );
  api.patch('/branches/:id', { schema: { tags: ['organization'], params: IdParams, body: C.BranchUpdate, response: { 200: C.Branch } } }, async (request) =>
    structure.updateBranch(ctxOf(app, request), request.params.id, request.body),
  );

  api.get('/departments', { schema: { tags: ['organization'], querystring: BranchFilter, response: { 200: z.array(C.Department) } } }, async (request) =>
    structure.listDepartments(ctxOf(app, request), request.query.branchId),
  );
  api.post('/departments', { schema: { tags: ['organization'], body: C.DepartmentCreate, response: { 201: C.Department } } }, async (request, reply) =>
    reply.status(201).send(await structure.createDepartment(ctxOf(app, request), request.body)),
  );
  api.patch('/departments/:id', { schema: { tags: ['organization'], params: IdParams, body: C.DepartmentUpdate, response: { 200: C.Department } } }, async (request) =>
    structure.updateDepartment(ctxOf(app, request), request.params.id, request.body),
  );

  api.get('/teams', { schema: { tags: ['organization'], summary: 'Teams, including special teams (专项小组)', querystring: BranchFilter, response: { 200: z.array(C.Team) } } }, async (request) =>
    structure.listTeams(ctxOf(app, request), request.query.branchId),
  );
  api.post('/teams', { schema: { tags: ['organization'], body: C.TeamCreate, response: { 201: C.Team } } }, async (request, reply) =>
    reply.status(201).send(await structure.createTeam(ctxOf(app, request), request.body)),
  );
  api.patch('/teams/:id', { schema: { tags: ['organization'], params: IdParams, body: C.TeamUpdate, response: { 200: C.Team } } }, async (request) =>
    structure.updateTeam(ctxOf(app, request), request.params.id, request.body),
  );

  // ---- staff ----
  api.get('/staff', { schema: { tags: ['staff'], querystring: C.StaffQuery, response: { 200: pageOf(C.Staff) } } }, async (request) => people.listStaff(ctxOf(app, request), request.query));
  api.post('/staff', { schema: { tags: ['staff'], body: C.StaffCreate, response: { 201: C.Staff } } }, async (request, reply) =>
    reply.status(201).send(await people.createStaff(ctxOf(app, request), request.body)),
  );
  api.get('/staff/:id', { schema: { tags: ['staff'], params: IdParams, response: { 200: C.Staff } } }, async (request) => people.getStaff(ctxOf(app, request), request.params.id));
  api.patch('/staff/:id', { schema: { tags: ['staff'], params: IdParams, body: C.StaffUpdate, response: { 200: C.Staff } } }, async (request) =>
    people.updateStaff(ctxOf(app, request), request.params.id, request.body),
  );
  api.get('/staff/:id/pii', { schema: { tags: ['staff'], summary: 'Unmasked phone (pii:read; audited)', params: IdParams, response: { 200: z.object({ id: Id, phone: z.string().nullable() }) } } }, async (request) =>
    people.revealStaffPhone(ctxOf(app, request), request.params.id),
  );
  const stateChanges = { deactivate: people.deactivateStaff, reactivate: people.reactivateStaff, unlock: people.unlockStaff } as const;
  for (const [name, fn] of Object.entries(stateChanges)) {
    api.post(`/staff/:id/${name}`, { schema: { tags: ['staff'], params: IdParams, response: { 200: C.Staff } } }, async (request) => fn(ctxOf(app, request), request.params.id));
  }
  api.post('/staff/:id/reset-password', { schema: { tags: ['staff'], summary: 'Set a new password for someone (their sessions end)', params: IdParams, body: C.PasswordReset, response: { 200: C.Staff } } }, async (request) =>
    people.resetPassword(ctxOf(app, request), request.params.id, request.body),
  );

  // ---- customers ----
  api.get('/customers', { schema: { tags: ['customers'], summary: 'Customers; `phone` is an exact match', querystring: C.CustomerQuery, response: { 200: pageOf(C.Customer) } } }, async (request) =>
    customers.listCustomers(ctxOf(app, request), request.query),
  );
  api.post('/customers', { schema: { tags: ['customers'], body: C.CustomerCreate, response: { 201: C.Customer } } }, async (request, reply) =>
    reply.status(201).send(await customers.createCustomer(ctxOf(app, request), request.body)),
  );
  api.get('/customers/:id', { schema: { tags: ['customers'], params: IdParams, response: { 200: C.Customer } } }, async (request) => customers.getCustomer(ctxOf(app, request), request.params.id));
  api.patch('/customers/:id', { schema: { tags: ['customers'], params: IdParams, body: C.CustomerUpdate, response: { 200: C.Customer } } }, async (request) =>
    customers.updateCustomer(ctxOf(app, request), request.params.id, request.body),
  );
  api.get('/customers/:id/pii', { schema: { tags: ['customers'], summary: 'Unmasked phone and ID number (pii:read; audited)', params: IdParams, response: { 200: C.CustomerPii } } }, async (request) =>
    customers.revealCustomerPii(ctxOf(app, request), request.params.id),
  );
}
