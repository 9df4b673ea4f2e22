import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transact } from '../../core/context.js';
import { buildServer } from '../../http/server.js';
import { buildOrg, buildStaff, TEST_PASSWORD, type TestOrg } from '../../test/harness.js';
import { startClock } from '../clocks/service.js';

const office = [['09:00', '12:00'], ['13:30', '18:00']];
const file = (name: string, overrides: Record<string, string[][]> = {}) => ({
  name, timeZone: 'Asia/Shanghai', week: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] }, overrides,
});

let server: FastifyInstance;
let org: TestOrg;
let adminCookie: string;
let agentCookie: string;

async function cookieOf(username: string) {
  const res = await server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username, password: TEST_PASSWORD } });
  return `pledge_session=${res.cookies.find((c) => c.name === 'pledge_session')!.value}`;
}

beforeAll(async () => {
  org = await buildOrg();
  server = await buildServer(org.app, { web: false });
  adminCookie = await cookieOf((await buildStaff(org, 'admin')).username);
  agentCookie = await cookieOf((await buildStaff(org, 'agent')).username);
});
afterAll(async () => server.close());

function api(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, cookie = adminCookie, lang = 'zh-CN') {
  return server.inject({ method, url: `/api/v1${url}`, headers: { cookie, 'accept-language': lang }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

describe('calendars API', () => {
  it('imports, exports (round trip), applies holidays and previews due times', async () => {
    const created = await api('POST', '/calendars', file('总部办公时间'));
    expect(created.statusCode).toBe(201);
    const cal = created.json();
    expect(cal).toMatchObject({ holidayRegion: 'CN', isDefault: true, weeklyHours: 37.5, holidayYears: [] });
    expect(cal.missingHolidayYears.length).toBeGreaterThan(0);

    const exported = await api('GET', `/calendars/${cal.id}/export`);
    expect(exported.headers['content-disposition']).toContain('attachment');
    expect(JSON.parse(exported.body)).toEqual(file('总部办公时间'));

    // Before holidays are applied, the preview says the year has no holiday data.
    let due = await api('GET', `/calendars/${cal.id}/due?from=${encodeURIComponent('2026-09-30T10:00:00+08:00')}&duration=P1D`);
    expect(due.json()).toMatchObject({ due: '2026-10-01T10:00:00.000Z', missingHolidayYears: [2026] });

    const applied = await api('POST', `/calendars/${cal.id}/holidays`, { years: [2026] });
    expect(applied.statusCode).toBe(200);
    expect(applied.json().holidayYears).toEqual([2026]);
    due = await api('GET', `/calendars/${cal.id}/due?from=${encodeURIComponent('2026-09-30T10:00:00+08:00')}&duration=P1D`);
    // 国庆 10/1–10/7 off, 10/10 (Saturday) worked: the first working day after 9/30 is 10/8.
    expect(due.json()).toMatchObject({ due: '2026-10-08T10:00:00.000Z', dueLocal: '2026-10-08 18:00:00', missingHolidayYears: [] });
    expect(due.json().days.find((d: { date: string }) => d.date === '2026-10-01').holiday).toBe('国庆节');

    // Two hours from Friday 17:00 before the Spring Festival: 2/14 (Saturday) is a make-up workday.
    const spring = await api('GET', `/calendars/${cal.id}/due?from=${encodeURIComponent('2026-02-13T17:00:00+08:00')}&duration=PT2H`);
    expect(spring.json().due).toBe('2026-02-14T02:00:00.000Z');

    const elapsed = await api('GET', `/calendars/${cal.id}/elapsed?from=${encodeURIComponent('2026-02-13T09:00:00+08:00')}&to=${encodeURIComponent('2026-02-14T12:00:00+08:00')}`);
    expect(elapsed.json()).toMatchObject({ seconds: 37800 });

    const year = await api('GET', `/calendars/${cal.id}/years/2026`, undefined, adminCookie, 'en-US');
    const y = year.json();
    expect(y).toMatchObject({ year: 2026, holidayDataKnown: true, holidayDataApplied: true });
    expect(y.days).toHaveLength(365);
    expect(y.days.find((d: { date: string }) => d.date === '2026-02-14')).toMatchObject({ working: true, holidayKind: 'workday', source: 'override' });
    expect(y.days.find((d: { date: string }) => d.date === '2026-05-01')).toMatchObject({ working: false, holiday: 'Labour Day' });
    const y2027 = (await api('GET', `/calendars/${cal.id}/years/2027`)).json();
    expect(y2027).toMatchObject({ holidayDataKnown: false, holidayDataApplied: false });
  });

  it('refuses an invalid file with every problem named, in the caller’s language', async () => {
    const bad = {
      name: '坏日历', timeZone: 'Asia/Shang_hai',
      week: { mon: [['09:00', '12:00'], ['11:00', '18:00']], tue: [['09:00', '25:00']], wed: [['13:00', '12:00']], thu: [], fri: [], sat: [], sun: [] },
      overrides: { '2026-02-30': [] },
    };
    const res = await api('POST', '/calendars', bad, adminCookie, 'en-US');
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('calendar.invalid_file');
    const paths = body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['timeZone', 'week.mon[1]', 'week.wed[0]', 'overrides.2026-02-30']));
    expect(paths.some((p: string) => p.startsWith('week.tue[0]'))).toBe(true);
    const zh = (await api('POST', '/calendars', bad)).json();
    expect(zh.error.message).toContain('日历文件有误');
    expect(zh.error.details.issues.find((i: { path: string }) => i.path === 'week.mon[1]').message).toContain('重叠');
  });

  it('keeps calendars to administrators for writing, readable by agents', async () => {
    expect((await api('POST', '/calendars', file('代理人的日历'), agentCookie)).statusCode).toBe(403);
    expect((await api('GET', '/calendars', undefined, agentCookie)).statusCode).toBe(200);
  });

  it('refuses deleting a calendar a clock uses, and unknown holiday years', async () => {
    const cal = (await api('POST', '/calendars', file('在用日历'))).json();
    await transact(org.system, (t) => startClock(t, { subjectType: 'request', subjectId: 'X', kind: 'resolution', calendarId: cal.id, duration: 'P5D' }));
    const del = await api('DELETE', `/calendars/${cal.id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('conflict.in_use');
    const unknown = await api('POST', `/calendars/${cal.id}/holidays`, { years: [2027] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toContain('2027');
    const dur = await api('GET', `/calendars/${cal.id}/due?from=${encodeURIComponent('2026-03-02T09:00:00+08:00')}&duration=P1W`);
    expect(dur.statusCode).toBe(400);
    expect(dur.json().error.code).toBe('calendar.invalid_duration');
  });

  it('stores holiday data an administrator adds for a new year', async () => {
    const list = (await api('GET', '/holiday-years')).json();
    expect(list.map((y: { year: number }) => y.year)).toEqual([2025, 2026]);
    expect(list.every((y: { builtIn: boolean }) => y.builtIn)).toBe(true);
    const put = await api('PUT', '/holiday-years/2027', { source: '国务院办公厅通知（示例）', days: [{ date: '2027-01-01', kind: 'holiday', name: { 'zh-CN': '元旦', 'en-US': "New Year's Day" } }] });
    expect(put.statusCode).toBe(200);
    const wrongYear = await api('PUT', '/holiday-years/2027', { source: 'x', days: [{ date: '2026-05-01', kind: 'holiday', name: { 'zh-CN': '劳动节', 'en-US': 'Labour Day' } }] });
    expect(wrongYear.statusCode).toBe(400);
    const cal = (await api('POST', '/calendars', file('2027 日历'))).json();
    const applied = await api('POST', `/calendars/${cal.id}/holidays`, { years: [2027] });
    expect(applied.json().overrides['2027-01-01']).toEqual([]);
  });
});

describe('default calendar', () => {
  it('moves the default from one calendar to another, on create and on replace', async () => {
    const first = (await api('POST', '/calendars?isDefault=true', file('默认甲'))).json();
    const second = await api('POST', '/calendars?isDefault=true', file('默认乙'));
    expect(second.statusCode).toBe(201);
    const back = await api('PUT', `/calendars/${first.id}?isDefault=true`, file('默认甲'));
    expect(back.statusCode).toBe(200);
    const defaults = (await api('GET', '/calendars')).json().filter((c: { isDefault: boolean }) => c.isDefault);
    expect(defaults.map((c: { id: string }) => c.id)).toEqual([first.id]);
  });
});
