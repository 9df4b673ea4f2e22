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
import { compiledOf } from '../calendars/service.js';
import { calendarsOf, cancelClockById, clocksOfSubject, startClock, startClocks, type ClockStart, type ClockView } from '../clocks/service.js';
import type { RequestFacts, StartEvent, TimeLimitTarget } from './contracts.js';
import { matchTargets, type TargetMatch, type VersionForMatching } from './matching.js';
import { versionsById, versionsInForce } from './service.js';

export interface ApplyTargets {
  subjectType: string;
  subjectId: string;
  facts: RequestFacts;
  /** The loop event that just happened (request.registered, complaint.registered, request.escalated…), or several at once. */
  event: StartEvent | readonly StartEvent[];
  /** Versions pinned on the request at registration; omitted: the versions in force now (registration). */
  pinnedVersionIds?: readonly string[];
  /** The versions to match, when the caller already has them (registration's cached versions in force). */
  versions?: readonly VersionForMatching[];
  at?: Date;
}

export interface AppliedClock {
  clock: ClockView;
  match: TargetMatch;
}

/** Starts the clocks of every matching target started by `event`; returns them with their explanation. */
export async function applyTargets(t: TxCtx, input: ApplyTargets): Promise<{ versionIds: string[]; clocks: AppliedClock[] }> {
  const at = input.at ?? t.now();
  const versions = input.versions ?? (input.pinnedVersionIds ? await versionsById(t.tx, t.orgId, input.pinnedVersionIds) : await versionsInForce(t.tx, t.orgId));
  const { fallback } = await calendarsOf(t);
  // The request's local date decides the effective period, in the organization's default calendar zone.
  const localDate = fallback ? localDateOf(compiledOf(fallback), at) : at.toISOString().slice(0, 10);
  const events: readonly StartEvent[] = typeof input.event === 'string' ? [input.event] : input.event;
  const all = matchTargets([...versions], input.facts, localDate).filter((m): m is TargetMatch & { target: TimeLimitTarget } => m.applies && m.target.kind === 'time_limit');
  // In the order of the events, then of the targets (as if each event had been applied in turn).
  const matches = events.flatMap((event) => all.filter((m) => m.target.start === event));
  const starts: ClockStart[] = matches.map((match) => {
    const calendarId = match.target.calendarId ?? fallback?.id;
    if (!calendarId) throw new AppError('org.invalid_reference', { entity: 'calendar' }, { field: 'calendarId', reason: 'no default calendar' });
    return {
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
    };
  });
  const started = await startClocks(t, starts);
  return { versionIds: versions.map((v) => v.id), clocks: started.map((clock, i) => ({ clock, match: matches[i]! })) };
}

export interface ReapplyTargets {
  subjectType: string;
  subjectId: string;
  /** The request's facts after the change (type, priority, channel, customer…). */
  facts: RequestFacts;
  pinnedVersionIds: readonly string[];
  /** The start events that have happened on the request, with when (registration, escalation…). */
  happened: ReadonlyArray<{ event: StartEvent; at: Date }>;
}

/**
 * After a request's type, priority, channel or customer changes: cancels the open clocks whose target no
 * longer applies and starts the clocks of targets that now apply, counted from when their start event
 * happened (so a complaint reclassified an hour after registration is due as if it had been one all along).
 */
export async function reapplyTargets(t: TxCtx, input: ReapplyTargets): Promise<{ started: AppliedClock[]; cancelled: ClockView[] }> {
  const versions = await versionsById(t.tx, t.orgId, input.pinnedVersionIds);
  const { fallback } = await calendarsOf(t);
  const existing = (await clocksOfSubject(t, input.subjectType, input.subjectId)).filter((c) => c.targetKey !== null);
  const started: AppliedClock[] = [];
  const stillApplying = new Set<string>();
  for (const { event, at } of input.happened) {
    const localDate = fallback ? localDateOf(compiledOf(fallback), at) : at.toISOString().slice(0, 10);
    const matches = matchTargets(versions, input.facts, localDate).filter(
      (m): m is TargetMatch & { target: TimeLimitTarget } => m.applies && m.target.kind === 'time_limit' && m.target.start === event,
    );
    for (const match of matches) {
      const key = `${match.version.id}:${match.target.key}`;
      stillApplying.add(key);
      if (existing.some((c) => c.state !== 'cancelled' && `${c.commitmentVersionId}:${c.targetKey}` === key)) continue;
      const calendarId = match.target.calendarId ?? fallback?.id;
      if (!calendarId) throw new AppError('org.invalid_reference', { entity: 'calendar' }, { field: 'calendarId', reason: 'no default calendar' });
      const clock = await startClock(t, {
        subjectType: input.subjectType, subjectId: input.subjectId, kind: match.target.stop,
        label: `${match.version.number} v${match.version.version} · ${match.target.name['zh-CN']}`,
        commitmentVersionId: match.version.id, targetKey: match.target.key, calendarId, duration: match.target.duration,
        warnRatio: match.target.warnRatio, startedAt: at,
      });
      started.push({ clock, match });
    }
  }
  const cancelled: ClockView[] = [];
  for (const clock of existing) {
    if (stillApplying.has(`${clock.commitmentVersionId}:${clock.targetKey}`) || clock.state === 'met' || clock.state === 'cancelled') continue;
    cancelled.push(...(await cancelClockById(t, clock.id)));
  }
  return { started, cancelled };
}
