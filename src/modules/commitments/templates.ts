/**
 * Commitment templates (承诺书模板): five starting points modelled on the documents organizations publish, with
 * their blanks turned into typed parameters. `instantiate` is pure: it checks the values, fills the defaults and
 * writes, from the same values, the zh-CN letter (Markdown), a shorter English rendering and the measurable
 * targets — so the letter and the clocks can never disagree.
 *
 * Conventions of the generated targets
 * - Minute and hour limits are business time (`PT5M`, `PT2H`) and working-day limits are `P{n}D`, all on the
 *   organization's default calendar (`calendarId: null`); the letter says so in its "计时规则" paragraph.
 * - Every limit counts from registration (`request.registered`, `complaint.registered`) unless the letter says
 *   otherwise (complaint registration counts from `complaint.received`, the special team from `request.escalated`).
 * - "Online" channels are chat, web, app and social; "real-time" channels are phone, chat, app and social.
 *
 * The texts are the product's own wording; the source documents gave the structure and the parameters.
 */
import type { z } from 'zod';
import type {
  AppliesTo,
  Channel,
  RateTarget,
  StartEvent,
  StopEvent,
  Target,
  TemplateParameter,
  TemplateSummary,
  TimeLimitTarget,
  VersionContent,
} from './contracts.js';

// ---------------------------------------------------------------------------------------------------------------
// Public shapes
// ---------------------------------------------------------------------------------------------------------------

export type TemplateKey = 'service-attitude' | 'efficient-response' | 'online-offline' | 'conduct-norms' | 'improvement-agreement';
export type TemplateValues = Readonly<Record<string, string | number>>;
export type TemplateSummaryShape = z.infer<typeof TemplateSummary>;

/** A template parameter as shown to the admin, plus the limits `instantiate` enforces. */
export type TemplateParameterSpec = z.infer<typeof TemplateParameter> & {
  readonly default: string | number;
  /** Numbers: inclusive bounds; text: bounds on the length. */
  readonly min: number;
  readonly max: number;
  /** Numbers: whole numbers only (every duration is). */
  readonly integer: boolean;
  /** Text: what the English body shows while the value is still the (Chinese) default. */
  readonly defaultEn: string | null;
};

export interface CommitmentTemplate {
  readonly key: TemplateKey;
  readonly title: string;
  readonly titleEn: string;
  readonly description: string;
  readonly descriptionEn: string;
  /** Internal (the improvement agreement): never published to customers. */
  readonly internal: boolean;
  readonly parameters: readonly TemplateParameterSpec[];
  /** Checks the values (see {@link instantiateTemplate}) and writes the version content. Pure. */
  instantiate(values?: TemplateValues): VersionContent;
}

export type TemplateErrorCode = 'template.unknown' | 'template.invalid_value';

/** The templates' one error type: a machine-readable `code`, an English message naming the template or parameter. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters and values
// ---------------------------------------------------------------------------------------------------------------

type ParamType = TemplateParameterSpec['type'];

interface ParamOptions {
  min?: number;
  max?: number;
  integer?: boolean;
  defaultEn?: string;
}

function param(key: string, type: ParamType, zh: string, en: string, def: string | number, unit: string | null, o: ParamOptions = {}): TemplateParameterSpec {
  const isText = type === 'text';
  return {
    key,
    label: { 'zh-CN': zh, 'en-US': en },
    type,
    default: def,
    unit,
    min: o.min ?? (isText ? 1 : type === 'duration' ? 1 : 0),
    max: o.max ?? (isText ? 60 : type === 'percent' ? 100 : 100_000),
    integer: o.integer ?? type === 'duration',
    defaultEn: o.defaultEn ?? null,
  };
}

const ORG = param('orgName', 'text', '承诺单位名称', 'Organization name', '本单位', null, { defaultEn: 'the Organization' });
const minutes = (key: string, zh: string, en: string, def: number, max = 1440): TemplateParameterSpec => param(key, 'duration', zh, en, def, '分钟', { max });
const hours = (key: string, zh: string, en: string, def: number, max = 720): TemplateParameterSpec => param(key, 'duration', zh, en, def, '小时', { max });
const workingDays = (key: string, zh: string, en: string, def: number, max = 60): TemplateParameterSpec => param(key, 'duration', zh, en, def, '个工作日', { max });
const percent = (key: string, zh: string, en: string, def: number, min = 0): TemplateParameterSpec => param(key, 'percent', zh, en, def, '%', { min });
const count = (key: string, zh: string, en: string, def: number, unit: string, max = 10_000): TemplateParameterSpec =>
  param(key, 'number', zh, en, def, unit, { min: 1, max, integer: true });

const NUMERIC_TEXT = /^[+-]?\d+(?:\.\d+)?$/;

/** Checked values with typed access and the Markdown/number formatting the bodies use. */
class Values {
  constructor(
    private readonly template: TemplateKey,
    private readonly specs: ReadonlyMap<string, TemplateParameterSpec>,
    private readonly values: ReadonlyMap<string, string | number>,
  ) {}

  /** A number parameter. */
  n(key: string): number {
    const v = this.values.get(key);
    if (typeof v !== 'number') throw new Error(`template ${this.template}: ${key} is not a number parameter`);
    return v;
  }

  /** A number parameter formatted for the text (`4.5`, `95`). */
  f(key: string): string {
    return fmt(this.n(key));
  }

  /** A text parameter as entered (for plain-text fields such as the title). */
  plain(key: string): string {
    const v = this.values.get(key);
    if (typeof v !== 'string') throw new Error(`template ${this.template}: ${key} is not a text parameter`);
    return v;
  }

  /** A text parameter, escaped for Markdown, for the Chinese body. */
  zh(key: string): string {
    return md(this.plain(key));
  }

  /** A text parameter for the English body: its English stand-in while it still holds the Chinese default. */
  en(key: string): string {
    const spec = this.specs.get(key);
    const v = this.values.get(key);
    if (typeof v !== 'string' || !spec) throw new Error(`template ${this.template}: ${key} is not a text parameter`);
    return spec.defaultEn !== null && v === spec.default ? spec.defaultEn : md(v);
  }

  /** Throws the invalid-value error for a cross-field rule. */
  refuse(key: string, rule: string): never {
    throw invalid(this.template, key, this.values.get(key) ?? '', rule);
  }
}

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function md(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, '\\$&');
}

function invalid(template: string, key: string, value: unknown, rule: string): TemplateError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new TemplateError('template.invalid_value', `template ${template}: parameter ${key} ${rule} (got ${shown})`, {
    template,
    parameter: key,
    value: typeof value === 'number' || typeof value === 'string' ? value : String(value),
  });
}

function checkValue(template: TemplateKey, spec: TemplateParameterSpec, raw: unknown): string | number {
  const { key } = spec;
  if (spec.type === 'text') {
    if (typeof raw !== 'string') throw invalid(template, key, raw, 'must be text');
    const text = raw.trim();
    if (text.length < spec.min || text.length > spec.max) throw invalid(template, key, raw, `must be ${spec.min} to ${spec.max} characters long`);
    if (/\p{Cc}/u.test(text)) throw invalid(template, key, raw, 'must be a single line without control characters');
    return text;
  }
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && NUMERIC_TEXT.test(raw.trim())) n = Number(raw.trim());
  else throw invalid(template, key, raw, 'must be a number');
  const what = spec.type === 'duration' ? `a whole number of ${spec.unit ?? 'units'}` : spec.integer ? 'a whole number' : 'a number';
  const range = `${what} from ${fmt(spec.min)} to ${fmt(spec.max)}`;
  if (!Number.isFinite(n) || n < spec.min || n > spec.max) throw invalid(template, key, raw, `must be ${range}`);
  if (spec.integer && !Number.isInteger(n)) throw invalid(template, key, raw, `must be ${range}`);
  if (Math.abs(Math.round(n * 100) - n * 100) > 1e-6) throw invalid(template, key, raw, 'must have at most two decimals');
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Targets, units and shared text
// ---------------------------------------------------------------------------------------------------------------

const ONLINE: Channel[] = ['chat', 'web', 'app', 'social'];
const REALTIME: Channel[] = ['phone', 'chat', 'app', 'social'];
const GREEN: AppliesTo['customerFlags'] = ['elderly', 'disabled', 'vip'];

interface TimeLimitInput {
  key: string;
  zh: string;
  en: string;
  start: StartEvent;
  stop: StopEvent;
  duration: string;
  appliesTo?: Partial<AppliesTo>;
  complianceGoal?: number | null;
  remedy?: TimeLimitTarget['remedy'];
}

function timeLimit(t: TimeLimitInput): TimeLimitTarget {
  return {
    kind: 'time_limit',
    key: t.key,
    name: { 'zh-CN': t.zh, 'en-US': t.en },
    start: t.start,
    stop: t.stop,
    duration: t.duration,
    calendarId: null,
    appliesTo: appliesTo(t.appliesTo),
    warnRatio: 0.8,
    complianceGoal: t.complianceGoal ?? null,
    remedy: t.remedy ?? null,
  };
}

interface RateInput {
  key: string;
  zh: string;
  en: string;
  metric: RateTarget['metric'];
  period: RateTarget['period'];
  comparator: RateTarget['comparator'];
  threshold: number;
  scale?: number | null;
  appliesTo?: Partial<AppliesTo>;
}

function rate(t: RateInput): RateTarget {
  return {
    kind: 'rate',
    key: t.key,
    name: { 'zh-CN': t.zh, 'en-US': t.en },
    metric: t.metric,
    period: t.period,
    comparator: t.comparator,
    threshold: t.threshold,
    scale: t.scale ?? null,
    appliesTo: appliesTo(t.appliesTo),
  };
}

function appliesTo(a: Partial<AppliesTo> = {}): AppliesTo {
  return { channels: [...(a.channels ?? [])], requestTypes: [...(a.requestTypes ?? [])], priorities: [...(a.priorities ?? [])], customerFlags: [...(a.customerFlags ?? [])] };
}

const isoMinutes = (n: number): string => `PT${n}M`;
const isoHours = (n: number): string => `PT${n}H`;
const isoDays = (n: number): string => `P${n}D`;
/** Upper-cases the first letter, for a value that opens an English sentence. */
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const plural = (n: number, unit: string): string => `${fmt(n)} ${unit}${n === 1 ? '' : 's'}`;

/** How the clocks count, in the letter's words. */
const TIMING_ZH =
  '本承诺中以分钟、小时计的时限按本单位公布的服务时间计算，以工作日计的时限不含周末和法定节假日（调休上班日计为工作日）；除另有说明外，时限自事项登记时起算，等待服务对象补充材料期间暂停计时。';
const TIMING_EN =
  'Limits in minutes and hours count service hours as published by the Organization; working days exclude weekends and statutory holidays (make-up workdays count). Unless stated otherwise, limits run from registration and pause while we wait for the customer.';

function signatureZh(fields: readonly string[]): string {
  return ['## 签署', '', ...fields.flatMap((f) => [`${f}：____`, ''])].join('\n').trimEnd();
}

function signatureEn(fields: readonly string[]): string {
  return ['## Signatures', '', ...fields.flatMap((f) => [`${f}: ____`, ''])].join('\n').trimEnd();
}

const COMMITMENT_SIGNATURES_ZH = ['承诺单位（盖章）', '负责人（签字）', '日期'];
const COMMITMENT_SIGNATURES_EN = ['Organization (seal)', 'Person in charge (signature)', 'Date'];

const list = (items: readonly string[]): string => items.map((s, i) => `${i + 1}. ${s}`).join('\n');
const bullets = (items: readonly string[]): string => items.map((s) => `- ${s}`).join('\n');
const doc = (...blocks: readonly string[]): string => `${blocks.join('\n\n')}\n`;

function titled(v: Values, title: string): string {
  const org = v.plain('orgName');
  return org === ORG.default ? title : `${org}${title}`;
}

interface Parts {
  zh: string;
  en: string;
  targets: Target[];
  partyType?: VersionContent['partyType'];
}

function content(v: Values, title: string, parts: Parts): VersionContent {
  return {
    title: titled(v, title),
    partyType: parts.partyType ?? 'enterprise',
    scope: { branchIds: [], departmentIds: [], channels: [] },
    responsibleDepartmentId: null,
    responsiblePersonId: null,
    effectiveFrom: null,
    effectiveTo: null,
    bodyZh: parts.zh,
    bodyEn: parts.en,
    targets: parts.targets,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Template definitions
// ---------------------------------------------------------------------------------------------------------------

interface Definition {
  key: TemplateKey;
  title: string;
  titleEn: string;
  description: string;
  descriptionEn: string;
  internal: boolean;
  parameters: TemplateParameterSpec[];
  /** Cross-field rules; call `v.refuse(key, rule)` to reject. */
  check?: (v: Values) => void;
  build: (v: Values) => Parts;
}

// ---------- 1. 服务态度优化承诺书 ----------

const serviceAttitude: Definition = {
  key: 'service-attitude',
  title: '服务态度优化承诺书',
  titleEn: 'Service attitude commitment',
  description: '面向社会公开的服务态度与服务时效承诺：分渠道响应时限、问题办理与投诉时限、完成率、满意度、培训学时、监督小组与年度考核。',
  descriptionEn: 'A public commitment on attitude and timeliness: response limits per channel, resolution and complaint limits, completion rate, satisfaction, training hours, supervision and annual assessment.',
  internal: false,
  parameters: [
    ORG,
    param('responsibleDepartment', 'text', '负责部门', 'Responsible department', '客户服务部', null, { defaultEn: 'the customer service department' }),
    minutes('phoneResponseMinutes', '电话渠道响应时限', 'Phone response limit', 3),
    minutes('onlineResponseMinutes', '在线渠道响应时限', 'Online response limit', 5),
    hours('initialResponseHours', '其他渠道初步响应时限', 'Initial response limit (other channels)', 4),
    hours('complexResponseHours', '复杂事项初步响应最长时限', 'Initial response limit for complex matters', 24),
    workingDays('resolutionWorkingDays', '问题有效处理时限', 'Resolution limit', 5),
    workingDays('delayNoticeWorkingDays', '逾期说明时限', 'Delay explanation limit', 1, 10),
    hours('complaintRegisterHours', '投诉登记时限', 'Complaint registration limit', 2),
    workingDays('complaintResolutionWorkingDays', '投诉处理时限', 'Complaint handling limit', 5),
    percent('completionRate', '年度服务完成率', 'Annual service completion rate', 98),
    param('satisfactionScore', 'number', '季度平均满意度', 'Quarterly average satisfaction', 4.5, '分', { min: 0, max: 1000 }),
    param('satisfactionScale', 'number', '满意度满分', 'Satisfaction scale (top score)', 5, '分', { min: 1, max: 1000 }),
    param('trainingHoursPerQuarter', 'number', '人均季度培训学时', 'Training hours per agent per quarter', 8, '学时', { min: 1, max: 500 }),
    count('supervisionGroupSize', '监督小组人数', 'Supervision group members', 3, '名', 100),
    count('assessmentIndicators', '年度考核指标数', 'Indicators in the annual assessment', 5, '项', 50),
    percent('improvementFundPercent', '服务改进资金占营业收入比例', 'Improvement fund, share of revenue', 1),
  ],
  check(v) {
    if (v.n('complexResponseHours') < v.n('initialResponseHours')) v.refuse('complexResponseHours', 'must not be shorter than initialResponseHours');
    if (v.n('satisfactionScore') > v.n('satisfactionScale')) v.refuse('satisfactionScore', 'must not exceed satisfactionScale');
  },
  build(v) {
    const org = v.zh('orgName');
    const dept = v.zh('responsibleDepartment');
    const [phone, online, initial, complex] = [v.n('phoneResponseMinutes'), v.n('onlineResponseMinutes'), v.n('initialResponseHours'), v.n('complexResponseHours')];
    const [resolve, notice, cReg, cRes] = [v.n('resolutionWorkingDays'), v.n('delayNoticeWorkingDays'), v.n('complaintRegisterHours'), v.n('complaintResolutionWorkingDays')];
    const others = ['email', 'walk_in'] satisfies Channel[];
    const nonComplaint = ['consultation', 'service_request', 'suggestion', 'urgent_fault'] satisfies AppliesTo['requestTypes'];

    const zh = doc(
      `# ${org}服务态度优化承诺书`,
      `为使每一位服务对象都得到及时、礼貌、负责的服务，${org}就服务态度和服务时效作出以下承诺，欢迎社会各界监督。`,
      '## 一、适用范围',
      list([
        `本承诺的履行主体为${org}和经其授权的各分支机构，覆盖所有服务岗位和服务人员。`,
        `${dept}负责本承诺的组织实施、日常监督和数据统计。`,
        '服务对象可通过电话、在线渠道、电子邮件或到访窗口提出咨询、求助、投诉和建议，各渠道执行同一标准。',
      ]),
      '## 二、用语说明',
      bullets([
        '响应时间：自收到服务对象的需求起，至服务人员开始提供服务止。',
        '服务完成率：统计期内已办结的服务请求数占已受理服务请求数的比例。',
        '客户满意度：问卷调查和回访评分的加权平均值。',
        '投诉处理时限：自收到投诉起，至投诉处理完毕止。',
        `计时规则：${TIMING_ZH}`,
      ]),
      '## 三、服务时限',
      list([
        `电话渠道：${phone} 分钟内响应。`,
        `在线渠道（在线客服、网站、移动应用、社交媒体）：${online} 分钟内响应。`,
        `电子邮件、到访等其他渠道的咨询、求助和投诉：${initial} 小时内作出初步响应；情况复杂的，最迟不超过 ${complex} 小时。`,
        `投诉以外的问题自登记起 ${resolve} 个工作日内处理到位；确实无法按期办结的，在期满后 ${notice} 个工作日内向服务对象说明原因和目前进展。`,
        `收到投诉后 ${cReg} 小时内完成登记，${cRes} 个工作日内处理完毕（均自收到投诉时起算）；需要延长的，向投诉人说明原因并持续告知进度。`,
      ]),
      '## 四、服务质量目标',
      list([
        `全年服务完成率达到 ${v.f('completionRate')}% 以上；因特殊情况无法完成的，提前告知服务对象并协商解决办法。`,
        `每季度做一次满意度调查，平均得分不低于 ${v.f('satisfactionScore')} 分（满分 ${v.f('satisfactionScale')} 分）。`,
        `每名服务人员每季度参加服务技能培训不少于 ${v.f('trainingHoursPerQuarter')} 学时，重点是沟通技巧、情绪管理和突发情况处置。`,
      ]),
      '## 五、服务规范',
      list([
        '依法依规提供服务，把服务对象合法合理的诉求放在首位，主动了解需求。',
        '使用文明规范的服务用语，不敷衍、不推诿、不刁难，不使用带有刺激或歧视意味的言辞。',
        '着装整洁统一，举止得体，保持专业形象。',
        '定期收集意见和建议，发现服务短板及时整改。',
      ]),
      '## 六、监督与考核',
      list([
        '服务态度专项检查每月一次，把服务对象的评价和内部监督结合起来，结果计入个人和团队绩效。',
        `设立由 ${v.f('supervisionGroupSize')} 名成员组成的服务监督小组，日常抽查并记录服务行为，发现问题当场纠正。`,
        '开通线上意见反馈平台并公开投诉渠道，服务对象有问题随时可以反映。',
        `年度考核至少设 ${v.f('assessmentIndicators')} 项指标，涵盖客户满意度、投诉处理时限和一次性解决率，考核结论直接影响绩效和晋升。`,
        '对服务态度优秀的人员给予表彰和奖励；对违反本承诺的，视情节轻重给予警告、降级直至解除聘用。',
      ]),
      '## 七、保障措施',
      list([
        `设立服务改进专项资金，每年拨付的金额不少于营业收入的 ${v.f('improvementFundPercent')}%，专门用于人员培训、设施改善和客户关怀。`,
        '每半年公示一次资金使用情况，接受服务对象监督。',
      ]),
      '## 八、生效与修订',
      list([
        '本承诺书自发布之日起生效。',
        '法律法规或政策调整时，及时修订本承诺书并重新公布。',
        '可另行制定实施细则，对本承诺书加以补充。',
      ]),
      signatureZh(COMMITMENT_SIGNATURES_ZH),
    );

    const orgEn = v.en('orgName');
    const en = doc(
      '# Service attitude commitment',
      `${cap(orgEn)} commits to timely, courteous and accountable service, and invites the public to hold it to these promises.`,
      '## Scope',
      `The commitment binds ${orgEn} and its authorized branches, every service post and every member of staff; ${v.en('responsibleDepartment')} runs and monitors it. Every channel follows the same standard.`,
      '## Time limits',
      list([
        `Phone: response within ${plural(phone, 'minute')}.`,
        `Online channels (chat, website, app, social media): response within ${plural(online, 'minute')}.`,
        `Email, walk-in and other channels: initial response within ${plural(initial, 'hour')}; complex matters at most ${plural(complex, 'hour')}.`,
        `Problems other than complaints are resolved within ${plural(resolve, 'working day')}; if that is not possible, the customer is told why and how it stands within ${plural(notice, 'working day')} after the deadline.`,
        `Complaints are registered within ${plural(cReg, 'hour')} and handled within ${plural(cRes, 'working day')}, both counted from receipt.`,
      ]),
      TIMING_EN,
      '## Quality goals',
      list([
        `Annual service completion rate of at least ${v.f('completionRate')}%.`,
        `A satisfaction survey every quarter, averaging at least ${v.f('satisfactionScore')} out of ${v.f('satisfactionScale')} points.`,
        `At least ${v.f('trainingHoursPerQuarter')} training hours per agent per quarter.`,
      ]),
      '## Supervision and assessment',
      list([
        'A service-attitude inspection every month; the results count in individual and team performance.',
        `A supervision group of ${v.f('supervisionGroupSize')} members spot-checks and records service behaviour.`,
        'An online feedback platform and published complaint channels.',
        `At least ${v.f('assessmentIndicators')} indicators in the annual assessment (satisfaction, complaint handling time, first-contact resolution rate), linked to pay and promotion; rewards for good service, and penalties from a warning up to dismissal.`,
        `A service-improvement fund of at least ${v.f('improvementFundPercent')}% of revenue a year, its use disclosed every half year.`,
      ]),
      'The commitment takes effect when published and is revised when laws or policies change.',
      signatureEn(COMMITMENT_SIGNATURES_EN),
    );

    const targets: Target[] = [
      timeLimit({ key: 'first-response.phone', zh: '电话渠道响应', en: 'Phone response', start: 'request.registered', stop: 'first_response', duration: isoMinutes(phone), appliesTo: { channels: ['phone'] } }),
      timeLimit({ key: 'first-response.online', zh: '在线渠道响应', en: 'Online response', start: 'request.registered', stop: 'first_response', duration: isoMinutes(online), appliesTo: { channels: ONLINE } }),
      timeLimit({ key: 'initial-response', zh: '其他渠道初步响应', en: 'Initial response (other channels)', start: 'request.registered', stop: 'first_response', duration: isoHours(initial), appliesTo: { channels: others } }),
      timeLimit({
        key: 'initial-response.max',
        zh: '复杂事项初步响应（最长）',
        en: 'Initial response, complex matters (maximum)',
        start: 'request.registered',
        stop: 'first_response',
        duration: isoHours(complex),
        appliesTo: { channels: others },
        complianceGoal: 100,
      }),
      timeLimit({
        key: 'resolution',
        zh: '问题有效处理',
        en: 'Resolution',
        start: 'request.registered',
        stop: 'resolved',
        duration: isoDays(resolve),
        appliesTo: { requestTypes: nonComplaint },
        remedy: { kind: 'other', description: '向服务对象说明逾期原因和目前进展', duration: isoDays(notice) },
      }),
      timeLimit({ key: 'complaint.registration', zh: '投诉登记', en: 'Complaint registration', start: 'complaint.received', stop: 'complaint.registered', duration: isoHours(cReg), appliesTo: { requestTypes: ['complaint'] } }),
      timeLimit({ key: 'complaint.resolution', zh: '投诉处理', en: 'Complaint handling', start: 'complaint.received', stop: 'resolved', duration: isoDays(cRes), appliesTo: { requestTypes: ['complaint'] } }),
      rate({ key: 'completion-rate', zh: '年度服务完成率', en: 'Annual service completion rate', metric: 'service_completion_rate', period: 'year', comparator: '>=', threshold: v.n('completionRate') }),
      rate({ key: 'satisfaction', zh: '季度平均满意度', en: 'Quarterly average satisfaction', metric: 'satisfaction_score', period: 'quarter', comparator: '>=', threshold: v.n('satisfactionScore'), scale: v.n('satisfactionScale') }),
      rate({ key: 'training-hours', zh: '人均季度培训学时', en: 'Training hours per agent per quarter', metric: 'training_hours_per_agent', period: 'quarter', comparator: '>=', threshold: v.n('trainingHoursPerQuarter') }),
    ];
    return { zh, en, targets };
  },
};

// ---------- 2. 用户服务高效响应承诺书 ----------

const efficientResponse: Definition = {
  key: 'efficient-response',
  title: '用户服务高效响应承诺书',
  titleEn: 'Efficient response commitment',
  description: '首次响应与初步解决方案时限、分级响应与专项小组应急响应、按优先级的响应时限、7×24 值守、“登记—分析—处理—反馈—归档”闭环、渠道巡检、培训与知识库。',
  descriptionEn: 'First-response and initial-solution limits, tiered response with the special team, limits by priority, 7×24 duty, the registered–analysing–handling–feedback–archived loop, channel checks, training and the FAQ.',
  internal: false,
  parameters: [
    ORG,
    minutes('firstResponseMinutes', '首次响应时限', 'First response limit', 5),
    minutes('initialSolutionMinutes', '复杂问题初步解决方案时限', 'Initial solution limit for complex problems', 30),
    hours('generalResponseHours', '一般事项响应时限（工作小时）', 'General matters response limit (working hours)', 2, 72),
    minutes('urgentResponseMinutes', '紧急事项响应时限', 'Urgent matters response limit', 30),
    hours('emergencyResponseHours', '专项小组启动应急响应时限', 'Special team emergency response limit', 2, 72),
    percent('responseComplianceRate', '月度响应时效达标率', 'Monthly response compliance rate', 95),
    percent('resolutionRate', '月度问题解决率', 'Monthly resolution rate', 90),
    count('channelChecksPerDay', '每日渠道巡检次数', 'Channel checks per day', 3, '次', 96),
    count('trainingSessionsPerQuarter', '每季度业务培训次数', 'Training sessions per quarter', 2, '次', 100),
    count('faqEntriesPerMonth', '每月更新常见问题条数', 'FAQ entries updated per month', 20, '条'),
    count('reviewsPerMonth', '每月收集用户评价条数', 'User reviews collected per month', 100, '条', 1_000_000),
    count('assessmentIndicators', '年度考核指标数', 'Indicators in the annual assessment', 3, '项', 50),
  ],
  check(v) {
    if (v.n('initialSolutionMinutes') < v.n('firstResponseMinutes')) v.refuse('initialSolutionMinutes', 'must not be shorter than firstResponseMinutes');
    if (v.n('urgentResponseMinutes') > v.n('generalResponseHours') * 60) v.refuse('urgentResponseMinutes', 'must not be longer than generalResponseHours');
  },
  build(v) {
    const org = v.zh('orgName');
    const [first, solution, general, urgent, emergency] = [
      v.n('firstResponseMinutes'),
      v.n('initialSolutionMinutes'),
      v.n('generalResponseHours'),
      v.n('urgentResponseMinutes'),
      v.n('emergencyResponseHours'),
    ];
    const compliance = v.n('responseComplianceRate');

    const zh = doc(
      `# ${org}用户服务高效响应承诺书`,
      `为让用户的每一项需求都得到快速、有结果的回应，${org}全体工作人员共同作出以下承诺。`,
      '## 一、适用范围',
      '本承诺适用于用户通过电话、电子邮件、在线客服、网站、移动应用和社交媒体提出的咨询、求助、投诉、建议和紧急故障报告。',
      '## 二、响应时限',
      list([
        `通过电话、在线客服、移动应用和社交媒体提出的需求，${first} 分钟内首次响应；需要进一步分析的复杂问题，${solution} 分钟内给出初步解决方案。`,
        `通过电子邮件、网站留言提交的一般事项，${general} 个工作小时内作出初步响应。`,
        `紧急事项无论从哪个渠道提出，${urgent} 分钟内给予初步反馈。`,
        `实行分级响应：一般咨询由一线客服在电话或在线渠道当场答复；重大投诉和紧急故障升级至专项小组，专项小组在升级后 ${emergency} 小时内启动应急响应。`,
        '服务团队 7×24 小时值守，非工作时间提出的需求同样有人受理。',
        `以上时限每月的响应时效达标率不低于 ${v.f('responseComplianceRate')}%，问题解决率不低于 ${v.f('resolutionRate')}%。`,
      ]),
      `计时规则：${TIMING_ZH}`,
      '## 三、闭环管理',
      list([
        '每项需求都经过“登记—分析—处理—反馈—归档”五个环节，做到有记录、有跟踪、有结果。',
        '每个环节明确责任人，责任链条清晰、可追溯。',
      ]),
      '## 四、保障措施',
      list([
        `客服渠道每天巡检 ${v.f('channelChecksPerDay')} 次，确认电话、邮件和在线客服系统正常可用。`,
        `每季度组织 ${v.f('trainingSessionsPerQuarter')} 次业务培训，内容包括政策解读、沟通技巧和系统操作；每月按响应时长和问题解决率进行考核，结果与绩效挂钩。`,
        `每月新增或更新常见问题解答（FAQ）不少于 ${v.f('faqEntriesPerMonth')} 条，对高频问题分类整理，提高自动处理能力。`,
        `年度考核至少设 ${v.f('assessmentIndicators')} 项指标，其中有响应时效达标率、问题解决率和用户满意度，考核结论与收入、晋升挂钩。`,
      ]),
      '## 五、监督与改进',
      list([
        '服务监督小组由部门负责人和第三方代表组成，定期抽查服务记录，检验响应质量。',
        `每月收集不少于 ${v.f('reviewsPerMonth')} 条用户评价，对满意度偏低的事项专项分析并整改。`,
        '每年根据业务发展修订服务流程。',
      ]),
      '## 六、承诺变更与信息保护',
      list([
        '本承诺如需调整，事先以书面形式通知用户，调整后的标准不低于行业要求。',
        '用户的个人信息严格保密，没有用户同意，不提供给任何第三方。',
      ]),
      signatureZh(COMMITMENT_SIGNATURES_ZH),
    );

    const orgEn = v.en('orgName');
    const en = doc(
      '# Efficient response commitment',
      `All staff of ${orgEn} commit to answering every user request quickly and seeing it through.`,
      '## Time limits',
      list([
        `Phone, chat, app and social media: first response within ${plural(first, 'minute')}; complex problems get an initial solution within ${plural(solution, 'minute')}.`,
        `General matters sent by email or web form: initial response within ${plural(general, 'working hour')}.`,
        `Urgent matters on any channel: initial feedback within ${plural(urgent, 'minute')}.`,
        `Tiered response: the front line answers general questions at once; major complaints and urgent faults go to the special team, which starts an emergency response within ${plural(emergency, 'hour')} of escalation.`,
        'The service team is on duty 7×24.',
        `Each month at least ${v.f('responseComplianceRate')}% of these limits are met and at least ${v.f('resolutionRate')}% of problems are resolved.`,
      ]),
      TIMING_EN,
      '## Closed loop and resources',
      list([
        'Every request runs registered → analysing → handling → feedback → archived, with a record, a tracker, a result and a responsible person for each step.',
        `Channels are checked ${plural(v.n('channelChecksPerDay'), 'time')} a day; ${plural(v.n('trainingSessionsPerQuarter'), 'training session')} every quarter; response time and resolution rate are assessed monthly.`,
        `At least ${v.f('faqEntriesPerMonth')} FAQ entries are added or updated each month.`,
        `At least ${v.f('assessmentIndicators')} indicators in the annual assessment.`,
        `A supervision group samples service records; at least ${v.f('reviewsPerMonth')} user reviews are collected each month and low ratings are analysed and corrected.`,
      ]),
      'Changes to this commitment are announced to users in writing beforehand; user privacy is protected and personal data is never shared without consent.',
      signatureEn(COMMITMENT_SIGNATURES_EN),
    );

    const targets: Target[] = [
      timeLimit({ key: 'first-response', zh: '首次响应', en: 'First response', start: 'request.registered', stop: 'first_response', duration: isoMinutes(first), appliesTo: { channels: REALTIME }, complianceGoal: compliance }),
      timeLimit({ key: 'initial-solution', zh: '初步解决方案', en: 'Initial solution', start: 'request.registered', stop: 'initial_solution', duration: isoMinutes(solution), appliesTo: { channels: REALTIME }, complianceGoal: compliance }),
      timeLimit({
        key: 'response.general',
        zh: '一般事项初步响应',
        en: 'Initial response, general matters',
        start: 'request.registered',
        stop: 'first_response',
        duration: isoHours(general),
        appliesTo: { channels: ['email', 'web'], priorities: ['general'] },
        complianceGoal: compliance,
      }),
      timeLimit({ key: 'response.urgent', zh: '紧急事项初步反馈', en: 'Initial feedback, urgent matters', start: 'request.registered', stop: 'first_response', duration: isoMinutes(urgent), appliesTo: { priorities: ['urgent', 'major'] }, complianceGoal: compliance }),
      timeLimit({
        key: 'emergency-response',
        zh: '专项小组启动应急响应',
        en: 'Special team emergency response',
        start: 'request.escalated',
        stop: 'emergency_response',
        duration: isoHours(emergency),
        appliesTo: { requestTypes: ['complaint', 'urgent_fault'], priorities: ['major'] },
      }),
      rate({ key: 'response-compliance', zh: '月度响应时效达标率', en: 'Monthly response compliance rate', metric: 'response_compliance_rate', period: 'month', comparator: '>=', threshold: compliance }),
      rate({ key: 'resolution-rate', zh: '月度问题解决率', en: 'Monthly resolution rate', metric: 'resolution_rate', period: 'month', comparator: '>=', threshold: v.n('resolutionRate') }),
      rate({ key: 'faq-entries', zh: '每月更新常见问题条数', en: 'FAQ entries updated per month', metric: 'faq_entries', period: 'month', comparator: '>=', threshold: v.n('faqEntriesPerMonth') }),
    ];
    return { zh, en, targets };
  },
};

// ---------- 3. 线上线下服务融合体验保障承诺书 ----------

const onlineOffline: Definition = {
  key: 'online-offline',
  title: '线上线下服务融合体验保障承诺书',
  titleEn: 'Online and offline service commitment',
  description: '线上线下同质服务与信息同步、线上响应与窗口等候时限、投诉初步回复与结果时限、季度满意率、特殊群体绿色通道、抽查与年度认证、承诺调整程序。',
  descriptionEn: 'The same service and information online and offline, online response and counter waiting limits, complaint limits, quarterly satisfaction, a green channel, spot checks, yearly certification and the change procedure.',
  internal: false,
  parameters: [
    ORG,
    minutes('onlineResponseMinutes', '线上咨询响应时限', 'Online response limit', 10),
    minutes('urgentResponseMinutes', '线上紧急事项响应时限', 'Online urgent response limit', 1),
    param('counterWaitMinutes', 'number', '窗口平均等候时长上限', 'Average counter waiting time', 15, '分钟', { min: 1, max: 240 }),
    minutes('greenChannelMinutes', '绿色通道接待时限', 'Green channel limit', 5),
    workingDays('complaintInitialWorkingDays', '投诉初步回复时限', 'Complaint initial reply limit', 1),
    workingDays('complaintResultWorkingDays', '投诉处理结果反馈时限', 'Complaint result limit', 5),
    percent('satisfactionRate', '季度用户满意率', 'Quarterly satisfaction rate', 95),
    count('assessmentIndicators', '年度考核指标数', 'Indicators in the annual assessment', 5, '项', 50),
  ],
  check(v) {
    if (v.n('urgentResponseMinutes') > v.n('onlineResponseMinutes')) v.refuse('urgentResponseMinutes', 'must not be longer than onlineResponseMinutes');
    if (v.n('complaintResultWorkingDays') < v.n('complaintInitialWorkingDays')) v.refuse('complaintResultWorkingDays', 'must not be shorter than complaintInitialWorkingDays');
  },
  build(v) {
    const org = v.zh('orgName');
    const [online, urgent, green, cInit, cResult] = [
      v.n('onlineResponseMinutes'),
      v.n('urgentResponseMinutes'),
      v.n('greenChannelMinutes'),
      v.n('complaintInitialWorkingDays'),
      v.n('complaintResultWorkingDays'),
    ];

    const zh = doc(
      `# ${org}线上线下服务融合体验保障承诺书`,
      `${org}把网站、移动应用、社交媒体等线上渠道与实体网点作为一个整体来经营，承诺用户无论选择哪种渠道，都能得到同等质量的服务。`,
      '## 一、服务一致',
      list([
        '线上平台与线下网点功能互补、流程衔接，用户不必在渠道之间来回奔波。',
        '价格、业务规则和政策调整在所有渠道同时更新，用户看到的信息准确、完整。',
        '需要多个渠道协同办理的事项，明确每个环节的责任人，不留服务断点。',
      ]),
      '## 二、服务时限',
      list([
        `线上咨询 ${online} 分钟内响应；紧急事项即时响应，最迟不超过 ${urgent} 分钟。`,
        `线下服务窗口设置等候指引，高峰时段增派人员，平均等候时间不超过 ${v.f('counterWaitMinutes')} 分钟。`,
        `投诉登记后 ${cInit} 个工作日内给予初步回复，${cResult} 个工作日内查清情况并把处理结果告知用户；重大投诉由专人跟进，直至闭环。`,
      ]),
      `计时规则：${TIMING_ZH}`,
      '## 三、特殊群体服务',
      `为老年人、残障人士和 VIP 客户开设绿色通道或专属窗口，线上线下均在 ${green} 分钟内优先接待，保障服务无障碍。`,
      '## 四、质量测评',
      list([
        `服务质量每季度测评一次，满意的用户占比不低于 ${v.f('satisfactionRate')}%，测评发现的问题列入改进计划。`,
        `年度考核至少设 ${v.f('assessmentIndicators')} 项指标，考核结论与团队和个人绩效挂钩。`,
      ]),
      '## 五、监督机制',
      list([
        '设立服务体验监督岗，每月随机抽查，违规行为记录在案并纳入绩效考核。',
        '每年请独立第三方机构对服务质量进行认证，并公布认证结论。',
        '每一条有效的用户意见都会得到答复，改进情况定期通报。',
      ]),
      '## 六、承诺调整',
      '出现下列情形之一时，本承诺可以调整：法律法规或监管要求变化；同类问题的投诉明显集中；服务技术或服务模式发生重大变化；突发公共事件使服务无法正常开展。调整依次经过内部评估、部门联席会议讨论和决策机构审批，然后正式发布，并同步更新服务指南和用户告知材料。',
      signatureZh(COMMITMENT_SIGNATURES_ZH),
    );

    const orgEn = v.en('orgName');
    const en = doc(
      '# Online and offline service commitment',
      `${cap(orgEn)} runs its website, app, social media and branches as one service: the same quality and the same up-to-date information (prices, rules, policy changes) on every channel.`,
      '## Time limits',
      list([
        `Online enquiries: response within ${plural(online, 'minute')}; urgent matters at once, at most ${plural(urgent, 'minute')}.`,
        `Counters: waiting guidance and extra staff at peak times; average waiting time at most ${plural(v.n('counterWaitMinutes'), 'minute')}.`,
        `Complaints: initial reply within ${plural(cInit, 'working day')} of registration and the result within ${plural(cResult, 'working day')}; major complaints are followed by a named person.`,
        `Green channel: elderly, disabled and VIP customers are served first, within ${plural(green, 'minute')}, online and offline.`,
      ]),
      TIMING_EN,
      '## Quality and supervision',
      list([
        `A service-quality evaluation every quarter with a satisfaction rate of at least ${v.f('satisfactionRate')}%; at least ${v.f('assessmentIndicators')} indicators in the annual assessment.`,
        'Monthly spot checks by a supervision post; a yearly certification by an independent party, published; an answer to every valid piece of feedback.',
      ]),
      '## Changes',
      'The commitment changes when laws or regulations change, complaints concentrate on one problem, the service model changes or an emergency affects service. A change goes through internal evaluation, a joint departmental meeting and approval by the decision body before it is published, with the service guide and user notices updated.',
      signatureEn(COMMITMENT_SIGNATURES_EN),
    );

    const targets: Target[] = [
      timeLimit({ key: 'first-response.online', zh: '线上咨询响应', en: 'Online response', start: 'request.registered', stop: 'first_response', duration: isoMinutes(online), appliesTo: { channels: ONLINE, priorities: ['general'] } }),
      timeLimit({
        key: 'first-response.online-urgent',
        zh: '线上紧急事项响应',
        en: 'Online response, urgent matters',
        start: 'request.registered',
        stop: 'first_response',
        duration: isoMinutes(urgent),
        appliesTo: { channels: ONLINE, priorities: ['urgent', 'major'] },
      }),
      timeLimit({ key: 'green-channel', zh: '绿色通道优先接待', en: 'Green channel', start: 'request.registered', stop: 'first_response', duration: isoMinutes(green), appliesTo: { customerFlags: GREEN } }),
      timeLimit({ key: 'complaint.initial-reply', zh: '投诉初步回复', en: 'Complaint initial reply', start: 'complaint.registered', stop: 'first_response', duration: isoDays(cInit), appliesTo: { requestTypes: ['complaint'] } }),
      timeLimit({ key: 'complaint.result', zh: '投诉处理结果反馈', en: 'Complaint result', start: 'complaint.registered', stop: 'result.delivered', duration: isoDays(cResult), appliesTo: { requestTypes: ['complaint'] } }),
      rate({ key: 'counter-waiting', zh: '窗口平均等候时长', en: 'Average counter waiting time', metric: 'offline_waiting_minutes', period: 'month', comparator: '<=', threshold: v.n('counterWaitMinutes'), appliesTo: { channels: ['walk_in'] } }),
      rate({ key: 'satisfaction', zh: '季度用户满意率', en: 'Quarterly satisfaction rate', metric: 'satisfaction_rate', period: 'quarter', comparator: '>=', threshold: v.n('satisfactionRate') }),
    ];
    return { zh, en, targets };
  },
};

// ---------- 4. 文明诚信服务制度规范和服务承诺 ----------

const conductNorms: Definition = {
  key: 'conduct-norms',
  title: '文明诚信服务制度规范和服务承诺',
  titleEn: 'Service conduct norms and commitment',
  description: '服务环境、文明用语、“接待—咨询—受理—办理—结果反馈”各环节时限、客户信息安全、巡查监督、问卷/在线评价/电话回访与满意率考核。',
  descriptionEn: 'Premises, polite language, a time limit for each step of reception, consultation, acceptance, handling and result feedback, data security, supervision, evaluation by survey, review and callback, satisfaction as a KPI.',
  internal: false,
  parameters: [
    ORG,
    minutes('receptionMinutes', '接待时限', 'Reception limit', 3),
    minutes('consultationMinutes', '咨询答复时限', 'Consultation answer limit', 30),
    hours('acceptanceHours', '业务受理时限', 'Acceptance limit', 2),
    workingDays('handlingWorkingDays', '业务办理时限', 'Handling limit', 5),
    workingDays('feedbackWorkingDays', '办结后结果反馈时限', 'Result feedback limit after handling', 1, 10),
    percent('satisfactionRate', '月度客户满意率', 'Monthly satisfaction rate', 95),
    percent('callbackRate', '月度电话回访比例', 'Monthly callback rate', 20),
  ],
  check(v) {
    if (v.n('consultationMinutes') < v.n('receptionMinutes')) v.refuse('consultationMinutes', 'must not be shorter than receptionMinutes');
    if (v.n('acceptanceHours') * 60 < v.n('receptionMinutes')) v.refuse('acceptanceHours', 'must not be shorter than receptionMinutes');
  },
  build(v) {
    const org = v.zh('orgName');
    const [reception, consultation, acceptance, handling, feedback] = [
      v.n('receptionMinutes'),
      v.n('consultationMinutes'),
      v.n('acceptanceHours'),
      v.n('handlingWorkingDays'),
      v.n('feedbackWorkingDays'),
    ];
    const delivered = handling + feedback;

    const zh = doc(
      `# ${org}文明诚信服务制度规范和服务承诺`,
      `为规范服务行为、守住诚信底线，${org}制定以下服务制度规范，并据此向客户作出服务承诺。`,
      '## 第一部分 服务制度规范',
      '### 一、服务环境',
      list([
        '服务场所按咨询、业务办理、休息等功能分区，标识醒目，窗口数量满足客流需要。',
        '场所每日清洁，设施设备定期维护，保持整洁可用。',
        '消防、监控等安全设施定期检查，制定并演练突发事件应急预案。',
      ]),
      '### 二、行为规范',
      list([
        '仪表整洁，着装统一，举止端正。',
        '接待时常用“您好”“请”“谢谢”“对不起”“再见”，语气亲切；不说粗俗、生硬、冷漠的话，不与客户争执。',
        '耐心倾听，答复清楚准确，不含糊其辞；对客户的意见虚心接受并及时回应。',
      ]),
      '### 三、服务流程与时限',
      `每项业务都按“接待—咨询—受理—办理—结果反馈”的顺序进行，任何环节都不能跳过或随意压缩。各环节时限如下（自登记时起算）：`,
      list([
        `接待：${reception} 分钟内接待客户并作出回应。`,
        `咨询：咨询类问题 ${consultation} 分钟内答复清楚。`,
        `受理：需要办理的业务 ${acceptance} 小时内完成受理审核，告知客户办理方案和预计完成时间。`,
        `办理：${handling} 个工作日内办理完毕。`,
        `结果反馈：办结后 ${feedback} 个工作日内将结果告知客户，即自登记起不超过 ${delivered} 个工作日。`,
      ]),
      `计时规则：${TIMING_ZH}`,
      '### 四、信息安全',
      list([
        '客户的姓名、身份证号、手机号和账户信息等一律保密，不向任何人泄露。',
        '客户数据加密存储、加密传输，防止被篡改、丢失或泄露。',
        '定期备份，并核对备份是否完整、能否恢复。',
      ]),
      '### 五、监督与考核',
      list([
        '监督岗位定期巡查服务场所，结合录音录像和客户反馈了解服务情况，发现问题及时纠正。',
        `客户评价来自问卷、线上评价和电话回访，每月电话回访比例不低于 ${v.f('callbackRate')}%。`,
        `客户满意率计入员工绩效考核，每月不低于 ${v.f('satisfactionRate')}%。`,
        '根据考核结果奖优罚劣：表现优秀的给予表彰和奖励，表现不佳的给予批评和辅导，必要时调整岗位或解除聘用。',
      ]),
      '## 第二部分 服务承诺',
      list([
        '高效：严格执行上述流程和时限，简单业务当场办结，复杂业务按时告知进度和结果，尽量减少客户等候。',
        '文明：礼貌待客、耐心解答，不推诿、不刁难。',
        '诚信：如实介绍业务条件和收费标准，不作虚假承诺。',
        '安全：守护客户信息安全，保障服务场所安全。',
        '改进：欢迎客户评价和监督，有错必纠。',
      ]),
      signatureZh(COMMITMENT_SIGNATURES_ZH),
    );

    const orgEn = v.en('orgName');
    const en = doc(
      '# Service conduct norms and commitment',
      `${cap(orgEn)} adopts these service norms and makes the following commitment to its customers.`,
      '## Norms',
      list([
        'Premises: clear zones and signs, daily cleaning, maintained equipment, regularly checked safety equipment and a practised emergency plan.',
        'Conduct: neat appearance; polite words (hello, please, thank you, sorry, goodbye); no rude, curt or cold language; no arguing with customers.',
        `Process and time limits, counted from registration: reception within ${plural(reception, 'minute')}; consultations answered within ${plural(consultation, 'minute')}; acceptance, with the plan and expected completion, within ${plural(acceptance, 'hour')}; handling within ${plural(handling, 'working day')}; the result delivered within ${plural(feedback, 'working day')} after handling (at most ${plural(delivered, 'working day')} after registration).`,
        'Data security: no disclosure of names, ID numbers, phone numbers or accounts; encryption in storage and transit; regular backups with integrity checks.',
        `Supervision: patrols, recordings and customer feedback; evaluation by survey, online review and phone callback, with callbacks to at least ${v.f('callbackRate')}% of customers each month; a monthly satisfaction rate of at least ${v.f('satisfactionRate')}% as a KPI; rewards and penalties follow the appraisal.`,
      ]),
      TIMING_EN,
      '## Commitment',
      'Efficient, courteous and honest service within these limits; customer data kept safe; every valid criticism corrected.',
      signatureEn(COMMITMENT_SIGNATURES_EN),
    );

    const targets: Target[] = [
      timeLimit({ key: 'reception', zh: '接待', en: 'Reception', start: 'request.registered', stop: 'first_response', duration: isoMinutes(reception) }),
      timeLimit({ key: 'consultation', zh: '咨询答复', en: 'Consultation answer', start: 'request.registered', stop: 'resolved', duration: isoMinutes(consultation), appliesTo: { requestTypes: ['consultation'] } }),
      timeLimit({
        key: 'acceptance',
        zh: '业务受理',
        en: 'Acceptance',
        start: 'request.registered',
        stop: 'initial_solution',
        duration: isoHours(acceptance),
        appliesTo: { requestTypes: ['service_request', 'complaint', 'urgent_fault'] },
      }),
      timeLimit({
        key: 'handling',
        zh: '业务办理',
        en: 'Handling',
        start: 'request.registered',
        stop: 'resolved',
        duration: isoDays(handling),
        appliesTo: { requestTypes: ['service_request', 'complaint', 'urgent_fault'] },
      }),
      timeLimit({
        key: 'result-feedback',
        zh: '结果反馈',
        en: 'Result feedback',
        start: 'request.registered',
        stop: 'result.delivered',
        duration: isoDays(delivered),
        appliesTo: { requestTypes: ['service_request', 'complaint', 'urgent_fault'] },
      }),
      rate({ key: 'satisfaction', zh: '月度客户满意率', en: 'Monthly satisfaction rate', metric: 'satisfaction_rate', period: 'month', comparator: '>=', threshold: v.n('satisfactionRate') }),
      rate({ key: 'callback-rate', zh: '月度电话回访比例', en: 'Monthly callback rate', metric: 'callback_rate', period: 'month', comparator: '>=', threshold: v.n('callbackRate') }),
    ];
    return { zh, en, targets };
  },
};

// ---------- 5. 服务态度改善协议（内部） ----------

const improvementAgreement: Definition = {
  key: 'improvement-agreement',
  title: '服务态度改善协议',
  titleEn: 'Service attitude improvement agreement',
  description: '内部使用：管理方与一名服务人员签订的六个月改善协议，含问题与依据、可量化目标、改善措施、第 1/3/6 个月里程碑、评估与异议、奖惩。',
  descriptionEn: 'Internal: a six-month agreement between a manager and one agent — problems and evidence, measurable goals, measures, milestones at months 1, 3 and 6, evaluation and disputes, rewards and penalties.',
  internal: true,
  parameters: [
    param('orgName', 'text', '甲方（管理方）名称', 'Manager side (organization or department)', '本单位', null, { defaultEn: 'the Organization' }),
    param('agentName', 'text', '乙方（服务人员）姓名', 'Agent name', '服务人员', null, { defaultEn: 'the agent' }),
    param('position', 'text', '乙方岗位', 'Agent position', '客服专员', null, { defaultEn: 'customer service agent' }),
    param('supervisorName', 'text', '直接主管', 'Direct supervisor', '部门主管', null, { defaultEn: 'the department supervisor' }),
    param('evidence', 'text', '问题依据', 'Evidence', '投诉记录、质检报告和主管观察记录', null, {
      max: 200,
      defaultEn: 'complaint records, quality inspection reports and the supervisor’s observations',
    }),
    param('currentSatisfaction', 'number', '当前服务态度满意度', 'Current attitude satisfaction', 3.8, '分', { min: 0, max: 1000 }),
    param('targetSatisfaction', 'number', '目标服务态度满意度', 'Target attitude satisfaction', 4.5, '分', { min: 0, max: 1000 }),
    param('satisfactionScale', 'number', '满意度满分', 'Satisfaction scale (top score)', 5, '分', { min: 1, max: 1000 }),
    param('baselineComplaintsPerMonth', 'number', '协议前三个月月均态度投诉数', 'Attitude complaints per month, prior three-month average', 4, '件', { min: 0, max: 10_000 }),
    percent('complaintReductionPercent', '态度投诉减少比例', 'Reduction of attitude complaints', 50, 1),
    percent('politePhrasePercent', '礼貌用语使用比例', 'Interactions with standard polite phrases', 95),
    param('averageResponseSeconds', 'number', '平均响应时间上限', 'Average response time', 30, '秒', { min: 1, max: 3600, integer: true }),
    param('trainingHours', 'number', '首月专项培训学时', 'Training hours in month 1', 8, '学时', { min: 1, max: 200 }),
  ],
  check(v) {
    const scale = v.n('satisfactionScale');
    if (v.n('currentSatisfaction') > scale) v.refuse('currentSatisfaction', 'must not exceed satisfactionScale');
    if (v.n('targetSatisfaction') > scale) v.refuse('targetSatisfaction', 'must not exceed satisfactionScale');
    if (v.n('targetSatisfaction') <= v.n('currentSatisfaction')) v.refuse('targetSatisfaction', 'must be higher than currentSatisfaction');
  },
  build(v) {
    const [org, agent, position, supervisor] = [v.zh('orgName'), v.zh('agentName'), v.zh('position'), v.zh('supervisorName')];
    const maxComplaints = Math.round(v.n('baselineComplaintsPerMonth') * (1 - v.n('complaintReductionPercent') / 100) * 100) / 100;

    const zh = doc(
      '# 服务态度改善协议',
      bullets([`甲方（管理方）：${org}`, `乙方（服务人员）：${agent}（岗位：${position}）`, `乙方直接主管：${supervisor}`]),
      '为改善乙方的服务态度、让客户得到更好的体验，同时帮助乙方成长，双方协商后订立本协议。本协议仅供内部使用，不对外公布。',
      '## 第一条 适用范围',
      `本协议适用于乙方在${position}岗位上提供服务的全过程，包括接待、答复、办理和投诉处理等各个环节。`,
      '## 第二条 存在的问题',
      `双方确认，乙方目前的服务有以下不足：用语不够礼貌、耐心不足、处理投诉时缺乏同理心、仪态不够规范。依据：${v.zh('evidence')}。`,
      '## 第三条 改善目标（协议期六个月）',
      list([
        `服务态度满意度评分由目前的平均 ${v.f('currentSatisfaction')} 分提升至 ${v.f('targetSatisfaction')} 分以上（满分 ${v.f('satisfactionScale')} 分）。`,
        `涉及乙方服务态度的投诉，较协议前三个月月均 ${v.f('baselineComplaintsPerMonth')} 件减少 ${v.f('complaintReductionPercent')}%，即每月不超过 ${fmt(maxComplaints)} 件。`,
        `在全部客户交互中，使用标准礼貌用语的比例达到 ${v.f('politePhrasePercent')}%。`,
        `对客户求助的平均响应时间不超过 ${v.f('averageResponseSeconds')} 秒。`,
      ]),
      '以满意度调查得分、投诉系统记录、主管评分和培训考核成绩作为衡量依据。',
      '## 第四条 改善措施',
      list([
        `培训：协议生效后第一个月内，参加不少于 ${v.f('trainingHours')} 学时的服务态度专项培训（沟通、情绪管理、客户心理、服务礼仪），之后视需要参加补充培训。`,
        `辅导：直接主管（${supervisor}）每月和乙方单独面谈辅导一次，既肯定进步也指出不足，乙方记下反馈意见。`,
        `规范：重新学习${org}的客户服务行为规范和仪容仪表要求，并在日常服务中执行。`,
        '演练：在日常工作中运用所学方法，参加部门安排的情景模拟演练。',
      ]),
      '## 第五条 里程碑',
      list([
        '第 1 个月末：完成专项培训，制定个人改进计划。',
        '第 3 个月末：进行中期评估，根据结果调整改进计划。',
        '第 6 个月末：期满总评，认定改善成效。',
      ]),
      '## 第六条 监督与评估',
      list([
        `直接主管（${supervisor}）和人力资源部门负责监督改善措施的落实。`,
        '每月做一次评估记录，每季度正式评估一次，期满进行全面评估。',
        '评估参考满意度调查、主管每月评分、投诉记录，以及匿名征集的客户和同事意见。',
      ]),
      '## 第七条 双方权利义务',
      list([
        '甲方可以监督、评估乙方的服务态度并给出反馈，据此给予奖励或惩戒；同时应提供培训资源和指导，保证评估公平客观，并及时告知结果。',
        '乙方可以获得培训和反馈，可以知悉评估标准和评估结果，认为评估不合理的可以提出异议；乙方应按时参加培训，落实改善措施，遵守服务规范。',
      ]),
      '## 第八条 激励与惩戒',
      list([
        '达到或超过改善目标的，给予书面表扬、内部通报表扬或绩效加分等奖励。',
        '未达到改善目标的，视情况延长改善期、调整岗位或按甲方制度处理。',
      ]),
      signatureZh(['甲方（盖章）', '甲方负责人（签字）', '乙方（签字）', '日期']),
    );

    const en = doc(
      '# Service attitude improvement agreement',
      bullets([`Manager side: ${v.en('orgName')}`, `Agent: ${v.en('agentName')}`, `Position: ${v.en('position')}`, `Direct supervisor: ${v.en('supervisorName')}`]),
      'An internal agreement, not published, to help the agent improve their service attitude.',
      `**Problems.** Curt language, impatience, little empathy with complaints and lapses in appearance, shown by ${v.en('evidence')}.`,
      '## Goals for the six months',
      list([
        `Attitude satisfaction rises from an average of ${v.f('currentSatisfaction')} to at least ${v.f('targetSatisfaction')} out of ${v.f('satisfactionScale')} points.`,
        `Attitude complaints fall ${v.f('complaintReductionPercent')}% below the prior three-month average of ${v.f('baselineComplaintsPerMonth')} a month: at most ${fmt(maxComplaints)} a month.`,
        `Standard polite phrases in ${v.f('politePhrasePercent')}% of interactions.`,
        `Average response time of at most ${plural(v.n('averageResponseSeconds'), 'second')}.`,
      ]),
      '## Measures and milestones',
      list([
        `At least ${plural(v.n('trainingHours'), 'training hour')} in month 1; monthly one-to-one coaching with recorded feedback; the conduct rules relearned; scenario drills.`,
        'End of month 1: training done and a personal plan made. End of month 3: mid-term evaluation. End of month 6: final evaluation.',
        'A record every month, a formal evaluation every quarter; the agent may dispute an unreasonable evaluation.',
        'Goals met: written or public praise or performance points. Goals missed: a longer period, another post or the rules of the Organization.',
      ]),
      signatureEn(['Manager side (seal)', 'Person in charge (signature)', 'Agent (signature)', 'Date']),
    );

    const targets: Target[] = [
      rate({
        key: 'attitude-satisfaction',
        zh: '服务态度满意度',
        en: 'Attitude satisfaction',
        metric: 'satisfaction_score',
        period: 'half_year',
        comparator: '>=',
        threshold: v.n('targetSatisfaction'),
        scale: v.n('satisfactionScale'),
      }),
      rate({
        key: 'attitude-complaints',
        zh: '每月服务态度投诉数',
        en: 'Attitude complaints per month',
        metric: 'complaint_count',
        period: 'month',
        comparator: '<=',
        threshold: maxComplaints,
        appliesTo: { requestTypes: ['complaint'] },
      }),
      rate({
        key: 'polite-phrases',
        zh: '规范礼貌用语使用率',
        en: 'Standard polite phrases used',
        metric: 'polite_phrase_rate',
        period: 'month',
        comparator: '>=',
        threshold: v.n('politePhrasePercent'),
      }),
      rate({
        key: 'average-response',
        zh: '平均响应时间（秒）',
        en: 'Average response time (seconds)',
        metric: 'average_response_seconds',
        period: 'month',
        comparator: '<=',
        threshold: v.n('averageResponseSeconds'),
      }),
    ];
    return { zh, en, targets, partyType: 'individual' };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------------------------

function compile(d: Definition): CommitmentTemplate {
  const specs = new Map(d.parameters.map((p) => [p.key, p]));
  return Object.freeze({
    key: d.key,
    title: d.title,
    titleEn: d.titleEn,
    description: d.description,
    descriptionEn: d.descriptionEn,
    internal: d.internal,
    parameters: Object.freeze([...d.parameters]),
    instantiate(values: TemplateValues = {}): VersionContent {
      const resolved = new Map<string, string | number>();
      for (const [key, raw] of Object.entries(values)) {
        const spec = specs.get(key);
        if (!spec) throw invalid(d.key, key, raw, 'is not a parameter of this template');
        if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) continue;
        resolved.set(key, checkValue(d.key, spec, raw));
      }
      for (const spec of d.parameters) if (!resolved.has(spec.key)) resolved.set(spec.key, spec.default);
      const v = new Values(d.key, specs, resolved);
      d.check?.(v);
      return content(v, d.title, d.build(v));
    },
  });
}

/** The five templates, in the order the admin sees them. */
export const TEMPLATES: readonly CommitmentTemplate[] = Object.freeze([serviceAttitude, efficientResponse, onlineOffline, conductNorms, improvementAgreement].map(compile));

/** The template with this key, or undefined. */
export function findTemplate(key: string): CommitmentTemplate | undefined {
  return TEMPLATES.find((t) => t.key === key);
}

/** What the admin picks from: key, title, description, internal flag and the parameters with their defaults. */
export function templateSummaries(): TemplateSummaryShape[] {
  return TEMPLATES.map((t) => ({
    key: t.key,
    title: t.title,
    description: t.description,
    internal: t.internal,
    parameters: t.parameters.map((p) => ({ key: p.key, label: { ...p.label }, type: p.type, default: p.default, unit: p.unit })),
  }));
}

/**
 * Writes the version content of a template. Values may be numbers or numeric text; an empty or missing value takes
 * the default. Throws {@link TemplateError} `template.unknown` for an unknown template and `template.invalid_value`
 * (naming the parameter) for an unknown parameter, a wrong type, a value out of range or a broken cross-field rule.
 */
export function instantiateTemplate(key: string, values: TemplateValues = {}): VersionContent {
  const template = findTemplate(key);
  if (!template) throw new TemplateError('template.unknown', `unknown template ${JSON.stringify(key)}`, { template: key });
  return template.instantiate(values);
}
