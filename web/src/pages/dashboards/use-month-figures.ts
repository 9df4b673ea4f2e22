/**
 * The figures a month dashboard reads (the manager's month view and an agent's own page): the available card and
 * trend indicators, their values over the twelve months ending with the chosen one for the page's scope, and the
 * commitment's targets for the month.
 */
import { useMemo } from 'react';
import { useKpiDefinitions, useKpiTargets, useKpiValues } from '../../api/kpis';
import { availableDefs, TREND_RATES, VOLUME } from './figures';
import { addMonths, monthRange, monthsEndingWith } from './format';
import type { Scope } from './parts';

export function useMonthFigures(month: string, scope: Scope, cards: readonly string[], extra: readonly string[]) {
  const previous = addMonths(month, -1);
  const range = monthRange(month);
  const months = useMemo(() => monthsEndingWith(month, 12), [month]);
  const from = monthRange(months[0]!).from;

  const defs = useKpiDefinitions();
  const cardDefs = availableDefs(defs.data?.indicators, cards);
  const rateDefs = availableDefs(defs.data?.indicators, TREND_RATES);
  const volumeIds = availableDefs(defs.data?.indicators, VOLUME).map((d) => d.id);
  const indicators = [...new Set([...cardDefs.map((d) => d.id), ...rateDefs.map((d) => d.id), ...volumeIds, ...extra])];
  const values = useKpiValues({ indicators, grain: 'month', from, to: range.to, dimension: scope.dimension, value: scope.value }, defs.isSuccess);
  const targets = useKpiTargets({ grain: 'month', from: range.from, to: range.to });
  return { previous, range, months, from, defs, cardDefs, rateDefs, volumeIds, indicators, values, targets };
}
