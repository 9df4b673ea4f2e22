import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { systemCtx, transact, type App } from '../../core/context.js';
import { auditLog } from '../../core/db/schema.js';
import { EventBus, type DomainEvent } from '../../core/events.js';
import { ClockWatcher } from '../../jobs/clock-watcher.js';
import { buildOrg, engine, openTestDatabase, testApp, type TestOrg } from '../../test/harness.js';
import { compileCalendar, type DayHours, type Weekday } from '../calendars/calendar.js';
import { createCalendar } from '../calendars/service.js';
import * as S from './clock-state.js';
import { clocks } from './schema.js';
import { businessTime, meetClocks, pauseClocks, resumeClocks, startClock } from './service.js';

const office: DayHours = [['09:00', '12:00'], ['13:30', '18:00']];
const officeWeek: Record<Weekday, DayHours> = { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] };
const allDay: DayHours = [['00:00', '24:00']];
const allWeek: Record<Weekday, DayHours> = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };

const at = (local: string) => new Date(`${local}+08:00`);

describe('clock state (pure)', () => {
  const bt = businessTime(compileCalendar({ timeZone: 'Asia/Shanghai', week: officeWeek, overrides: { '2026-02-14': office } }));

  it('warns at 80 % and breaches at the due instant', () => {
    const c = S.startClock(bt, at('2026-03-02T09:00:00'), 'PT5H', 0.8); // Monday
    expect(c.dueAt).toEqual(at('2026-03-02T15:30:00'));
    expect(c.warningAt).toEqual(at('2026-03-02T14:30:00')); // 4 business hours in
    expect(S.tickClock(c, at('2026-03-02T14:00:00'))).toMatchObject({ warned: false, breached: false });
    const warned = S.tickClock(c, at('2026-03-02T14:31:00'));
    expect(warned).toMatchObject({ warned: true, breached: false });
    const breached = S.tickClock(warned.clock, at('2026-03-02T15:30:00'));
    expect(breached.breached).toBe(true);
    expect(breached.clock.state).toBe('breached');
    expect(S.nextWakeUp(breached.clock)).toBeNull();
  });

  it('moves the due time by the paused business time', () => {
    const c = S.startClock(bt, at('2026-03-02T09:00:00'), 'PT5H', null);
    const paused = S.pauseClock(c, at('2026-03-02T10:00:00')); // 1 h used, 4 h left
    const resumed = S.resumeClock(bt, paused, at('2026-03-03T10:00:00')); // a day later
    expect(resumed.dueAt).toEqual(at('2026-03-03T15:30:00'));
    expect(bt.elapsed(resumed.startedAt, resumed.dueAt) - bt.elapsed(at('2026-03-02T10:00:00'), at('2026-03-03T10:00:00'))).toBe(5 * 3600_000);
    expect(resumed.pauses).toEqual([{ from: at('2026-03-02T10:00:00').toISOString(), to: at('2026-03-03T10:00:00').toISOString() }]);
  });

  it('records a late clock as breached and then met, with both instants', () => {
    const c = S.startClock(bt, at('2026-03-02T09:00:00'), 'PT1H', null);
    const breached = S.tickClock(c, at('2026-03-02T10:05:00')).clock;
    const met = S.meetClock(breached, at('2026-03-02T11:00:00'));
    expect(met).toMatchObject({ state: 'met', breachedAt: at('2026-03-02T10:00:00'), metAt: at('2026-03-02T11:00:00') });
    // Met late before the watcher saw it: the breach is still recorded at the due instant.
    const lateUnseen = S.meetClock(c, at('2026-03-02T10:30:00'));
    expect(lateUnseen.breachedAt).toEqual(at('2026-03-02T10:00:00'));
    expect(S.meetClock(c, at('2026-03-02T09:30:00')).breachedAt).toBeNull();
  });

  it('refuses impossible transitions', () => {
    const c = S.startClock(bt, at('2026-03-02T09:00:00'), 'PT1H', null);
    expect(() => S.resumeClock(bt, c, at('2026-03-02T09:10:00'))).toThrow(S.ClockTransitionError);
    const met = S.meetClock(c, at('2026-03-02T09:30:00'));
    expect(() => S.pauseClock(met, at('2026-03-02T09:40:00'))).toThrow(S.ClockTransitionError);
    expect(() => S.cancelClock(met, at('2026-03-02T09:40:00'))).toThrow(S.ClockTransitionError);
  });
});

async function calendarOf(org: TestOrg, week = officeWeek) {
  return createCalendar(org.system, { name: `日历 ${Math.random()}`, timeZone: 'Asia/Shanghai', week, overrides: {} });
}

describe('persisted clocks', () => {
  it('start, pause, resume and meet inside the caller’s transaction, audited', async () => {
    const org = await buildOrg();
    const cal = await calendarOf(org);
    const ctx = { ...org.system, now: () => at('2026-03-02T09:00:00') };
    const clock = await transact(ctx, (t) => startClock(t, { subjectType: 'request', subjectId: 'R1', kind: 'resolution', calendarId: cal.id, duration: 'PT5H', warnRatio: 0.8 }));
    expect(clock.dueAt).toBe(at('2026-03-02T15:30:00').toISOString());
    await transact({ ...ctx, now: () => at('2026-03-02T10:00:00') }, (t) => pauseClocks(t, 'request', 'R1'));
    const [resumed] = await transact({ ...ctx, now: () => at('2026-03-03T10:00:00') }, (t) => resumeClocks(t, 'request', 'R1'));
    expect(resumed!.dueAt).toBe(at('2026-03-03T15:30:00').toISOString());
    const [met] = await transact({ ...ctx, now: () => at('2026-03-03T11:00:00') }, (t) => meetClocks(t, 'request', 'R1', ['resolution']));
    expect(met).toMatchObject({ state: 'met', breachedAt: null });
    const actions = (await org.app.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.entityId, clock.id)))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['clock.start', 'clock.pause', 'clock.resume', 'clock.meet']));
  });

  it('refuses a calendar of another organization and a bad duration, writing nothing', async () => {
    const org = await buildOrg();
    const other = await buildOrg();
    const foreign = await calendarOf(other);
    await expect(transact(org.system, (t) => startClock(t, { subjectType: 'request', subjectId: 'R2', kind: 'x', calendarId: foreign.id, duration: 'PT1H' }))).rejects.toMatchObject({ code: 'org.invalid_reference' });
    const mine = await calendarOf(org);
    await expect(transact(org.system, (t) => startClock(t, { subjectType: 'request', subjectId: 'R2', kind: 'x', calendarId: mine.id, duration: 'P1W' }))).rejects.toMatchObject({ code: 'calendar.invalid_duration' });
    expect(await org.app.database.db.select().from(clocks).where(eq(clocks.orgId, org.orgId))).toHaveLength(0);
  });
});

describe('clock watcher', () => {
  it('records a warning and a breach once each, and wakes at the next instant', async () => {
    const org = await buildOrg();
    const cal = await calendarOf(org);
    let now = at('2026-03-02T09:00:00');
    const ctx = { ...org.system, now: () => now };
    const clock = await transact(ctx, (t) => startClock(t, { subjectType: 'request', subjectId: 'W1', kind: 'first_response', calendarId: cal.id, duration: 'PT1H', warnRatio: 0.5 }));
    const events: DomainEvent[] = [];
    const off = org.app.bus.subscribe('*', (e) => void (e.entityId === clock.id && events.push(e)));
    const watcher = new ClockWatcher(org.app, { now: () => now });
    now = at('2026-03-02T09:29:00');
    await watcher.runOnce();
    expect(events.map((e) => e.type)).toEqual([]);
    now = at('2026-03-02T09:31:00');
    await watcher.runOnce();
    now = at('2026-03-02T10:01:00');
    await watcher.runOnce();
    await watcher.runOnce();
    await org.app.bus.drain();
    expect(events.map((e) => e.type)).toEqual(['clock.warning', 'clock.breached']);
    expect(events[1]!.orgId).toBe(org.orgId);
    const [row] = await org.app.database.db.select().from(clocks).where(eq(clocks.id, clock.id));
    expect(row).toMatchObject({ state: 'breached', breachedAt: at('2026-03-02T10:00:00'), warnedAt: at('2026-03-02T09:30:00') });
    off();
  });

  it(`two watchers, 1,000 clocks due in the same second: each breach recorded exactly once, never early (${engine})`, async () => {
    const first = await testApp();
    const org = await buildOrg(first);
    const cal = await calendarOf(org, allWeek);
    const secondDb = engine === 'postgres' ? await openTestDatabase() : first.database;
    const second: App = { ...first, database: secondDb, bus: new EventBus() };
    const dueAt = new Date(Math.ceil((Date.now() + 4000) / 1000) * 1000);
    const startedAt = new Date(dueAt.getTime() - 60_000);
    const ids = new Set<string>();
    for (let batch = 0; batch < 4; batch++) {
      await transact(systemCtx(first, org.orgId), async (t) => {
        for (let i = 0; i < 250; i++) {
          const c = await startClock(t, { subjectType: 'request', subjectId: `B${batch}-${i}`, kind: 'resolution', calendarId: cal.id, duration: 'PT1M', startedAt });
          ids.add(c.id);
        }
      });
    }
    const breaches = new Map<string, number>();
    const lag: number[] = [];
    const record = (e: DomainEvent) => {
      if (e.type !== 'clock.breached' || !e.entityId || !ids.has(e.entityId)) return;
      breaches.set(e.entityId, (breaches.get(e.entityId) ?? 0) + 1);
      lag.push(Date.parse(e.at) - dueAt.getTime());
    };
    const offA = first.bus.subscribe('clock.breached', record);
    const offB = second.bus.subscribe('clock.breached', record);
    const a = new ClockWatcher(first, { batchSize: 100 });
    const b = new ClockWatcher(second, { batchSize: 100 });
    // Promptness is by design, not measured (the machines are shared): a watcher sleeps until the earliest
    // pending instant, which is at the latest the due second.
    expect((await a.nextInstant())!.getTime()).toBeLessThanOrEqual(dueAt.getTime());
    a.start();
    b.start();
    const deadline = Date.now() + 20_000;
    while (breaches.size < 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await a.stop();
    await b.stop();
    offA();
    offB();
    expect(breaches.size).toBe(1000);
    expect([...breaches.values()].every((n) => n === 1)).toBe(true);
    // Never before the deadline.
    expect(Math.min(...lag)).toBeGreaterThanOrEqual(0);
    const audited = await first.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, 'clock.breach')));
    expect(audited).toHaveLength(1000);
    if (secondDb !== first.database) await secondDb.close();
  });
});
