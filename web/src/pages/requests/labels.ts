/** Names of clocks, loop actions, events and audit actions on the request page, in the UI language. */
import { StartEvent, StopEvent } from '@contracts/commitments/contracts';
import { LoopAction } from '@contracts/requests/contracts';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClockExplanation } from '../../api/requests';
import { currentLanguage } from '../../i18n';

const CLOCK_KINDS = ['first_response', 'next_reply', 'initial_solution', 'emergency_response', 'complaint.registered', 'resolved', 'result.delivered', 'archived'] as const;
type ClockKind = (typeof CLOCK_KINDS)[number];

const isClockKind = (kind: string): kind is ClockKind => (CLOCK_KINDS as readonly string[]).includes(kind);
const AUDIT_VERBS = ['register', 'update', 'assign', 'transfer', 'escalate', 'escalation_ack', 'reply', 'note', 'customer_message'] as const;
const isAuditVerb = (verb: string): verb is (typeof AUDIT_VERBS)[number] => (AUDIT_VERBS as readonly string[]).includes(verb);
export const isLoopAction = (value: string | null): value is LoopAction => value !== null && (LoopAction.options as readonly string[]).includes(value);
export const isStartEvent = (value: string | null): value is StartEvent => value !== null && (StartEvent.options as readonly string[]).includes(value);
export const isStopEvent = (value: string | null): value is StopEvent => value !== null && (StopEvent.options as readonly string[]).includes(value);

export function useRequestLabels() {
  const { t } = useTranslation();

  /** A clock by its target's name (in the UI language), else by what stops it. */
  const clockName = useCallback(
    (clock: { kind: string; label: string | null }, explanation?: ClockExplanation): string => {
      const name = explanation?.targetName;
      if (name) return currentLanguage() === 'en-US' && name['en-US'] ? name['en-US'] : name['zh-CN'];
      if (isClockKind(clock.kind)) return t(`vocab.clockKind.${clock.kind}`);
      return clock.label ?? clock.kind;
    },
    [t],
  );

  const actionName = useCallback((action: string | null): string => (isLoopAction(action) ? t(`vocab.action.${action}`) : (action ?? '')), [t]);

  /** "request.start_handling" → 开始处理; actions of other entities keep their code (it names them exactly). */
  const auditAction = useCallback(
    (action: string): string => {
      const [entity, verb = ''] = action.split(/\.(.+)/);
      if (entity !== 'request') return action;
      if (isLoopAction(verb)) return t(`vocab.action.${verb}`);
      if (isAuditVerb(verb)) return t(`requestPage.timeline.auditVerb.${verb}`);
      return action;
    },
    [t],
  );

  return { clockName, actionName, auditAction };
}
