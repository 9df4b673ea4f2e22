/** Commitments, their versions, the approval record of each version, and user notices (公告). */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Scope, Target } from './contracts.js';

export const commitments = pgTable(
  'commitments',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    number: text().notNull(), // 承诺书编号
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('commitments_org_number_uq').on(t.orgId, t.number)],
);

export const commitmentVersions = pgTable(
  'commitment_versions',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    commitmentId: uuid().notNull(),
    version: integer().notNull(),
    status: text().notNull(), // draft | in_review | approved | published | superseded | withdrawn
    title: text().notNull(),
    partyType: text().notNull().default('enterprise'),
    scope: jsonb().$type<Scope>().notNull(),
    responsibleDepartmentId: uuid(),
    responsiblePersonId: uuid(),
    effectiveFrom: text(), // local date YYYY-MM-DD
    effectiveTo: text(),
    bodyZh: text().notNull().default(''),
    bodyEn: text(),
    targets: jsonb().$type<Target[]>().notNull(),
    changeTrigger: text().notNull().default('initial'),
    changeSummary: text(),
    templateKey: text(),
    /** The approval round: a rejection returns the draft and the next submission starts a new round. */
    round: integer().notNull().default(0),
    submittedAt: timestamp({ withTimezone: true }),
    publishedAt: timestamp({ withTimezone: true }),
    publishedBy: uuid(),
    supersededAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('commitment_versions_uq').on(t.commitmentId, t.version),
    // At most one open draft (draft, in review or approved) and one version in force per commitment.
    uniqueIndex('commitment_versions_open_uq').on(t.commitmentId).where(sql`status IN ('draft', 'in_review', 'approved')`),
    uniqueIndex('commitment_versions_in_force_uq').on(t.commitmentId).where(sql`status = 'published'`),
    index('commitment_versions_org_status_idx').on(t.orgId, t.status),
  ],
);

export const commitmentApprovals = pgTable(
  'commitment_approvals',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    versionId: uuid().notNull(),
    round: integer().notNull(),
    step: text().notNull(), // internal_evaluation | joint_meeting | decision_body
    decision: text().notNull(), // approved | rejected
    comment: text().notNull().default(''),
    attachments: jsonb().$type<{ name: string; url: string }[]>().notNull(),
    actorId: uuid(),
    actorName: text(),
    decidedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('commitment_approvals_version_idx').on(t.versionId, t.decidedAt)],
);

export const notices = pgTable(
  'notices',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    commitmentId: uuid(),
    versionId: uuid(),
    title: text().notNull(),
    body: text().notNull(),
    titleEn: text(),
    bodyEn: text(),
    trigger: text(),
    published: boolean().notNull().default(true),
    publishedAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('notices_org_published_idx').on(t.orgId, t.publishedAt.desc())],
);

/** Customers and members of the public who asked to receive notices by e-mail. */
export const noticeSubscriptions = pgTable(
  'notice_subscriptions',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    email: text().notNull(),
    customerId: uuid(),
    locale: text().notNull().default('zh-CN'),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    /** Double opt-in: notices go only to addresses whose owner followed the confirmation link. */
    confirmedAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex('notice_subscriptions_org_email_uq').on(t.orgId, sql`lower(${t.email})`)],
);

/**
 * Per-organization settings of commitments, one jsonb section per concern (`publicFigures`: which measured
 * figures the public page shows). A section is parsed with its zod schema, whose defaults apply until saved.
 */
export const commitmentSettings = pgTable('commitment_settings', {
  orgId: uuid().primaryKey(),
  settings: jsonb().$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
});
