import { describe, expect, it } from 'vitest';
import { allowedActions, LOOP_ACTIONS, LOOP_STATES, transition, type LoopAction, type LoopState } from './loop.js';

/** The whole table, written out: [from, action, to] for every allowed move; everything else is refused. */
const ALLOWED: [LoopState, LoopAction, LoopState][] = [
  ['registered', 'analyse', 'analysing'],
  ['registered', 'merge', 'merged'],
  ['analysing', 'start_handling', 'handling'],
  ['analysing', 'merge', 'merged'],
  ['handling', 'wait_customer', 'waiting_customer'],
  ['handling', 'deliver_result', 'feedback'],
  ['handling', 'merge', 'merged'],
  ['waiting_customer', 'customer_replied', 'handling'],
  ['waiting_customer', 'merge', 'merged'],
  ['feedback', 'archive', 'archived'],
  ['feedback', 'reopen', 'handling'],
  ['archived', 'reopen', 'handling'],
];

describe('closed loop', () => {
  const all = LOOP_STATES.flatMap((s) => LOOP_ACTIONS.map((a) => [s, a] as const));
  it.each(all)('%s --%s-->', (state, action) => {
    const expected = ALLOWED.find(([s, a]) => s === state && a === action);
    const result = transition(state, action);
    if (expected) expect(result).toEqual({ ok: true, to: expected[2] });
    else expect(result).toEqual({ ok: false, from: state, action, allowed: allowedActions(state) });
  });

  it('never skips a step: registration cannot go straight to handling, feedback or archive', () => {
    for (const action of ['start_handling', 'deliver_result', 'archive'] as const) expect(transition('registered', action).ok).toBe(false);
    expect(allowedActions('registered')).toEqual(['analyse', 'merge']);
  });

  it('walks the whole loop', () => {
    let state: LoopState = 'registered';
    for (const action of ['analyse', 'start_handling', 'wait_customer', 'customer_replied', 'deliver_result', 'archive'] as const) {
      const r = transition(state, action);
      if (!r.ok) throw new Error(`${state} --${action}`);
      state = r.to;
    }
    expect(state).toBe('archived');
    expect(allowedActions('merged')).toEqual([]);
  });
});
