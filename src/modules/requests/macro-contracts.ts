/**
 * Canned responses (快捷回复): shapes shared by the API and the web app. Imports nothing but zod.
 * Shared macros (ownerId null) belong to the organization and need `macro.manage`; personal ones belong to
 * one person who handles requests.
 */
import { z } from 'zod';
import { Id, Timestamp } from '../shared/contracts.js';

const Name = z.string().trim().min(1).max(100);
const Body = z.string().trim().min(1).max(10_000);

export const MacroCreate = z.strictObject({
  name: Name,
  body: Body,
  /** true: shared by the organization (needs macro.manage); false: my own. */
  shared: z.boolean().default(false),
});
export type MacroCreate = z.infer<typeof MacroCreate>;

export const MacroUpdate = z.strictObject({ name: Name, body: Body });
export type MacroUpdate = z.infer<typeof MacroUpdate>;

export const MacroListQuery = z.strictObject({
  scope: z.enum(['all', 'shared', 'personal']).default('all').describe('all: shared ones and my own'),
  q: z.string().trim().max(100).optional().describe('part of the name or text'),
});

export const MacroView = z.object({
  id: Id,
  name: z.string(),
  body: z.string(),
  shared: z.boolean(),
  ownerId: Id.nullable(),
  /** Placeholders in the text that are not known (they would stay visible in a reply). */
  unknownPlaceholders: z.array(z.string()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type MacroView = z.infer<typeof MacroView>;

/** A macro filled in for one request. */
export const RenderedMacroView = z.object({
  macroId: Id,
  name: z.string(),
  text: z.string(),
  unknown: z.array(z.string()).describe('unknown placeholders, left in the text'),
  empty: z.array(z.string()).describe('known placeholders without a value for this request, left in the text'),
});
export type RenderedMacroView = z.infer<typeof RenderedMacroView>;
