import { describe, expect, it } from 'vitest';
import { allowedSteps, CA_STATES, CA_STEPS, caTransition, isActive, isWorkable, type CaState, type CaStep } from './ca-loop.js';

/** The whole table: [from, step, to] for every allowed move; everything else is refused. */
const ALLOWED: [CaState, CaStep, CaState][] = [
  ['open', 'start', 'in_progress'],
  ['open', 'cancel', 'cancelled'],
  ['in_progress', 'submit', 'submitted'],
  ['in_progress', 'cancel', 'cancelled'],
  ['submitted', 'accept', 'closed'],
  ['submitted', 'return', 'in_progress'],
  ['submitted', 'cancel', 'cancelled'],
];

describe('corrective action lifecycle', () => {
  const all = CA_STATES.flatMap((s) => CA_STEPS.map((a) => [s, a] as const));
  it.each(all)('%s --%s-->', (state, step) => {
    const expected = ALLOWED.find(([s, a]) => s === state && a === step);
    const result = caTransition(state, step);
    if (expected) expect(result).toEqual({ ok: true, to: expected[2] });
    else expect(result).toEqual({ ok: false, from: state, step, allowed: allowedSteps(state) });
  });

  it('cannot be verified before it is submitted, nor submitted before it is started', () => {
    expect(caTransition('open', 'accept').ok).toBe(false);
    expect(caTransition('in_progress', 'accept').ok).toBe(false);
    expect(caTransition('open', 'submit').ok).toBe(false);
    expect(allowedSteps('open')).toEqual(['start', 'cancel']);
  });

  it('walks open → worked → returned → resubmitted → closed; closed and cancelled are terminal', () => {
    let state: CaState = 'open';
    for (const step of ['start', 'submit', 'return', 'submit', 'accept'] as const) {
      const r = caTransition(state, step);
      if (!r.ok) throw new Error(`${state} --${step}`);
      state = r.to;
    }
    expect(state).toBe('closed');
    expect(allowedSteps('closed')).toEqual([]);
    expect(allowedSteps('cancelled')).toEqual([]);
    expect(CA_STATES.filter(isActive)).toEqual(['open', 'in_progress', 'submitted']);
    expect(CA_STATES.filter(isWorkable)).toEqual(['open', 'in_progress']);
  });
});
