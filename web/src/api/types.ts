/** Types of the API, inferred from the server's zod contracts (the single source of truth). */
import type { z } from 'zod';
import {
  CustomerFlag as CustomerFlagSchema,
  Permission as PermissionSchema,
  Role as RoleSchema,
  type ApiTokenCreated as ApiTokenCreatedSchema,
  type CustomerPii as CustomerPiiSchema,
  type Locale as LocaleSchema,
  type Scope as ScopeSchema,
  type TeamKind as TeamKindSchema,
} from '@contracts/org/contracts';
import type { OutboxStatus as OutboxStatusSchema, OutboxSummary as OutboxSummarySchema } from '@contracts/admin/contracts';

export type {
  PublicProfile,
  ApiToken,
  ApiTokenCreate,
  Branch,
  BranchCreate,
  BranchUpdate,
  Customer,
  CustomerCreate,
  CustomerFlag,
  CustomerQuery,
  CustomerUpdate,
  Department,
  DepartmentCreate,
  DepartmentUpdate,
  Me,
  Organization,
  Role,
  Staff,
  StaffCreate,
  StaffQuery,
  StaffUpdate,
  Team,
  TeamCreate,
  TeamUpdate,
} from '@contracts/org/contracts';
export type { AuditEntry, AuditQuery, OutboxMessage, OutboxQuery } from '@contracts/admin/contracts';

export type Permission = z.infer<typeof PermissionSchema>;
export type Scope = z.infer<typeof ScopeSchema>;
export type Locale = z.infer<typeof LocaleSchema>;
export type TeamKind = z.infer<typeof TeamKindSchema>;
export type CustomerPii = z.infer<typeof CustomerPiiSchema>;
export type ApiTokenCreated = z.infer<typeof ApiTokenCreatedSchema>;
export type OutboxStatus = z.infer<typeof OutboxStatusSchema>;
export type OutboxSummary = z.infer<typeof OutboxSummarySchema>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface StaffPii {
  id: string;
  phone: string | null;
}

/** Runtime lists come from the contracts too, so a new role, flag or permission appears here by itself. */
export const ROLES = RoleSchema.options;
export const CUSTOMER_FLAGS = CustomerFlagSchema.options;
export const PERMISSIONS = PermissionSchema.options;
