import { describe, expect, it } from 'vitest';
import { parseDuration } from '../calendars/calendar.js';
import { TemplateSummary, TimeLimitTarget, VersionContent, type Target } from './contracts.js';
import { instantiateTemplate, TEMPLATES, TemplateError, templateSummaries, type CommitmentTemplate } from './templates.js';

const byKey = (key: string): CommitmentTemplate => {
  const t = TEMPLATES.find((x) => x.key === key);
  if (!t) throw new Error(`no template ${key}`);
  return t;
};
const target = (targets: readonly Target[], key: string): Target => {
  const t = targets.find((x) => x.key === key);
  if (!t) throw new Error(`no target ${key}`);
  return t;
};
const timeLimit = (targets: readonly Target[], key: string): TimeLimitTarget => TimeLimitTarget.parse(target(targets, key));

/** `value` as a whole token: not part of a longer number. */
const token = (value: string | number): RegExp => new RegExp(`(^|[^\\d.])${String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\d.]|$)`);

/** The error `fn` throws, which must be a TemplateError. */
function templateError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

/** A signature or date line for the print view: only `label：____` / `label: ____`. */
const SIGNATURE_LINE = /^[^_\n]+[：:] ?____$/;

const MARKER_NUMBERS = [37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 13, 17, 19, 23, 29, 31, 11, 7, 9, 6, 8, 3, 4, 2, 4.3, 4.7, 3.3, 2.7];

describe('templates', () => {
  it('are the five source documents, one internal', () => {
    expect(TEMPLATES.map((t) => t.key)).toEqual(['service-attitude', 'efficient-response', 'online-offline', 'conduct-norms', 'improvement-agreement']);
    expect(TEMPLATES.filter((t) => t.internal).map((t) => t.key)).toEqual(['improvement-agreement']);
    expect(byKey('improvement-agreement').instantiate().partyType).toBe('individual');
    expect(byKey('service-attitude').instantiate().partyType).toBe('enterprise');
  });

  it('summaries follow the contract and carry every parameter with its default', () => {
    const summaries = templateSummaries();
    expect(summaries).toHaveLength(5);
    for (const s of summaries) {
      expect(TemplateSummary.parse(s)).toEqual(s);
      const t = byKey(s.key);
      expect(s.parameters.map((p) => p.key)).toEqual(t.parameters.map((p) => p.key));
      expect(s.parameters[0]).toMatchObject({ key: 'orgName', type: 'text', default: '本单位' });
      for (const p of s.parameters) {
        expect(p.label['zh-CN']).not.toBe('');
        expect(p.label['en-US']).toBeTruthy();
        expect(p.default).not.toBeNull();
        if (p.type === 'duration') expect(['分钟', '小时', '个工作日']).toContain(p.unit);
        if (p.type === 'percent') expect(p.unit).toBe('%');
      }
      expect(new Set(s.parameters.map((p) => p.key)).size).toBe(s.parameters.length);
    }
  });

  it('the summaries are copies', () => {
    const [first] = templateSummaries();
    first!.parameters[0]!.label['zh-CN'] = 'changed';
    expect(templateSummaries()[0]!.parameters[0]!.label['zh-CN']).toBe('承诺单位名称');
  });

  for (const t of TEMPLATES) {
    describe(t.key, () => {
      const content = t.instantiate();

      it('instantiates with the defaults into a complete, valid VersionContent', () => {
        expect(VersionContent.parse(content)).toEqual(content);
        expect(instantiateTemplate(t.key, {})).toEqual(content);
        expect(instantiateTemplate(t.key)).toEqual(content);
        expect(content.title).toBe(t.title);
        expect(content.bodyZh.startsWith(`# 本单位${t.title}`) || content.bodyZh.startsWith(`# ${t.title}`)).toBe(true);
        expect(content.bodyEn).toMatch(/^# /);
        expect(content.targets.length).toBeGreaterThan(0);
      });

      it('is pure: the same values give the same content', () => {
        const values = Object.fromEntries(t.parameters.map((p) => [p.key, p.default]));
        expect(t.instantiate(values)).toEqual(content);
        expect(t.instantiate(values)).not.toBe(t.instantiate(values));
      });

      it('gives every target a unique key and a bilingual name', () => {
        const keys = content.targets.map((x) => x.key);
        expect(new Set(keys).size).toBe(keys.length);
        for (const x of content.targets) {
          expect(x.name['zh-CN']).toMatch(/\p{Script=Han}/u);
          expect(x.name['en-US']).toMatch(/^[A-Z]/);
        }
      });

      it('writes durations the calendar understands, and the same quantities in the letter', () => {
        for (const x of content.targets) {
          if (x.kind !== 'time_limit') continue;
          const d = parseDuration(x.duration);
          const text =
            d.kind === 'workingDays'
              ? `${d.days} 个工作日`
              : d.ms % 3_600_000 === 0
                ? `${d.ms / 3_600_000} (个工作)?小时`
                : `${d.ms / 60_000} 分钟`;
          expect(content.bodyZh, `${x.key} ${x.duration}`).toMatch(new RegExp(`(^|[^\\d.])${text}`));
          if (x.remedy) expect(parseDuration(x.remedy.duration).kind).toBe('workingDays');
        }
      });

      it('states every rate threshold in the letter', () => {
        for (const x of content.targets) {
          if (x.kind !== 'rate') continue;
          expect(content.bodyZh, x.key).toMatch(token(x.threshold));
          if (x.scale !== null) expect(content.bodyZh, x.key).toMatch(token(x.scale));
          if (x.metric === 'satisfaction_rate' || x.metric.endsWith('_rate')) expect(content.bodyZh, x.key).toContain(`${x.threshold}%`);
        }
      });

      it('leaves no blanks except the signature and date lines, which close the letter', () => {
        for (const body of [content.bodyZh, content.bodyEn ?? '']) {
          const lines = body.split('\n');
          const blankLines = lines.filter((l) => l.includes('__'));
          expect(blankLines.length).toBeGreaterThanOrEqual(3);
          for (const l of blankLines) expect(l).toMatch(SIGNATURE_LINE);
          const firstBlank = lines.findIndex((l) => l.includes('__'));
          expect(lines.slice(0, firstBlank).some((l) => /^## (签署|Signatures)$/.test(l))).toBe(true);
          expect(body).not.toMatch(/\[[^\]]*(姓名|名称|X|Y|Z)\]|\bundefined\b|\bNaN\b|\[object/);
        }
        expect(content.bodyZh).toMatch(/日期：____\n$/);
        expect(content.bodyEn).toMatch(/Date: ____\n$/);
      });

      it('puts every parameter into both bodies', () => {
        const base = t.instantiate();
        for (const p of t.parameters) {
          if (p.type === 'text') {
            const c = t.instantiate({ [p.key]: '标记Marker' });
            expect(c.bodyZh, p.key).toContain('标记Marker');
            expect(c.bodyEn, p.key).toContain('标记Marker');
            continue;
          }
          const marker = MARKER_NUMBERS.find((n) => {
            if (token(n).test(base.bodyZh) || token(n).test(base.bodyEn ?? '')) return false;
            try {
              t.instantiate({ [p.key]: n });
              return true;
            } catch {
              return false;
            }
          });
          expect(marker, `a marker value for ${p.key}`).toBeDefined();
          const c = t.instantiate({ [p.key]: marker! });
          expect(c.bodyZh, `${p.key}=${marker}`).toMatch(token(marker!));
          expect(c.bodyEn, `${p.key}=${marker}`).toMatch(token(marker!));
          expect(VersionContent.parse(c)).toEqual(c);
        }
      });

      it('accepts numeric text and treats an empty value as the default', () => {
        const numeric = t.parameters.find((p) => p.type !== 'text')!;
        expect(t.instantiate({ [numeric.key]: ` ${String(numeric.default)} ` })).toEqual(content);
        expect(t.instantiate({ [numeric.key]: '', orgName: '  ' })).toEqual(content);
      });

      it('refuses values of the wrong type, out of range, or for unknown parameters, naming the parameter', () => {
        for (const p of t.parameters) {
          const bad = p.type === 'text' ? [42, 'x'.repeat(p.max + 1), '换\n行'] : ['abc', -1, p.max + 1, '1e3', Number.NaN, Number.POSITIVE_INFINITY];
          for (const value of bad) {
            const e = templateError(() => instantiateTemplate(t.key, { [p.key]: value }));
            expect(e.code).toBe('template.invalid_value');
            expect(e.message).toContain(p.key);
            expect(e.params).toMatchObject({ template: t.key, parameter: p.key });
          }
          if (p.integer) {
            const e = templateError(() => t.instantiate({ [p.key]: p.min + 0.5 }));
            expect(e.message).toContain(p.key);
          }
        }
        const e = templateError(() => instantiateTemplate(t.key, { noSuchParameter: 1 }));
        expect(e.code).toBe('template.invalid_value');
        expect(e.message).toContain('noSuchParameter');
        expect(templateError(() => instantiateTemplate(t.key, { constructor: 1 })).message).toContain('constructor');
      });
    });
  }

  it('refuses an unknown template', () => {
    const e = templateError(() => instantiateTemplate('no-such-template', {}));
    expect(e.code).toBe('template.unknown');
    expect(e.message).toContain('no-such-template');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('TemplateError');
  });
});

describe('service-attitude', () => {
  const c = instantiateTemplate('service-attitude', {});

  it('splits first response by channel and files complaints under their own clocks', () => {
    expect(timeLimit(c.targets, 'first-response.phone')).toMatchObject({ duration: 'PT3M', appliesTo: { channels: ['phone'] } });
    expect(timeLimit(c.targets, 'first-response.online')).toMatchObject({ duration: 'PT5M', appliesTo: { channels: ['chat', 'web', 'app', 'social'] } });
    expect(timeLimit(c.targets, 'initial-response')).toMatchObject({ duration: 'PT4H', appliesTo: { channels: ['email', 'walk_in'] } });
    expect(timeLimit(c.targets, 'initial-response.max')).toMatchObject({ duration: 'PT24H', complianceGoal: 100 });
    expect(timeLimit(c.targets, 'complaint.registration')).toMatchObject({ start: 'complaint.received', stop: 'complaint.registered', duration: 'PT2H', appliesTo: { requestTypes: ['complaint'] } });
    expect(timeLimit(c.targets, 'complaint.resolution')).toMatchObject({ start: 'complaint.received', stop: 'resolved', duration: 'P5D', appliesTo: { requestTypes: ['complaint'] } });
    expect(timeLimit(c.targets, 'resolution').appliesTo.requestTypes).not.toContain('complaint');
    expect(c.bodyZh).toContain('3 分钟内响应');
    expect(c.bodyZh).toContain('本承诺的履行主体为本单位和经其授权的各分支机构');
    expect(c.bodyZh).toContain('客户服务部负责本承诺');
  });

  it('turns the delay explanation into the resolution target’s remedy', () => {
    const c2 = instantiateTemplate('service-attitude', { resolutionWorkingDays: 7, delayNoticeWorkingDays: 2 });
    expect(timeLimit(c2.targets, 'resolution')).toMatchObject({ duration: 'P7D', remedy: { kind: 'other', duration: 'P2D' } });
    expect(c2.bodyZh).toContain('7 个工作日内处理到位');
    expect(c2.bodyZh).toContain('期满后 2 个工作日内');
  });

  it('measures satisfaction as a score on its scale, completion and training as rates', () => {
    const c2 = instantiateTemplate('service-attitude', { satisfactionScore: '92', satisfactionScale: 100, completionRate: 99.5, trainingHoursPerQuarter: 12 });
    expect(target(c2.targets, 'satisfaction')).toMatchObject({ kind: 'rate', metric: 'satisfaction_score', period: 'quarter', comparator: '>=', threshold: 92, scale: 100 });
    expect(target(c2.targets, 'completion-rate')).toMatchObject({ metric: 'service_completion_rate', period: 'year', threshold: 99.5, scale: null });
    expect(target(c2.targets, 'training-hours')).toMatchObject({ metric: 'training_hours_per_agent', period: 'quarter', threshold: 12 });
    expect(c2.bodyZh).toContain('平均得分不低于 92 分（满分 100 分）');
    expect(c2.bodyZh).toContain('99.5% 以上');
  });

  it('refuses inconsistent pairs, naming the parameter', () => {
    expect(templateError(() => instantiateTemplate('service-attitude', { satisfactionScore: 6 })).message).toContain('satisfactionScore');
    expect(templateError(() => instantiateTemplate('service-attitude', { initialResponseHours: 30 })).message).toContain('complexResponseHours');
    expect(templateError(() => instantiateTemplate('service-attitude', { completionRate: 101 })).message).toContain('completionRate');
    expect(templateError(() => instantiateTemplate('service-attitude', { phoneResponseMinutes: -5 })).message).toContain('phoneResponseMinutes');
    expect(templateError(() => instantiateTemplate('service-attitude', { phoneResponseMinutes: 0 })).message).toContain('phoneResponseMinutes');
  });
});

describe('efficient-response', () => {
  const c = instantiateTemplate('efficient-response', {});

  it('uses the source numbers as defaults: 5 min, 30 min, 2 working hours, 30 min urgent, 2 h special team', () => {
    expect(timeLimit(c.targets, 'first-response')).toMatchObject({ start: 'request.registered', stop: 'first_response', duration: 'PT5M', appliesTo: { channels: ['phone', 'chat', 'app', 'social'] } });
    expect(timeLimit(c.targets, 'initial-solution')).toMatchObject({ stop: 'initial_solution', duration: 'PT30M' });
    expect(timeLimit(c.targets, 'response.general')).toMatchObject({ duration: 'PT2H', appliesTo: { priorities: ['general'] } });
    expect(timeLimit(c.targets, 'response.urgent')).toMatchObject({ duration: 'PT30M', appliesTo: { priorities: ['urgent', 'major'] } });
    expect(c.bodyZh).toContain('5 分钟内首次响应');
    expect(c.bodyZh).toContain('30 分钟内给出初步解决方案');
    expect(c.bodyZh).toContain('2 个工作小时内');
    expect(c.bodyZh).toContain('登记—分析—处理—反馈—归档');
    expect(c.bodyZh).toContain('7×24');
  });

  it('the special team’s emergency response counts from escalation, for major complaints and urgent faults', () => {
    const e = timeLimit(c.targets, 'emergency-response');
    expect(e).toMatchObject({ start: 'request.escalated', stop: 'emergency_response', duration: 'PT2H' });
    expect(e.appliesTo).toEqual({ channels: [], requestTypes: ['complaint', 'urgent_fault'], priorities: ['major'], customerFlags: [] });
    expect(c.bodyZh).toContain('专项小组在升级后 2 小时内启动应急响应');
  });

  it('changing a duration changes the letter and the target together', () => {
    const c2 = instantiateTemplate('efficient-response', { firstResponseMinutes: 7, emergencyResponseHours: '3' });
    expect(timeLimit(c2.targets, 'first-response').duration).toBe('PT7M');
    expect(c2.bodyZh).toContain('7 分钟内首次响应');
    expect(c2.bodyZh).not.toContain('5 分钟内首次响应');
    expect(c2.bodyEn).toContain('first response within 7 minutes');
    expect(timeLimit(c2.targets, 'emergency-response').duration).toBe('PT3H');
    expect(c2.bodyZh).toContain('升级后 3 小时内');
  });

  it('the monthly response compliance rate is both a rate target and the clocks’ compliance goal', () => {
    const c2 = instantiateTemplate('efficient-response', { responseComplianceRate: 97 });
    expect(target(c2.targets, 'response-compliance')).toMatchObject({ metric: 'response_compliance_rate', period: 'month', threshold: 97 });
    for (const key of ['first-response', 'initial-solution', 'response.general', 'response.urgent']) expect(timeLimit(c2.targets, key).complianceGoal).toBe(97);
    expect(target(c2.targets, 'faq-entries')).toMatchObject({ metric: 'faq_entries', period: 'month', threshold: 20 });
  });

  it('refuses an initial solution due before the first response', () => {
    const e = templateError(() => instantiateTemplate('efficient-response', { firstResponseMinutes: 45 }));
    expect(e.code).toBe('template.invalid_value');
    expect(e.message).toContain('initialSolutionMinutes');
  });
});

describe('online-offline', () => {
  const c = instantiateTemplate('online-offline', {});

  it('gives elderly, disabled and VIP customers a green-channel clock', () => {
    expect(timeLimit(c.targets, 'green-channel')).toMatchObject({ duration: 'PT5M', appliesTo: { channels: [], customerFlags: ['elderly', 'disabled', 'vip'] } });
    expect(c.bodyZh).toContain('老年人、残障人士和 VIP 客户');
  });

  it('counts complaint replies and results in working days', () => {
    const c2 = instantiateTemplate('online-offline', { complaintInitialWorkingDays: 2, complaintResultWorkingDays: 10 });
    expect(timeLimit(c2.targets, 'complaint.initial-reply')).toMatchObject({ start: 'complaint.registered', stop: 'first_response', duration: 'P2D', appliesTo: { requestTypes: ['complaint'] } });
    expect(timeLimit(c2.targets, 'complaint.result')).toMatchObject({ stop: 'result.delivered', duration: 'P10D' });
    expect(c2.bodyZh).toContain('2 个工作日内给予初步回复，10 个工作日内查清情况');
    expect(templateError(() => instantiateTemplate('online-offline', { complaintInitialWorkingDays: 6 })).message).toContain('complaintResultWorkingDays');
  });

  it('measures counter waiting and quarterly satisfaction as rates', () => {
    expect(target(c.targets, 'counter-waiting')).toMatchObject({ kind: 'rate', metric: 'offline_waiting_minutes', comparator: '<=', threshold: 15, appliesTo: { channels: ['walk_in'] } });
    expect(target(c.targets, 'satisfaction')).toMatchObject({ metric: 'satisfaction_rate', period: 'quarter', threshold: 95, scale: null });
    expect(timeLimit(c.targets, 'first-response.online-urgent').appliesTo.priorities).toEqual(['urgent', 'major']);
    expect(c.bodyZh).toContain('内部评估、部门联席会议讨论和决策机构审批');
  });
});

describe('conduct-norms', () => {
  it('gives each step of the process its time limit; the result is due handling + feedback days after registration', () => {
    const c = instantiateTemplate('conduct-norms', { handlingWorkingDays: 4, feedbackWorkingDays: 2 });
    expect(c.targets.filter((x) => x.kind === 'time_limit').map((x) => x.key)).toEqual(['reception', 'consultation', 'acceptance', 'handling', 'result-feedback']);
    expect(timeLimit(c.targets, 'handling').duration).toBe('P4D');
    expect(timeLimit(c.targets, 'result-feedback')).toMatchObject({ stop: 'result.delivered', duration: 'P6D' });
    expect(timeLimit(c.targets, 'consultation').appliesTo.requestTypes).toEqual(['consultation']);
    expect(c.bodyZh).toContain('办结后 2 个工作日内将结果告知客户，即自登记起不超过 6 个工作日');
    expect(c.bodyZh).toContain('接待—咨询—受理—办理—结果反馈');
    expect(c.bodyZh).toContain('“您好”“请”“谢谢”“对不起”“再见”');
    expect(target(c.targets, 'callback-rate')).toMatchObject({ metric: 'callback_rate', threshold: 20 });
  });
});

describe('improvement-agreement', () => {
  it('is internal, signed by both sides, and turns the goals into measurable targets', () => {
    const t = byKey('improvement-agreement');
    expect(t.internal).toBe(true);
    expect(templateSummaries().find((s) => s.key === t.key)?.internal).toBe(true);
    const c = instantiateTemplate(t.key, { agentName: '张三', baselineComplaintsPerMonth: 6, complaintReductionPercent: 50 });
    expect(c.bodyZh).toContain('乙方（服务人员）：张三（岗位：客服专员）');
    expect(c.bodyZh).toContain('由目前的平均 3.8 分提升至 4.5 分以上（满分 5 分）');
    expect(c.bodyZh).toContain('月均 6 件减少 50%，即每月不超过 3 件');
    for (const m of ['第 1 个月末', '第 3 个月末', '第 6 个月末']) expect(c.bodyZh).toContain(m);
    expect(c.bodyZh).toContain('提出异议');
    expect(c.bodyZh).toContain('乙方（签字）：____');
    expect(target(c.targets, 'attitude-satisfaction')).toMatchObject({ metric: 'satisfaction_score', period: 'half_year', threshold: 4.5, scale: 5 });
    expect(target(c.targets, 'attitude-complaints')).toMatchObject({ metric: 'complaint_count', period: 'month', comparator: '<=', threshold: 3 });
  });

  it('refuses a target below the current score or above the scale', () => {
    expect(templateError(() => instantiateTemplate('improvement-agreement', { targetSatisfaction: 3 })).message).toContain('targetSatisfaction');
    expect(templateError(() => instantiateTemplate('improvement-agreement', { targetSatisfaction: 5.5 })).message).toContain('targetSatisfaction');
    expect(templateError(() => instantiateTemplate('improvement-agreement', { complaintReductionPercent: 0 })).message).toContain('complaintReductionPercent');
  });
});

describe('text values', () => {
  it('name the organization in the title and both bodies, escaped for Markdown', () => {
    const c = instantiateTemplate('efficient-response', { orgName: '某市*供水*公司' });
    expect(c.title).toBe('某市*供水*公司用户服务高效响应承诺书');
    expect(c.bodyZh).toContain('# 某市\\*供水\\*公司用户服务高效响应承诺书');
    expect(c.bodyEn).toContain('All staff of 某市\\*供水\\*公司 commit');
    expect(instantiateTemplate('efficient-response', {}).bodyEn).toContain('All staff of the Organization commit');
    expect(instantiateTemplate('service-attitude', {}).bodyEn).toContain('\nThe Organization commits');
  });

  it('cannot smuggle a blank in', () => {
    const c = instantiateTemplate('service-attitude', { responsibleDepartment: '__' });
    expect(c.bodyZh.split('\n').filter((l) => l.includes('__')).every((l) => SIGNATURE_LINE.test(l))).toBe(true);
  });
});
