/** Business calendars and the holiday data admins apply to them. */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { DayHours, Weekday } from './calendar.js';
import type { HolidayDay } from './cn-holidays.js';

export const calendars = pgTable(
  'calendars',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    name: text().notNull(),
    timeZone: text().notNull(),
    week: jsonb().$type<Record<Weekday, DayHours>>().notNull(),
    overrides: jsonb().$type<Record<string, DayHours>>().notNull(),
    /** The statutory-holiday region the calendar follows (CN), or null for one that ignores holidays (7×24). */
    holidayRegion: text(),
    /** Years whose holiday data has been applied: a year outside this list is reported, never assumed ordinary. */
    holidayYears: integer().array().notNull().default(sql`'{}'::integer[]`),
    isDefault: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('calendars_org_name_uq').on(t.orgId, t.name),
    uniqueIndex('calendars_org_default_uq').on(t.orgId).where(sql`is_default`),
  ],
);

export const holidayYears = pgTable(
  'holiday_years',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    region: text().notNull().default('CN'),
    year: integer().notNull(),
    source: text().notNull(),
    days: jsonb().$type<HolidayDay[]>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('holiday_years_org_region_year_uq').on(t.orgId, t.region, t.year), index('holiday_years_org_idx').on(t.orgId)],
);
