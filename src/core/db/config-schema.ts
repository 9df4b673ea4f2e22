/**
 * The configuration generation of each organization: a counter that database triggers (migration 0009)
 * raise in the same transaction as any change to configuration that registration reads on every request
 * (calendars, commitments and their versions, request settings, routing rules, webhooks, categories,
 * branches). App nodes cache that configuration in memory and compare generations to know it is current
 * (src/core/org-cache.ts).
 */
import { bigint, pgTable, uuid } from 'drizzle-orm/pg-core';

export const configGenerations = pgTable('config_generations', {
  orgId: uuid().primaryKey(),
  generation: bigint({ mode: 'number' }).notNull().default(0),
});
