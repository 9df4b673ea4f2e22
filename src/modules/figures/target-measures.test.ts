import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateMetric, RateTarget, TimeLimitTarget, type Scope } from '../commitments/contracts.js';
import { INDICATORS } from './definitions.js';
import { measureOf, met, METRIC_INDICATOR, selectorOf, targetFigure } from './target-measures.js';

const WHOLE: Scope = { branchIds: [], departmentIds: [], channels: [] };
const rate = (extra: Record<string, unknown>) => RateTarget.parse({ kind: 'rate', key: 'k', name: { 'zh-CN': '指标' }, metric: 'service_completion_rate', period: 'month', comparator: '>=', threshold: 90, ...extra });
const limit = (extra: Record<string, unknown> = {}) =>
  TimeLimitTarget.parse({ kind: 'time_limit', key: 'first-response', name: { 'zh-CN': '首次响应' }, start: 'request.registered', stop: 'first_response', duration: 'PT30M', ...extra });

describe('which indicator measures a target', () => {
  it('maps every rate metric to a defined indicator or to nothing (no data source here)', () => {
    const ids = new Set(INDICATORS.map((d) => d.id));
    for (const metric of RateMetric.options) {
      const indicator = METRIC_INDICATOR[metric];
      if (indicator !== null) expect(ids, metric).toContain(indicator);
    }
    expect(METRIC_INDICATOR.response_compliance_rate).toBe('first_response_compliance');
    expect(METRIC_INDICATOR.average_response_seconds).toBe('first_response_time');
    expect(METRIC_INDICATOR.complaint_handling_days).toBe('complaint_handling_days');
    for (const m of ['training_hours_per_agent', 'offline_waiting_minutes', 'faq_entries', 'polite_phrase_rate'] as const) {
      expect(measureOf(WHOLE, rate({ metric: m }))).toMatchObject({ indicator: null, selector: null, unmeasured: 'no_source' });
    }
  });

  it('time limits: compliance of their own target key against the compliance goal, over all their clocks', () => {
    expect(measureOf(WHOLE, limit({ complianceGoal: 95, appliesTo: { channels: ['phone'] } }))).toEqual({
      kind: 'time_limit', indicator: 'target_compliance', targetKey: 'first-response', comparator: '>=', threshold: 95, unit: 'percent', selector: { dim: 'org', values: [''] }, unmeasured: null,
    });
    expect(measureOf(WHOLE, limit())).toMatchObject({ threshold: null });
    expect(measureOf({ ...WHOLE, branchIds: ['b1'] }, limit(), 'b2')).toMatchObject({ selector: { dim: 'branch', values: ['b2'] } });
  });

  it('rate targets: units, the satisfaction scale, the comparator and threshold as written', () => {
    expect(measureOf(WHOLE, rate({ metric: 'complaint_count', comparator: '<=', threshold: 3 }))).toMatchObject({ indicator: 'complaint_count', unit: 'count', comparator: '<=', threshold: 3, targetKey: null });
    expect(measureOf(WHOLE, rate({ metric: 'satisfaction_score', threshold: 4.5 }))).toMatchObject({ unit: 'score5' });
    expect(measureOf(WHOLE, rate({ metric: 'satisfaction_score', threshold: 90, scale: 100 }))).toMatchObject({ unit: 'score100' });
    expect(measureOf(WHOLE, rate({ metric: 'complaint_handling_days', comparator: '<=', threshold: 5 }))).toMatchObject({ unit: 'working_days' });
    expect(measureOf(WHOLE, rate({ metric: 'average_response_seconds', comparator: '<=', threshold: 60 }))).toMatchObject({ unit: 'seconds', indicator: 'first_response_time' });
  });

  it('limits of one dimension are summed over that dimension; two at once, departments, priorities or flags are not measurable', () => {
    expect(selectorOf(WHOLE, rate({ appliesTo: { channels: ['walk_in', 'phone'] } }), null)).toEqual({ selector: { dim: 'channel', values: ['walk_in', 'phone'] }, unmeasured: null });
    expect(selectorOf({ ...WHOLE, channels: ['phone', 'web'] }, rate({ appliesTo: { channels: ['web', 'email'] } }), null).selector).toEqual({ dim: 'channel', values: ['web'] });
    expect(selectorOf(WHOLE, rate({ appliesTo: { requestTypes: ['complaint'] } }), null).selector).toEqual({ dim: 'type', values: ['complaint'] });
    expect(selectorOf({ ...WHOLE, branchIds: ['b1', 'b2'] }, rate({}), null).selector).toEqual({ dim: 'branch', values: ['b1', 'b2'] });
    expect(selectorOf({ ...WHOLE, branchIds: ['b1', 'b2'] }, rate({}), 'b2').selector).toEqual({ dim: 'branch', values: ['b2'] });
    expect(selectorOf({ ...WHOLE, branchIds: ['b1'] }, rate({}), 'b3').selector).toEqual({ dim: 'branch', values: [] });
    expect(selectorOf(WHOLE, rate({}), 'b3').selector).toEqual({ dim: 'branch', values: ['b3'] });
    expect(selectorOf(WHOLE, rate({}), null).selector).toEqual({ dim: 'org', values: [''] });
    const cases: [Scope, ReturnType<typeof rate>, string | null][] = [
      [WHOLE, rate({ appliesTo: { channels: ['phone'], requestTypes: ['complaint'] } }), null],
      [{ ...WHOLE, channels: ['phone'] }, rate({}), 'b1'],
      [{ ...WHOLE, departmentIds: ['d'] }, rate({}), null],
      [WHOLE, rate({ appliesTo: { priorities: ['urgent'] } }), null],
      [WHOLE, rate({ appliesTo: { customerFlags: ['elderly'] } }), null],
    ];
    for (const [scope, target, branch] of cases) {
      expect(selectorOf(scope, target, branch)).toEqual({ selector: null, unmeasured: 'filter' });
    }
  });
});

describe('figure and met', () => {
  it('reads the figure of its own target key (time limits) or the indicator (rates); scales satisfaction scores', () => {
    const t = limit({ complianceGoal: 90 });
    const values = [{ target: 'first-response', figure: 92 }, { target: 'resolution', figure: 50 }];
    expect(targetFigure(t, measureOf(WHOLE, t), values)).toBe(92);
    expect(targetFigure(t, measureOf(WHOLE, t), [{ target: 'resolution', figure: 50 }])).toBeNull();
    const r = rate({});
    expect(targetFigure(r, measureOf(WHOLE, r), [{ target: null, figure: 97.5 }])).toBe(97.5);
    expect(targetFigure(r, measureOf(WHOLE, r), [])).toBeNull();
    const s100 = rate({ metric: 'satisfaction_score', scale: 100 });
    expect(targetFigure(s100, measureOf(WHOLE, s100), [{ target: null, figure: 4.6 }])).toBeCloseTo(90, 10);
    const s5 = rate({ metric: 'satisfaction_score', scale: 5 });
    expect(targetFigure(s5, measureOf(WHOLE, s5), [{ target: null, figure: 4.6 }])).toBe(4.6);
    const s10 = rate({ metric: 'satisfaction_score', scale: 10 });
    expect(targetFigure(s10, measureOf(WHOLE, s10), [{ target: null, figure: 5 }])).toBe(10);
    const none = rate({ metric: 'faq_entries' });
    expect(targetFigure(none, measureOf(WHOLE, none), [{ target: null, figure: 3 }])).toBeNull();
  });

  it('met: at the threshold counts as met on either side; nothing measured or no goal is null', () => {
    expect(met(95, '>=', 95)).toBe(true);
    expect(met(94.99, '>=', 95)).toBe(false);
    expect(met(5, '<=', 5)).toBe(true);
    expect(met(5.01, '<=', 5)).toBe(false);
    expect(met(null, '>=', 95)).toBeNull();
    expect(met(100, '>=', null)).toBeNull();
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), (f, t) => {
        expect(met(f, '>=', t)).toBe(!(f < t));
        expect(met(f, '<=', t)).toBe(!(f > t));
        if (f !== t) expect(met(f, '>=', t)).not.toBe(met(f, '<=', t));
      }),
    );
  });
});
