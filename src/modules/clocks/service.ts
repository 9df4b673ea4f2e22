/**
 * Persisted clocks. Other capabilities start, pause, resume, meet and cancel clocks inside their own
 * transactions (these functions take the caller's TxCtx); the watcher (src/jobs/clock-watcher.ts) records
 * warnings and breaches as time passes.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import type { Ctx, TxCtx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { cached, defineOrgCache } from '../../core/org-cache.js';
import { authorize } from '../../core/policy.js';
import { due, elapsed, type CompiledCalendar } from '../calendars/calendar.js';
import { calendars } from '../calendars/schema.js';
import { calendarFailure, compiledOf, parseDurationOrFail } from '../calendars/service.js';
import * as S from './clock-state.js';
import { clocks } from './schema.js';

type ClockRow = typeof clocks.$inferSelect;

/** Business-time arithmetic of a compiled calendar, in the shape the clock state machine uses. */
export function businessTime(cal: CompiledCalendar): S.BusinessTime {
  return {
    elapsed: (a, b) => elapsed(cal, a, b),
    dueFrom: (a, duration) => due(cal, a, duration),
    dueAfterMs: (a, ms) => due(cal, a, { kind: 'business', ms }),
  };
}

type CalendarRow = typeof calendars.$inferSelect;

export interface OrgCalendars {
  byId: ReadonlyMap<string, CalendarRow>;
  /** The organization's default calendar, if it has one. */
  fallback: CalendarRow | undefined;
}

/** The organization's calendars (cached per configuration generation, see src/core/org-cache.ts). */
const calendarsSection = defineOrgCache<OrgCalendars>('calendars', async (t) => {
  const rows = await t.tx.select().from(calendars).where(eq(calendars.orgId, t.orgId));
  return { byId: new Map(rows.map((r) => [r.id, r])), fallback: rows.find((r) => r.isDefault) };
});

export function calendarsOf(t: TxCtx): Promise<OrgCalendars> {
  return cached(t, calendarsSection);
}

async function calendarTime(t: TxCtx, calendarId: string): Promise<S.BusinessTime> {
  const row = (await calendarsOf(t)).byId.get(calendarId);
  if (!row) throw new AppError('org.invalid_reference', { entity: 'calendar' }, { field: 'calendarId' });
  return businessTime(compiledOf(row));
}

/** The state-machine view of a clock row. */
export function toRecord(row: ClockRow): S.ClockRecord {
  return {
    state: row.state as S.ClockState, duration: row.duration, warnRatio: row.warnRatio, startedAt: row.startedAt, dueAt: row.dueAt,
    warningAt: row.warningAt, pausedAt: row.pausedAt, pauses: row.pauses, warnedAt: row.warnedAt, breachedAt: row.breachedAt,
    metAt: row.metAt, cancelledAt: row.cancelledAt,
  };
}

export interface ClockView {
  id: string;
  kind: string;
  label: string | null;
  commitmentVersionId: string | null;
  targetKey: string | null;
  state: S.ClockState;
  duration: string;
  calendarId: string;
  startedAt: string;
  dueAt: string;
  warningAt: string | null;
  pausedAt: string | null;
  pauses: S.Pause[];
  warnedAt: string | null;
  breachedAt: string | null;
  metAt: string | null;
  cancelledAt: string | null;
}

export function presentClock(row: ClockRow): ClockView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id, kind: row.kind, label: row.label, commitmentVersionId: row.commitmentVersionId, targetKey: row.targetKey, state: row.state as S.ClockState, duration: row.duration, calendarId: row.calendarId,
    startedAt: row.startedAt.toISOString(), dueAt: row.dueAt.toISOString(), warningAt: iso(row.warningAt), pausedAt: iso(row.pausedAt),
    pauses: row.pauses, warnedAt: iso(row.warnedAt), breachedAt: iso(row.breachedAt), metAt: iso(row.metAt), cancelledAt: iso(row.cancelledAt),
  };
}

export interface ClockStart {
  subjectType: string;
  subjectId: string;
  kind: string;
  label?: string | null;
  commitmentVersionId?: string | null;
  targetKey?: string | null;
  calendarId: string;
  duration: string;
  /** Share of the clock's business time after which it warns (0.8 = at 80 %); null for no warning. */
  warnRatio?: number | null;
  /** Defaults to now. */
  startedAt?: Date;
}

function snapshot(row: ClockRow) {
  return { state: row.state, dueAt: row.dueAt, warningAt: row.warningAt, pausedAt: row.pausedAt, warnedAt: row.warnedAt, breachedAt: row.breachedAt, metAt: row.metAt };
}

/** Starts a clock on a record, inside the caller's transaction. */
export async function startClock(t: TxCtx, input: ClockStart): Promise<ClockView> {
  const [view] = await startClocks(t, [input]);
  return view!;
}

/**
 * Starts several clocks (one INSERT), inside the caller's transaction; each is audited and announced as
 * if started alone. The rows are not read back: they are exactly what was computed here.
 */
export async function startClocks(t: TxCtx, inputs: readonly ClockStart[]): Promise<ClockView[]> {
  if (inputs.length === 0) return [];
  const now = t.now();
  const rows: ClockRow[] = [];
  for (const input of inputs) {
    parseDurationOrFail(input.duration);
    const bt = await calendarTime(t, input.calendarId);
    let record: S.ClockRecord;
    try {
      record = S.startClock(bt, input.startedAt ?? now, input.duration, input.warnRatio ?? null);
    } catch (error) {
      return calendarFailure(error, input.duration);
    }
    rows.push({
      id: randomUUID(), orgId: t.orgId, subjectType: input.subjectType, subjectId: input.subjectId, kind: input.kind, label: input.label ?? null,
      commitmentVersionId: input.commitmentVersionId ?? null, targetKey: input.targetKey ?? null, calendarId: input.calendarId, ...record, createdAt: now, updatedAt: now,
    });
  }
  await t.tx.insert(clocks).values(rows);
  for (const row of rows) {
    await audit(t, { action: 'clock.start', entityType: 'clock', entityId: row.id, after: { subject: `${row.subjectType}:${row.subjectId}`, kind: row.kind, ...snapshot(row) } });
    await t.emit('clock.scheduled', { entityType: 'clock', entityId: row.id, data: { at: S.nextWakeUp(toRecord(row))?.toISOString() ?? null } });
  }
  return rows.map(presentClock);
}

async function clocksOf(t: TxCtx, subjectType: string, subjectId: string, kinds?: string[]): Promise<ClockRow[]> {
  const conditions = [eq(clocks.orgId, t.orgId), eq(clocks.subjectType, subjectType), eq(clocks.subjectId, subjectId)];
  if (kinds) conditions.push(inArray(clocks.kind, kinds));
  return t.tx.select().from(clocks).where(and(...conditions)).orderBy(asc(clocks.startedAt)).for('update');
}

const EVENT_OF = { 'clock.pause': 'clock.paused', 'clock.resume': 'clock.scheduled', 'clock.meet': 'clock.met', 'clock.cancel': 'clock.cancelled' } as const;

async function apply(t: TxCtx, row: ClockRow, next: S.ClockRecord, action: keyof typeof EVENT_OF) {
  const [updated] = await t.tx.update(clocks).set({ ...next, updatedAt: t.now() }).where(eq(clocks.id, row.id)).returning();
  await audit(t, { action, entityType: 'clock', entityId: row.id, before: snapshot(row), after: snapshot(updated!) });
  const wake = S.nextWakeUp(next);
  await t.emit(EVENT_OF[action], {
    entityType: 'clock', entityId: row.id, data: { subjectType: row.subjectType, subjectId: row.subjectId, kind: row.kind, at: wake?.toISOString() ?? null },
  });
  return presentClock(updated!);
}

/**
 * Pauses the running clocks of a record (waiting on the customer). Breached clocks stay breached, and so do
 * overdue ones the watcher has not reached yet: waiting on the customer cannot undo a breach.
 */
export async function pauseClocks(t: TxCtx, subjectType: string, subjectId: string, at = t.now()): Promise<ClockView[]> {
  const out: ClockView[] = [];
  for (const row of await clocksOf(t, subjectType, subjectId)) {
    if (row.state === 'running' && row.dueAt > at) out.push(await apply(t, row, S.pauseClock(toRecord(row), at), 'clock.pause'));
  }
  return out;
}

/** Resumes the paused clocks of a record; their due instants move by the paused business time. */
export async function resumeClocks(t: TxCtx, subjectType: string, subjectId: string, at = t.now()): Promise<ClockView[]> {
  const out: ClockView[] = [];
  for (const row of await clocksOf(t, subjectType, subjectId)) {
    if (row.state !== 'paused') continue;
    const bt = await calendarTime(t, row.calendarId);
    out.push(await apply(t, row, S.resumeClock(bt, toRecord(row), at), 'clock.resume'));
  }
  return out;
}

/** Stops clocks of the given kinds because their event happened; late clocks keep their breach. */
export async function meetClocks(t: TxCtx, subjectType: string, subjectId: string, kinds: string[], at = t.now()): Promise<ClockView[]> {
  const out: ClockView[] = [];
  for (const row of await clocksOf(t, subjectType, subjectId, kinds)) {
    if (row.state === 'met' || row.state === 'cancelled') continue;
    out.push(await apply(t, row, S.meetClock(toRecord(row), at), 'clock.meet'));
  }
  return out;
}

/** Cancels every open clock of a record (merged, withdrawn). */
export async function cancelClocks(t: TxCtx, subjectType: string, subjectId: string, at = t.now()): Promise<ClockView[]> {
  const out: ClockView[] = [];
  for (const row of await clocksOf(t, subjectType, subjectId)) {
    if (row.state === 'met' || row.state === 'cancelled') continue;
    out.push(await apply(t, row, S.cancelClock(toRecord(row), at), 'clock.cancel'));
  }
  return out;
}

/** The clocks of a record, for its page. Callers authorize access to the record itself. */
export async function clocksOfRecord(ctx: Ctx, subjectType: string, subjectId: string): Promise<ClockView[]> {
  authorize(ctx, 'calendar.read');
  const rows = await ctx.app.database.db
    .select()
    .from(clocks)
    .where(and(eq(clocks.orgId, ctx.orgId), eq(clocks.subjectType, subjectType), eq(clocks.subjectId, subjectId)))
    .orderBy(asc(clocks.startedAt));
  return rows.map(presentClock);
}

/** The clocks of a record inside a transaction (locked), for services that reconcile them. */
export async function clocksOfSubject(t: TxCtx, subjectType: string, subjectId: string): Promise<ClockView[]> {
  return (await clocksOf(t, subjectType, subjectId)).map(presentClock);
}

/** Cancels one open clock (its target no longer applies). */
export async function cancelClockById(t: TxCtx, id: string, at = t.now()): Promise<ClockView[]> {
  const [row] = await t.tx.select().from(clocks).where(and(eq(clocks.id, id), eq(clocks.orgId, t.orgId))).for('update');
  if (!row || row.state === 'met' || row.state === 'cancelled') return [];
  return [await apply(t, row, S.cancelClock(toRecord(row), at), 'clock.cancel')];
}
