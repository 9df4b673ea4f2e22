/**
 * Commitments (服务承诺书): the list, versions and their approval procedure, templates, notices (公告) and the
 * explainable matching. Shapes come from the server's commitment contracts.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import {
  ApprovalStep as ApprovalStepSchema,
  Channel as ChannelSchema,
  ChangeTrigger as ChangeTriggerSchema,
  CustomerFlag as CustomerFlagSchema,
  PartyType as PartyTypeSchema,
  Priority as PrioritySchema,
  RateMetric as RateMetricSchema,
  RateTarget as RateTargetSchema,
  Remedy as RemedySchema,
  RequestType as RequestTypeSchema,
  StartEvent as StartEventSchema,
  StopEvent as StopEventSchema,
  VersionStatus as VersionStatusSchema,
  type ApprovalRecord as ApprovalRecordSchema,
  type AppliesTo as AppliesToSchema,
  type CommitmentCreate as CommitmentCreateSchema,
  type CommitmentSummary as CommitmentSummarySchema,
  type Decision as DecisionSchema,
  type NewVersion as NewVersionSchema,
  type Notice as NoticeSchema,
  type Publish as PublishSchema,
  type Target as TargetSchema,
  type TemplateParameter as TemplateParameterSchema,
  type TemplateSummary as TemplateSummarySchema,
  type TimeLimitTarget as TimeLimitTargetSchema,
  type Version as VersionSchema,
  type VersionUpdate as VersionUpdateSchema,
} from '@contracts/commitments/contracts';
import { api } from './client';
import type { Staff } from './types';

export type Version = z.infer<typeof VersionSchema>;
export type VersionStatus = z.infer<typeof VersionStatusSchema>;
export type ApprovalStep = z.infer<typeof ApprovalStepSchema>;
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;
export type ChangeTrigger = z.infer<typeof ChangeTriggerSchema>;
export type CommitmentSummary = z.infer<typeof CommitmentSummarySchema>;
export type CommitmentCreate = z.input<typeof CommitmentCreateSchema>;
export type VersionUpdate = z.input<typeof VersionUpdateSchema>;
export type Decision = z.input<typeof DecisionSchema>;
export type PublishInput = z.input<typeof PublishSchema>;
export type NewVersionInput = z.infer<typeof NewVersionSchema>;
export type Notice = z.infer<typeof NoticeSchema>;
export type Target = z.infer<typeof TargetSchema>;
export type TimeLimitTarget = z.infer<typeof TimeLimitTargetSchema>;
export type RateTarget = z.infer<typeof RateTargetSchema>;
export type AppliesTo = z.infer<typeof AppliesToSchema>;
export type Remedy = z.infer<typeof RemedySchema>;
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;
export type TemplateParameter = z.infer<typeof TemplateParameterSchema>;
export type Channel = z.infer<typeof ChannelSchema>;
export type RequestType = z.infer<typeof RequestTypeSchema>;
export type Priority = z.infer<typeof PrioritySchema>;
export type CommitmentCustomerFlag = z.infer<typeof CustomerFlagSchema>;
export type StartEvent = z.infer<typeof StartEventSchema>;
export type StopEvent = z.infer<typeof StopEventSchema>;
export type RateMetric = z.infer<typeof RateMetricSchema>;
export type RatePeriod = RateTarget['period'];
export type PartyType = z.infer<typeof PartyTypeSchema>;

/** Runtime lists from the contracts: a new channel, event or metric appears in the selects by itself. */
export const CHANNELS = ChannelSchema.options;
export const REQUEST_TYPES = RequestTypeSchema.options;
export const PRIORITIES = PrioritySchema.options;
export const COMMITMENT_FLAGS = CustomerFlagSchema.options;
export const START_EVENTS = StartEventSchema.options;
export const STOP_EVENTS = StopEventSchema.options;
export const RATE_METRICS = RateMetricSchema.options;
export const RATE_PERIODS = RateTargetSchema.shape.period.options;
export const REMEDY_KINDS = RemedySchema.shape.kind.options;
export const VERSION_STATUSES = VersionStatusSchema.options;
export const APPROVAL_STEPS = ApprovalStepSchema.options;
export const CHANGE_TRIGGERS = ChangeTriggerSchema.options;
export const NEW_VERSION_TRIGGERS = CHANGE_TRIGGERS.filter((t): t is Exclude<ChangeTrigger, 'initial'> => t !== 'initial');
export const PARTY_TYPES = PartyTypeSchema.options;

/** The permission that decides each approval step (mirrors the server's STEP_PERMISSION). */
export const STEP_PERMISSION = {
  internal_evaluation: 'commitment.evaluate',
  joint_meeting: 'commitment.meeting',
  decision_body: 'commitment.decide',
} as const satisfies Record<ApprovalStep, string>;

export interface MatchFacts {
  type: RequestType;
  priority: Priority;
  channel: Channel;
  customerFlags: CommitmentCustomerFlag[];
  branchId: string | null;
  departmentId: string | null;
}

export interface MatchResult {
  commitmentId: string;
  number: string;
  versionId: string;
  version: number;
  target: Target;
  applies: boolean;
  checks: { dimension: string; expected: string[]; actual: string[]; ok: boolean }[];
}

export const commitmentsKey = ['commitments'] as const;
const versionsKey = (commitmentId: string) => [...commitmentsKey, 'versions', commitmentId] as const;
const noticesKey = ['notices'] as const;

export function useCommitments(enabled = true) {
  return useQuery({ queryKey: [...commitmentsKey, 'list'], queryFn: () => api.get<CommitmentSummary[]>('/commitments'), enabled });
}

export function useTemplates(enabled = true) {
  return useQuery({
    queryKey: [...commitmentsKey, 'templates'],
    queryFn: () => api.get<TemplateSummary[]>('/commitments/templates'),
    enabled,
    staleTime: 10 * 60_000,
  });
}

/** Every version of a commitment, newest first, with its approval record. */
export function useVersions(commitmentId: string | undefined) {
  return useQuery({
    queryKey: versionsKey(commitmentId ?? ''),
    queryFn: () => api.get<Version[]>(`/commitments/${commitmentId}/versions`),
    enabled: Boolean(commitmentId),
  });
}

export function useNotices(enabled = true) {
  return useQuery({ queryKey: noticesKey, queryFn: () => api.get<Notice[]>('/notices'), enabled });
}

/** One person, for showing the responsible person of a version (null when not visible to me). */
export function useStaffMember(id: string | null | undefined) {
  return useQuery({
    queryKey: ['staff', 'one', id],
    queryFn: () => api.get<Staff>(`/staff/${id}`),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}

/** After any change: the list, this commitment's versions and the notices are fetched again. */
function useInvalidate() {
  const client = useQueryClient();
  return async (version?: Version) => {
    if (version) client.setQueryData<Version[]>(versionsKey(version.commitmentId), (old) => old?.map((v) => (v.id === version.id ? version : v)));
    await Promise.all([client.invalidateQueries({ queryKey: commitmentsKey }), client.invalidateQueries({ queryKey: noticesKey })]);
  };
}

export function useCreateCommitment() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: CommitmentCreate) => api.post<Version>('/commitments', input),
    onSuccess: () => invalidate(),
  });
}

export function useCreateFromTemplate() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ key, number, values }: { key: string; number: string; values: Record<string, string | number> }) =>
      api.post<Version>(`/commitments/templates/${encodeURIComponent(key)}`, { number, values }),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateVersion() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: VersionUpdate }) => api.patch<Version>(`/commitments/versions/${id}`, patch),
    onSuccess: (v) => invalidate(v),
  });
}

export function useSubmitVersion() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api.post<Version>(`/commitments/versions/${id}/submit`, {}),
    onSuccess: (v) => invalidate(v),
  });
}

export function useWithdrawVersion() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, comment }: { id: string; comment: string }) => api.post<Version>(`/commitments/versions/${id}/withdraw`, { comment }),
    onSuccess: (v) => invalidate(v),
  });
}

export function useDecideStep() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, step, decision }: { id: string; step: ApprovalStep; decision: Decision }) =>
      api.post<Version>(`/commitments/versions/${id}/steps/${step}`, decision),
    onSuccess: (v) => invalidate(v),
  });
}

export function usePublishVersion() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: PublishInput }) => api.post<Version>(`/commitments/versions/${id}/publish`, input),
    onSuccess: (v) => invalidate(v),
  });
}

export function useStartNewVersion() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ commitmentId, input }: { commitmentId: string; input: NewVersionInput }) =>
      api.post<Version>(`/commitments/${commitmentId}/versions`, input),
    onSuccess: () => invalidate(),
  });
}

export function useMatch() {
  return useMutation({
    mutationFn: (input: { facts: MatchFacts; localDate: string }) => api.post<MatchResult[]>('/commitments/match', input),
  });
}
