/** Request and response shapes of the organization module; the web app's forms use the same schemas. */
import { z } from 'zod';
import { Id, PageQuery, QueryBoolean, Timestamp, optionalText } from '../shared/contracts.js';

export const Role = z.enum(['admin', 'manager', 'supervisor', 'team_lead', 'agent', 'auditor']);
export type Role = z.infer<typeof Role>;
export const Scope = z.enum(['organization', 'branch']);
export const Locale = z.enum(['zh-CN', 'en-US']);
export const CustomerFlag = z.enum(['elderly', 'disabled', 'vip']);
export type CustomerFlag = z.infer<typeof CustomerFlag>;
export const Permission = z.enum([
  'org.read', 'org.update', 'branch.read', 'branch.manage', 'staff.read', 'staff.manage', 'customer.read',
  'customer.manage', 'pii:read', 'audit.read', 'outbox.read', 'outbox.retry', 'token.manage', 'token.admin',
  'calendar.read', 'calendar.manage', 'commitment.read', 'commitment.edit', 'commitment.evaluate', 'commitment.meeting',
  'commitment.decide', 'commitment.publish', 'request.read', 'request.create', 'request.handle', 'request.assign',
  'request.configure', 'macro.manage', 'call.read', 'call.manage', 'webhook.manage',
  'evaluation.read', 'evaluation.configure', 'callback.manage', 'appeal.file', 'appeal.decide', 'corrective.read', 'corrective.handle', 'corrective.manage', 'corrective.verify', 'feedback.handle', 'campaign.manage',
  'report.read', 'report.manage',
]);

const Code = z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, 'pledge:code_format');
const Name = z.string().trim().min(1).max(100);
const Phone = z.string().trim().regex(/^\+?[0-9][0-9\s()-]{4,19}$/, 'pledge:phone_format');
const Email = z.email().max(200);

/** 18-digit resident ID number (GB 11643) with its ISO 7064 MOD 11-2 check digit. */
export function isValidIdNumber(value: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(value)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * (weights[i] ?? 0);
  return '10X98765432'[sum % 11] === value[17]?.toUpperCase();
}
const IdNumber = z.string().trim().refine(isValidIdNumber, 'pledge:id_number');

export const PublicProfile = z.strictObject({
  phone: optionalText(40),
  email: z.email().max(200).nullable().optional(),
  address: optionalText(300),
  webFormUrl: optionalText(500),
  hours: optionalText(200),
  intro: optionalText(2000),
});
export type PublicProfile = z.infer<typeof PublicProfile>;

export const Organization = z.object({
  id: Id, code: z.string(), name: z.string(), timeZone: z.string(), defaultLocale: Locale,
  publicProfile: PublicProfile.describe('complaint channels and service information shown on the public page'),
});
export type Organization = z.infer<typeof Organization>;
export const OrganizationUpdate = z.strictObject({
  name: Name.optional(),
  timeZone: z.string().trim().max(64).optional(),
  defaultLocale: Locale.optional(),
  publicProfile: PublicProfile.optional(),
});

export const Branch = z.object({
  id: Id, code: z.string(), name: z.string(), kind: z.enum(['head_office', 'branch']),
  address: z.string().nullable(), phone: z.string().nullable(), active: z.boolean(),
  createdAt: Timestamp, updatedAt: Timestamp,
});
export type Branch = z.infer<typeof Branch>;
export const BranchCreate = z.strictObject({ code: Code, name: Name, address: optionalText(200), phone: optionalText(40) });
export type BranchCreate = z.infer<typeof BranchCreate>;
export const BranchUpdate = z.strictObject({
  code: Code.optional(), name: Name.optional(), address: optionalText(200), phone: optionalText(40), active: z.boolean().optional(),
});
export type BranchUpdate = z.infer<typeof BranchUpdate>;

export const Department = z.object({
  id: Id, branchId: Id, name: z.string(), active: z.boolean(), createdAt: Timestamp, updatedAt: Timestamp,
});
export type Department = z.infer<typeof Department>;
export const DepartmentCreate = z.strictObject({ branchId: Id, name: Name });
export type DepartmentCreate = z.infer<typeof DepartmentCreate>;
export const DepartmentUpdate = z.strictObject({ name: Name.optional(), active: z.boolean().optional() });
export type DepartmentUpdate = z.infer<typeof DepartmentUpdate>;

export const TeamKind = z.enum(['regular', 'special']);
export const Team = z.object({
  id: Id, branchId: Id, departmentId: Id.nullable(), name: z.string(), kind: TeamKind, leadId: Id.nullable(),
  memberIds: z.array(Id), active: z.boolean(), createdAt: Timestamp, updatedAt: Timestamp,
});
export type Team = z.infer<typeof Team>;
export const TeamCreate = z.strictObject({
  branchId: Id, departmentId: Id.nullable().optional(), name: Name, kind: TeamKind.default('regular'),
  leadId: Id.nullable().optional(), memberIds: z.array(Id).max(500).default([]),
});
export type TeamCreate = z.infer<typeof TeamCreate>;
export const TeamUpdate = z.strictObject({
  departmentId: Id.nullable().optional(), name: Name.optional(), kind: TeamKind.optional(),
  leadId: Id.nullable().optional(), memberIds: z.array(Id).max(500).optional(), active: z.boolean().optional(),
});
export type TeamUpdate = z.infer<typeof TeamUpdate>;

export const Staff = z.object({
  id: Id, username: z.string(), displayName: z.string(), employeeNo: z.string().nullable(),
  email: z.string().nullable(), phone: z.string().nullable().describe('masked unless revealed'),
  role: Role, scope: Scope, branchId: Id, departmentId: Id.nullable(), teamIds: z.array(Id),
  locale: Locale.nullable(), dutyCalendarId: Id.nullable().describe('duty hours (值班时间); null: the default calendar'),
  active: z.boolean(), locked: z.boolean(), lastSignInAt: Timestamp.nullable(),
  createdAt: Timestamp, updatedAt: Timestamp,
});
export type Staff = z.infer<typeof Staff>;
export const Password = z.string().min(8).max(128);
export const StaffCreate = z.strictObject({
  username: z.string().trim().min(3).max(32).regex(/^[A-Za-z0-9._-]+$/, 'pledge:username_format'),
  displayName: z.string().trim().min(1).max(50),
  employeeNo: optionalText(32),
  email: Email.nullable().optional(),
  phone: Phone.nullable().optional(),
  role: Role,
  scope: Scope.optional(),
  branchId: Id,
  departmentId: Id.nullable().optional(),
  teamIds: z.array(Id).max(50).default([]),
  locale: Locale.nullable().optional(),
  /** Duty hours (值班时间): notifications that are not urgent wait for them; null: the default calendar. */
  dutyCalendarId: Id.nullable().optional(),
  password: Password,
});
export type StaffCreate = z.infer<typeof StaffCreate>;
export const StaffUpdate = z.strictObject({
  displayName: z.string().trim().min(1).max(50).optional(),
  employeeNo: optionalText(32),
  email: Email.nullable().optional(),
  phone: Phone.nullable().optional(),
  role: Role.optional(),
  scope: Scope.optional(),
  branchId: Id.optional(),
  departmentId: Id.nullable().optional(),
  teamIds: z.array(Id).max(50).optional(),
  locale: Locale.nullable().optional(),
  dutyCalendarId: Id.nullable().optional(),
});
export type StaffUpdate = z.infer<typeof StaffUpdate>;
export const StaffQuery = PageQuery.extend({
  q: z.string().trim().max(100).optional(),
  branchId: Id.optional(),
  teamId: Id.optional(),
  role: Role.optional(),
  // A query string says "true"/"false"; a service called again with the parsed query gets a boolean.
  active: QueryBoolean.optional(),
});
export type StaffQuery = z.infer<typeof StaffQuery>;
export const PasswordReset = z.strictObject({ newPassword: Password });

export const Customer = z.object({
  id: Id, name: z.string(), phone: z.string().nullable().describe('masked: 138****1188'),
  email: z.string().nullable(), idNumber: z.string().nullable().describe('masked'), flags: z.array(CustomerFlag),
  branchId: Id.nullable(), notes: z.string().nullable(), createdAt: Timestamp, updatedAt: Timestamp,
});
export type Customer = z.infer<typeof Customer>;
export const CustomerPii = z.object({ id: Id, phone: z.string().nullable(), idNumber: z.string().nullable() });
export const CustomerCreate = z.strictObject({
  name: z.string().trim().min(1).max(100),
  phone: Phone.nullable().optional(),
  email: Email.nullable().optional(),
  idNumber: IdNumber.nullable().optional(),
  flags: z.array(CustomerFlag).max(3).default([]),
  branchId: Id.nullable().optional(),
  notes: optionalText(2000),
});
export type CustomerCreate = z.infer<typeof CustomerCreate>;
export const CustomerUpdate = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  phone: Phone.nullable().optional(),
  email: Email.nullable().optional(),
  idNumber: IdNumber.nullable().optional(),
  flags: z.array(CustomerFlag).max(3).optional(),
  branchId: Id.nullable().optional(),
  notes: optionalText(2000),
});
export type CustomerUpdate = z.infer<typeof CustomerUpdate>;
export const CustomerQuery = PageQuery.extend({
  q: z.string().trim().max(100).optional().describe('name contains'),
  phone: z.string().trim().max(30).optional().describe('exact phone number'),
  flag: CustomerFlag.optional(),
});
export type CustomerQuery = z.infer<typeof CustomerQuery>;

export const SignIn = z.strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(128) });
export const PasswordChange = z.strictObject({ currentPassword: z.string().min(1).max(128), newPassword: Password });
export const Me = z.object({ staff: Staff, organization: Organization, permissions: z.array(Permission) });
export type Me = z.infer<typeof Me>;

export const ApiToken = z.object({
  id: Id, staffId: Id, name: z.string(), prefix: z.string(), scopes: z.array(Permission),
  createdAt: Timestamp, expiresAt: Timestamp.nullable(), lastUsedAt: Timestamp.nullable(), revokedAt: Timestamp.nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;
export const ApiTokenCreate = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(Permission).min(1).max(20),
  expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
});
export type ApiTokenCreate = z.infer<typeof ApiTokenCreate>;
export const ApiTokenCreated = ApiToken.extend({ token: z.string().describe('shown once; store it now') });
