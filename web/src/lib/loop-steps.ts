/** The five steps of the closed loop (登记 → 分析 → 处理 → 反馈 → 归档) as the Steps bars of the request page and the portal show them. */
import type { LoopState } from '../api/requests';

export const LOOP_STEPS = ['registered', 'analysing', 'handling', 'feedback', 'archived'] as const;

/** The step a state belongs to: waiting on the customer is part of handling; a merged request is on no step (-1). */
export function stepOf(state: LoopState): number {
  switch (state) {
    case 'registered':
      return 0;
    case 'analysing':
      return 1;
    case 'handling':
    case 'waiting_customer':
      return 2;
    case 'feedback':
      return 3;
    case 'archived':
      return 4;
    default:
      return -1;
  }
}
