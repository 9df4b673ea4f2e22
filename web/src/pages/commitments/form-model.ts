/**
 * The draft editor's form model and its conversion to and from a version: warn ratio shown in percent, the
 * default calendar as '', the remedy behind a switch, dates as dayjs, scope flattened.
 */
import dayjs, { type Dayjs } from 'dayjs';
import type {
  AppliesTo, Channel, CommitmentCustomerFlag, PartyType, Priority, RateMetric, RatePeriod, RequestType, Remedy, StartEvent, StopEvent, Target,
  Version, VersionUpdate,
} from '../../api/commitments';

export interface FormAppliesTo {
  channels: Channel[];
  requestTypes: RequestType[];
  priorities: Priority[];
  customerFlags: CommitmentCustomerFlag[];
}

interface FormTargetBase {
  key: string;
  nameZh: string;
  nameEn: string;
  appliesTo: FormAppliesTo;
}

export interface FormTimeLimit extends FormTargetBase {
  kind: 'time_limit';
  start: StartEvent;
  stop: StopEvent;
  duration: string;
  calendarId: string;
  warnPct: number | null;
  complianceGoal: number | null;
  hasRemedy: boolean;
  remedy: Remedy;
}

export interface FormRate extends FormTargetBase {
  kind: 'rate';
  metric: RateMetric;
  period: RatePeriod;
  comparator: '>=' | '<=';
  threshold: number | null;
  scale: number | null;
  /** Satisfaction metrics: weights of survey-side and callback ratings (both empty: the survey settings'). */
  weightSurvey?: number | null;
  weightCallback?: number | null;
}

export type FormTarget = FormTimeLimit | FormRate;

export interface EditorValues {
  title: string;
  partyType: PartyType;
  effectiveFrom: Dayjs | null;
  effectiveTo: Dayjs | null;
  responsibleDepartmentId: string | null;
  responsiblePersonId: string | null;
  scopeBranchIds: string[];
  scopeDepartmentIds: string[];
  scopeChannels: Channel[];
  bodyZh: string;
  bodyEn: string;
  targets: FormTarget[];
}

const EMPTY_APPLIES: FormAppliesTo = { channels: [], requestTypes: [], priorities: [], customerFlags: [] };

function appliesToForm(a: AppliesTo | undefined): FormAppliesTo {
  return a ? { channels: [...a.channels], requestTypes: [...a.requestTypes], priorities: [...a.priorities], customerFlags: [...a.customerFlags] } : { ...EMPTY_APPLIES };
}

export function targetToForm(target: Target): FormTarget {
  const base = { key: target.key, nameZh: target.name['zh-CN'], nameEn: target.name['en-US'] ?? '', appliesTo: appliesToForm(target.appliesTo) };
  if (target.kind === 'time_limit') {
    return {
      ...base,
      kind: 'time_limit',
      start: target.start,
      stop: target.stop,
      duration: target.duration,
      calendarId: target.calendarId ?? '',
      warnPct: target.warnRatio === null ? null : Math.round(target.warnRatio * 100),
      complianceGoal: target.complianceGoal,
      hasRemedy: target.remedy !== null,
      remedy: target.remedy ?? { kind: 'apology_call', description: '', duration: 'P1D' },
    };
  }
  return { ...base, kind: 'rate', metric: target.metric, period: target.period, comparator: target.comparator, threshold: target.threshold, scale: target.scale, weightSurvey: target.weights?.survey ?? null, weightCallback: target.weights?.callback ?? null };
}

export function targetFromForm(f: FormTarget): Target {
  const name = { 'zh-CN': f.nameZh.trim(), ...(f.nameEn.trim() ? { 'en-US': f.nameEn.trim() } : {}) };
  const appliesTo = appliesToForm(f.appliesTo);
  if (f.kind === 'time_limit') {
    return {
      kind: 'time_limit',
      key: f.key.trim(),
      name,
      start: f.start,
      stop: f.stop,
      duration: f.duration.trim(),
      calendarId: f.calendarId ? f.calendarId : null,
      appliesTo,
      warnRatio: f.warnPct === null || f.warnPct === undefined ? null : f.warnPct / 100,
      complianceGoal: f.complianceGoal ?? null,
      remedy: f.hasRemedy ? { kind: f.remedy.kind, description: f.remedy.description.trim(), duration: f.remedy.duration.trim() } : null,
    };
  }
  const satisfaction = f.metric === 'satisfaction_score' || f.metric === 'satisfaction_rate';
  const weighted = satisfaction && (f.weightSurvey ?? null) !== null && (f.weightCallback ?? null) !== null;
  return {
    kind: 'rate', key: f.key.trim(), name, metric: f.metric, period: f.period, comparator: f.comparator, threshold: f.threshold ?? 0, scale: f.scale ?? null, appliesTo,
    ...(weighted ? { weights: { survey: f.weightSurvey!, callback: f.weightCallback! } } : {}),
  };
}

export function toForm(v: Version): EditorValues {
  return {
    title: v.title,
    partyType: v.partyType,
    effectiveFrom: v.effectiveFrom ? dayjs(v.effectiveFrom) : null,
    effectiveTo: v.effectiveTo ? dayjs(v.effectiveTo) : null,
    responsibleDepartmentId: v.responsibleDepartmentId,
    responsiblePersonId: v.responsiblePersonId,
    scopeBranchIds: [...v.scope.branchIds],
    scopeDepartmentIds: [...v.scope.departmentIds],
    scopeChannels: [...v.scope.channels],
    bodyZh: v.bodyZh,
    bodyEn: v.bodyEn ?? '',
    targets: v.targets.map(targetToForm),
  };
}

export function fromForm(values: EditorValues): VersionUpdate {
  return {
    title: values.title.trim(),
    partyType: values.partyType,
    effectiveFrom: values.effectiveFrom ? values.effectiveFrom.format('YYYY-MM-DD') : null,
    effectiveTo: values.effectiveTo ? values.effectiveTo.format('YYYY-MM-DD') : null,
    responsibleDepartmentId: values.responsibleDepartmentId ?? null,
    responsiblePersonId: values.responsiblePersonId ?? null,
    scope: { branchIds: values.scopeBranchIds ?? [], departmentIds: values.scopeDepartmentIds ?? [], channels: values.scopeChannels ?? [] },
    bodyZh: values.bodyZh ?? '',
    bodyEn: values.bodyEn?.trim() ? values.bodyEn : null,
    targets: (values.targets ?? []).map(targetFromForm),
  };
}

/** A key not yet used by the other targets: "target-3". */
export function freshKey(existing: readonly { key?: string }[], prefix: string): string {
  const used = new Set(existing.map((t) => t.key));
  for (let i = existing.length + 1; ; i++) if (!used.has(`${prefix}-${i}`)) return `${prefix}-${i}`;
}

export function newTimeLimit(existing: readonly { key?: string }[]): FormTimeLimit {
  return {
    kind: 'time_limit',
    key: freshKey(existing, 'limit'),
    nameZh: '',
    nameEn: '',
    appliesTo: { ...EMPTY_APPLIES },
    start: 'request.registered',
    stop: 'first_response',
    duration: 'PT30M',
    calendarId: '',
    warnPct: 80,
    complianceGoal: 95,
    hasRemedy: false,
    remedy: { kind: 'apology_call', description: '', duration: 'P1D' },
  };
}

export function newRate(existing: readonly { key?: string }[]): FormRate {
  return {
    kind: 'rate',
    key: freshKey(existing, 'rate'),
    nameZh: '',
    nameEn: '',
    appliesTo: { ...EMPTY_APPLIES },
    metric: 'satisfaction_rate',
    period: 'quarter',
    comparator: '>=',
    threshold: 95,
    scale: null,
  };
}

/** The form field a server issue path names ("targets.0.warnRatio" → ['targets', 0, 'warnPct']), if any. */
export function fieldOfIssue(path: string): (string | number)[] | null {
  const parts = path.replace(/^body\./, '').split('.').filter(Boolean);
  if (parts.length === 0) return null;
  const [head, ...rest] = parts;
  if (head === 'scope') {
    const sub = rest[0];
    return sub === 'branchIds' ? ['scopeBranchIds'] : sub === 'departmentIds' ? ['scopeDepartmentIds'] : sub === 'channels' ? ['scopeChannels'] : null;
  }
  if (head === 'targets' && rest.length >= 2 && /^\d+$/.test(rest[0]!)) {
    const index = Number(rest[0]);
    const field = rest[1]!;
    if (field === 'name') return ['targets', index, rest[2] === 'en-US' ? 'nameEn' : 'nameZh'];
    if (field === 'warnRatio') return ['targets', index, 'warnPct'];
    if (field === 'appliesTo' && rest[2]) return ['targets', index, 'appliesTo', rest[2]];
    if (field === 'remedy' && rest[2]) return ['targets', index, 'remedy', rest[2]];
    return ['targets', index, field];
  }
  if (['title', 'partyType', 'effectiveFrom', 'effectiveTo', 'responsibleDepartmentId', 'responsiblePersonId', 'bodyZh', 'bodyEn'].includes(head!)) return [head!];
  return null;
}
