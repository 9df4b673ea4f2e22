/** Organization, branches, departments, teams, staff, customers, sign-in sessions and API tokens. */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { PublicProfile } from './contracts.js';

const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
};

export const organizations = pgTable(
  'organizations',
  {
    // The organization is its own org: org_id = id keeps the "every top-level table has org_id" rule.
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    code: text().notNull(),
    name: text().notNull(),
    timeZone: text().notNull().default('Asia/Shanghai'),
    defaultLocale: text().notNull().default('zh-CN'),
    parentId: uuid(),
    /** Complaint and service channels shown on the public page: phone, email, address, web form, hours. */
    publicProfile: jsonb().$type<PublicProfile>().notNull().default(sql`'{}'::jsonb`),
    ...timestamps,
  },
  (t) => [uniqueIndex('organizations_code_uq').on(t.code)],
);

export const branches = pgTable(
  'branches',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    code: text().notNull(),
    name: text().notNull(),
    kind: text().notNull().default('branch'), // head_office | branch
    address: text(),
    phone: text(),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('branches_org_code_uq').on(t.orgId, t.code),
    uniqueIndex('branches_org_head_office_uq').on(t.orgId).where(sql`kind = 'head_office'`),
  ],
);

export const departments = pgTable(
  'departments',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    branchId: uuid().notNull(),
    name: text().notNull(),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [uniqueIndex('departments_branch_name_uq').on(t.orgId, t.branchId, t.name)],
);

export const teams = pgTable(
  'teams',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    branchId: uuid().notNull(),
    departmentId: uuid(),
    name: text().notNull(),
    kind: text().notNull().default('regular'), // regular | special (专项小组)
    leadId: uuid(),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [uniqueIndex('teams_branch_name_uq').on(t.orgId, t.branchId, t.name)],
);

export const teamMembers = pgTable(
  'team_members',
  {
    orgId: uuid().notNull(),
    teamId: uuid().notNull(),
    staffId: uuid().notNull(),
    addedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.staffId] }), index('team_members_staff_idx').on(t.staffId)],
);

export const staff = pgTable(
  'staff',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    username: text().notNull(),
    displayName: text().notNull(),
    employeeNo: text(),
    email: text(),
    phoneEnc: text(),
    phoneHash: text(),
    role: text().notNull(), // admin | manager | supervisor | team_lead | agent | auditor
    scope: text().notNull().default('branch'), // organization | branch
    branchId: uuid().notNull(),
    departmentId: uuid(),
    locale: text(),
    /** Duty hours (值班时间): the calendar whose working time is this person's duty; null: the organization's default. */
    dutyCalendarId: uuid(),
    active: boolean().notNull().default(true),
    passwordHash: text().notNull(),
    passwordChangedAt: timestamp({ withTimezone: true }),
    failedSignIns: integer().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true }),
    lastSignInAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('staff_username_uq').on(sql`lower(${t.username})`),
    index('staff_org_branch_idx').on(t.orgId, t.branchId),
  ],
);

export const customers = pgTable(
  'customers',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    branchId: uuid(),
    name: text().notNull(),
    phoneEnc: text(),
    phoneHash: text(),
    phoneLast4: text(),
    email: text(),
    idNumberEnc: text(),
    idNumberHash: text(),
    flags: text().array().notNull().default(sql`'{}'::text[]`), // elderly | disabled | vip
    notes: text(),
    ...timestamps,
  },
  (t) => [
    index('customers_org_phone_idx').on(t.orgId, t.phoneHash),
    index('customers_org_id_number_idx').on(t.orgId, t.idNumberHash),
    index('customers_org_name_idx').on(t.orgId, t.name),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    staffId: uuid().notNull(),
    tokenHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ip: text(),
    userAgent: text(),
  },
  (t) => [uniqueIndex('sessions_token_uq').on(t.tokenHash), index('sessions_staff_idx').on(t.staffId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    staffId: uuid().notNull(),
    name: text().notNull(),
    prefix: text().notNull(),
    tokenHash: text().notNull(),
    scopes: text().array().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_staff_idx').on(t.orgId, t.staffId)],
);
