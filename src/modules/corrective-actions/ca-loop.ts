/**
 * The lifecycle of a corrective action (整改) as an explicit state machine (pure, no I/O):
 * open → in_progress (the owner works it: root cause, actions, evidence, re-contact) → submitted (for
 * verification) → closed (a supervisor accepts) or back to in_progress (returned, with a reason). An action
 * not yet closed may be cancelled (with a reason). Closed and cancelled are terminal.
 */
export const CA_STATES = ['open', 'in_progress', 'submitted', 'closed', 'cancelled'] as const;
export type CaState = (typeof CA_STATES)[number];

export const CA_STEPS = ['start', 'submit', 'accept', 'return', 'cancel'] as const;
export type CaStep = (typeof CA_STEPS)[number];

const TRANSITIONS: Record<CaStep, { from: readonly CaState[]; to: CaState }> = {
  start: { from: ['open'], to: 'in_progress' }, // the owner takes it up
  submit: { from: ['in_progress'], to: 'submitted' }, // for verification (复核)
  accept: { from: ['submitted'], to: 'closed' }, // the supervisor accepts: closed
  return: { from: ['submitted'], to: 'in_progress' }, // the supervisor returns it, with a reason
  cancel: { from: ['open', 'in_progress', 'submitted'], to: 'cancelled' },
};

/** The steps allowed from a state, in lifecycle order (what a 409 tells the caller it may do instead). */
export function allowedSteps(state: CaState): CaStep[] {
  return CA_STEPS.filter((step) => TRANSITIONS[step].from.includes(state));
}

export type CaTransition = { ok: true; to: CaState } | { ok: false; from: CaState; step: CaStep; allowed: CaStep[] };

export function caTransition(from: CaState, step: CaStep): CaTransition {
  const rule = TRANSITIONS[step];
  if (rule.from.includes(from)) return { ok: true, to: rule.to };
  return { ok: false, from, step, allowed: allowedSteps(from) };
}

/** Still to be worked or verified (its deadline clock runs). */
export function isActive(state: CaState): boolean {
  return state !== 'closed' && state !== 'cancelled';
}

/** States in which the owner's work (analysis, actions, evidence, re-contact) may still be written. */
export function isWorkable(state: CaState): boolean {
  return state === 'open' || state === 'in_progress';
}
