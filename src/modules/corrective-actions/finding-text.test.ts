import { describe, expect, it } from 'vitest';
import { findingText } from './finding-text.js';

describe('finding text', () => {
  it('is written in the organization language, sources and levels by name', () => {
    expect(findingText('zh-CN', { kind: 'bad_rating', level: 2, source: 'portal', comment: '等了好久' })).toBe('客户评价“不满意”（门户确认）：等了好久');
    expect(findingText('en-US', { kind: 'bad_rating', level: 1, source: 'survey', comment: null })).toBe('Customer rated "very dissatisfied" (survey)');
    expect(findingText('zh-CN', { kind: 'breach', number: '20261123000001', clock: '首次响应', dueLocal: '2026-11-23 11:00' })).toBe('工单 20261123000001 的“首次响应”时限已于 2026-11-23 11:00 超时');
    expect(findingText('en-US', { kind: 'cluster', category: 'Billing', windowDays: 30, count: 3 })).toBe('Category "Billing" drew 3 complaints within 30 days (concentrated problem)');
    expect(findingText('zh-CN', { kind: 'complaint', subject: '装维迟到', note: '经核实属实' })).toBe('投诉属实：装维迟到。经核实属实');
  });
});
