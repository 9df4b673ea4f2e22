/** Rows → API views. Personal data leaves here masked; only the explicit reveal functions unmask. */
import type { InferSelectModel } from 'drizzle-orm';
import type { Keys } from '../../core/crypto.js';
import { decrypt, maskIdNumber, maskPhone } from '../../core/crypto.js';
import type { apiTokens, branches, customers, departments, organizations, staff, teams } from './schema.js';
import type * as C from './contracts.js';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function presentOrganization(row: InferSelectModel<typeof organizations>): C.Organization {
  return {
    id: row.id, code: row.code, name: row.name, timeZone: row.timeZone, defaultLocale: row.defaultLocale as C.Organization['defaultLocale'],
    publicProfile: row.publicProfile,
  };
}

export function presentBranch(row: InferSelectModel<typeof branches>): C.Branch {
  return {
    id: row.id, code: row.code, name: row.name, kind: row.kind as C.Branch['kind'], address: row.address, phone: row.phone,
    active: row.active, createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt),
  };
}

export function presentDepartment(row: InferSelectModel<typeof departments>): C.Department {
  return { id: row.id, branchId: row.branchId, name: row.name, active: row.active, createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt) };
}

export function presentTeam(row: InferSelectModel<typeof teams>, memberIds: string[]): C.Team {
  return {
    id: row.id, branchId: row.branchId, departmentId: row.departmentId, name: row.name, kind: row.kind as C.Team['kind'],
    leadId: row.leadId, memberIds, active: row.active, createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt),
  };
}

export function presentStaff(keys: Keys, row: InferSelectModel<typeof staff>, teamIds: string[], now: Date): C.Staff {
  return {
    id: row.id, username: row.username, displayName: row.displayName, employeeNo: row.employeeNo, email: row.email,
    phone: row.phoneEnc ? maskPhone(decrypt(keys, row.phoneEnc)) : null,
    role: row.role as C.Staff['role'], scope: row.scope as C.Staff['scope'], branchId: row.branchId,
    departmentId: row.departmentId, teamIds, locale: (row.locale as C.Staff['locale']) ?? null, dutyCalendarId: row.dutyCalendarId, active: row.active,
    locked: row.lockedUntil !== null && row.lockedUntil > now, lastSignInAt: isoOrNull(row.lastSignInAt),
    createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt),
  };
}

export function presentCustomer(keys: Keys, row: InferSelectModel<typeof customers>): C.Customer {
  return {
    id: row.id, name: row.name,
    phone: row.phoneEnc ? maskPhone(decrypt(keys, row.phoneEnc)) : null,
    email: row.email,
    idNumber: row.idNumberEnc ? maskIdNumber(decrypt(keys, row.idNumberEnc)) : null,
    flags: row.flags as C.CustomerFlag[], branchId: row.branchId, notes: row.notes,
    createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt),
  };
}

export function presentToken(row: InferSelectModel<typeof apiTokens>): C.ApiToken {
  return {
    id: row.id, staffId: row.staffId, name: row.name, prefix: row.prefix, scopes: row.scopes as C.ApiToken['scopes'],
    createdAt: iso(row.createdAt), expiresAt: isoOrNull(row.expiresAt), lastUsedAt: isoOrNull(row.lastUsedAt),
    revokedAt: isoOrNull(row.revokedAt),
  };
}
