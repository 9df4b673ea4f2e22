/**
 * How a click on a figure becomes a drill-down: charts call a {@link FigureDrill} with the indicator, period and
 * part they show; the page adds its scope (dimension and value) and opens the drawer. Which indicators can be
 * drilled, and into which parts, comes from the server's own rules (drill-rules.ts, pure).
 */
import { DRILLABLE, partsOf } from '@contracts/figures/drill-rules';
import type { DrillQuery } from '../../api/kpis';

export type FigureQuery = Omit<DrillQuery, 'dimension' | 'value'> & Partial<Pick<DrillQuery, 'dimension' | 'value'>>;

/** Opens the drill-down of a figure: the query (without the page's scope unless given) and the drawer's title. */
export type FigureDrill = (query: FigureQuery, title: string, subtitle?: string) => void;

const drillable = new Set<string>(DRILLABLE);

export function canDrill(indicator: string): boolean {
  return drillable.has(indicator);
}

export { partsOf };
