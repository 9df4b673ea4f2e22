/**
 * The closed loop 登记 → 分析 → 处理 → 反馈 → 归档 as an explicit state machine (pure, no I/O).
 * Waiting on the customer is a side state of handling (its clocks pause); a reopened request goes back to
 * handling and counts against first-contact resolution; a duplicate is merged into another request.
 * No step may be skipped: each action is allowed only from the states listed for it.
 */
export const LOOP_STATES = ['registered', 'analysing', 'handling', 'waiting_customer', 'feedback', 'archived', 'merged'] as const;
export type LoopState = (typeof LOOP_STATES)[number];

export const LOOP_ACTIONS = ['analyse', 'start_handling', 'wait_customer', 'customer_replied', 'deliver_result', 'archive', 'reopen', 'merge'] as const;
export type LoopAction = (typeof LOOP_ACTIONS)[number];

/** For each action: the states it may be taken from, and the state it leads to. */
const TRANSITIONS: Record<LoopAction, { from: readonly LoopState[]; to: LoopState }> = {
  analyse: { from: ['registered'], to: 'analysing' }, // 分析: classified, prioritized, assigned
  start_handling: { from: ['analysing'], to: 'handling' }, // 处理
  wait_customer: { from: ['handling'], to: 'waiting_customer' }, // clocks pause
  customer_replied: { from: ['waiting_customer'], to: 'handling' }, // clocks resume
  deliver_result: { from: ['handling'], to: 'feedback' }, // 反馈: result delivered, awaiting confirmation and rating
  archive: { from: ['feedback'], to: 'archived' }, // 归档
  reopen: { from: ['feedback', 'archived'], to: 'handling' }, // counts against first-contact resolution
  merge: { from: ['registered', 'analysing', 'handling', 'waiting_customer'], to: 'merged' },
};

/** The actions allowed from a state, in loop order (what a 409 tells the caller it may do instead). */
export function allowedActions(state: LoopState): LoopAction[] {
  return LOOP_ACTIONS.filter((action) => TRANSITIONS[action].from.includes(state));
}

export type TransitionResult = { ok: true; to: LoopState } | { ok: false; from: LoopState; action: LoopAction; allowed: LoopAction[] };

/** Where an action leads from a state, or why it may not be taken there. */
export function transition(from: LoopState, action: LoopAction): TransitionResult {
  const rule = TRANSITIONS[action];
  if (rule.from.includes(from)) return { ok: true, to: rule.to };
  return { ok: false, from, action, allowed: allowedActions(from) };
}

/** States where the request's clocks are paused. */
export function clocksPaused(state: LoopState): boolean {
  return state === 'waiting_customer';
}

/** Terminal states: nothing but reopening (archived) changes them. */
export function isClosed(state: LoopState): boolean {
  return state === 'archived' || state === 'merged';
}
