/**
 * Targets applied: the service the requests capability calls when a request is registered or changes. It
 * matches the request against the commitment versions pinned on it (or in force now), and starts a clock
 * for each matching time-limit target whose start event just happened, on the target's calendar (or the
 * organization's default calendar). Each clock records its commitment version and target, so the request
 * page can explain every deadline.
 */
import { AppError } from '../../core/errors.js';
import type { TxCtx } from '../../core/context.js';
import { localDateOf } from '../calendars/calendar.js';
import { compiledOf, defaultCalendar } from '../calendars/service.js';
import { startClock, type ClockView } from '../clocks/service.js';
import type { RequestFacts, StartEvent, TimeLimitTarget } from './contracts.js';
import { matchTargets, type TargetMatch } from './matching.js';
import { versionsById, versionsInForce } from './service.js';

export interface ApplyTargets {
  subjectType: string;
  subjectId: string;
  facts: RequestFacts;
  /** The loop event that just happened (request.registered, complaint.registered, request.escalated…). */
  event: StartEvent;
  /** Versions pinned on the request at registration; omitted: the versions in force now (registration). */
  pinnedVersionIds?: readonly string[];
  at?: Date;
}

export interface AppliedClock {
  clock: ClockView;
  match: TargetMatch;
}

/** Starts the clocks of every matching target started by `event`; returns them with their explanation. */
export async function applyTargets(t: TxCtx, input: ApplyTargets): Promise<{ versionIds: string[]; clocks: AppliedClock[] }> {
  const at = input.at ?? t.now();
  const versions = input.pinnedVersionIds ? await versionsById(t.tx, t.orgId, input.pinnedVersionIds) : await versionsInForce(t.tx, t.orgId);
  const fallback = await defaultCalendar(t.tx, t.orgId);
  // The request's local date decides the effective period, in the organization's default calendar zone.
  const localDate = fallback ? localDateOf(compiledOf(fallback), at) : at.toISOString().slice(0, 10);
  const matches = matchTargets(versions, input.facts, localDate).filter(
    (m): m is TargetMatch & { target: TimeLimitTarget } => m.applies && m.target.kind === 'time_limit' && m.target.start === input.event,
  );
  const clocks: AppliedClock[] = [];
  for (const match of matches) {
    const calendarId = match.target.calendarId ?? fallback?.id;
    if (!calendarId) throw new AppError('org.invalid_reference', { entity: 'calendar' }, { field: 'calendarId', reason: 'no default calendar' });
    const clock = await startClock(t, {
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      kind: match.target.stop,
      label: `${match.version.number} v${match.version.version} · ${match.target.name['zh-CN']}`,
      commitmentVersionId: match.version.id,
      targetKey: match.target.key,
      calendarId,
      duration: match.target.duration,
      warnRatio: match.target.warnRatio,
      startedAt: at,
    });
    clocks.push({ clock, match });
  }
  return { versionIds: versions.map((v) => v.id), clocks };
}
