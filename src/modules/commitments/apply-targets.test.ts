import { describe, expect, it } from 'vitest';
import { transact } from '../../core/context.js';
import { buildOrg, buildStaff } from '../../test/harness.js';
import { applyHolidayYears, createCalendar } from '../calendars/service.js';
import { applyTargets, reapplyTargets } from './apply-targets.js';
import { RequestFacts } from './contracts.js';
import * as S from './service.js';

const office = [['09:00', '12:00'], ['13:30', '18:00']];

describe('applyTargets', () => {
  it('starts a clock per matching target of the versions in force, on the right calendar, and keeps the pinned versions', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    const manager = await buildStaff(org, 'manager', { scope: 'organization' });
    const supervisor = await buildStaff(org, 'supervisor', { scope: 'organization' });
    const cal = await createCalendar(admin.ctx, { name: '办公', timeZone: 'Asia/Shanghai', week: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] }, overrides: {} });
    await applyHolidayYears(admin.ctx, cal.id, { years: [2026] });
    const hotline = await createCalendar(admin.ctx, { name: '7×24', timeZone: 'Asia/Shanghai', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])), overrides: {} }, { holidayRegion: null });
    const v = await S.createCommitment(manager.ctx, {
      number: 'T-1', title: '承诺', bodyZh: '正文',
      targets: [
        { kind: 'time_limit', key: 'first-response', name: { 'zh-CN': '首次响应' }, start: 'request.registered', stop: 'first_response', duration: 'PT5M', calendarId: hotline.id },
        { kind: 'time_limit', key: 'complaint-result', name: { 'zh-CN': '投诉处理' }, start: 'request.registered', stop: 'resolved', duration: 'P5D', appliesTo: { requestTypes: ['complaint'] } },
        { kind: 'time_limit', key: 'emergency', name: { 'zh-CN': '应急响应' }, start: 'request.escalated', stop: 'emergency_response', duration: 'PT2H', appliesTo: { priorities: ['major'] } },
      ],
    });
    await S.submitForReview(manager.ctx, v.id);
    await S.decideStep(supervisor.ctx, v.id, 'internal_evaluation', { decision: 'approved' });
    await S.decideStep(manager.ctx, v.id, 'joint_meeting', { decision: 'approved' });
    await S.decideStep(admin.ctx, v.id, 'decision_body', { decision: 'approved' });
    await S.publishVersion(admin.ctx, v.id);

    const at = new Date('2026-09-30T10:00:00+08:00');
    const facts = RequestFacts.parse({ type: 'complaint', priority: 'major', channel: 'phone' });
    const registered = await transact(org.system, (t) => applyTargets(t, { subjectType: 'request', subjectId: 'Q1', facts, event: 'request.registered', at }));
    expect(registered.versionIds).toEqual([v.id]);
    const byKey = Object.fromEntries(registered.clocks.map((c) => [c.clock.targetKey, c.clock]));
    expect(Object.keys(byKey).sort()).toEqual(['complaint-result', 'first-response']);
    expect(byKey['first-response']).toMatchObject({ kind: 'first_response', calendarId: hotline.id, dueAt: new Date('2026-09-30T10:05:00+08:00').toISOString(), commitmentVersionId: v.id });
    // Five working days after 9/30 skip National Day: 10/8, 10/9, 10/10 (make-up Saturday), 10/12, 10/13.
    expect(byKey['complaint-result']).toMatchObject({ calendarId: cal.id, dueAt: new Date('2026-10-13T18:00:00+08:00').toISOString() });
    expect(byKey['complaint-result']!.label).toBe('T-1 v1 · 投诉处理');

    // Escalation starts the special team's clock, on the pinned versions.
    const escalated = await transact(org.system, (t) => applyTargets(t, { subjectType: 'request', subjectId: 'Q1', facts, event: 'request.escalated', pinnedVersionIds: registered.versionIds, at }));
    expect(escalated.clocks.map((c) => c.clock.targetKey)).toEqual(['emergency']);

    // Reclassified as a consultation: the complaint clock is cancelled, the others stay; back again restarts it from registration.
    const consultation = RequestFacts.parse({ type: 'consultation', priority: 'general', channel: 'phone' });
    const happened = [{ event: 'request.registered' as const, at }];
    const changed = await transact(org.system, (t) => reapplyTargets(t, { subjectType: 'request', subjectId: 'Q1', facts: consultation, pinnedVersionIds: registered.versionIds, happened }));
    expect(changed.started).toEqual([]);
    expect(changed.cancelled.map((c) => c.targetKey).sort()).toEqual(['complaint-result', 'emergency']);
    const back = await transact(org.system, (t) => reapplyTargets(t, { subjectType: 'request', subjectId: 'Q1', facts, pinnedVersionIds: registered.versionIds, happened }));
    expect(back.started.map((c) => [c.clock.targetKey, c.clock.dueAt])).toEqual([['complaint-result', new Date('2026-10-13T18:00:00+08:00').toISOString()]]);
    expect(back.cancelled).toEqual([]);
  });
});
