/**
 * Who may read which figures (docs/figures.md, "Branch scope"): an organization-wide reader reads any dimension; a
 * branch-scoped reader reads their branch's figures (the branch's rows stand for the organization) and their own
 * figures as an agent (`dimension=agent&value=<their staff id>`: an agent's or team lead's own page); any other
 * dimension is 403 for them. Shared by /kpis/values, /kpis/heatmap and /kpis/drilldown.
 */
import type { Actor } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { branchFilter } from '../../core/policy.js';

export function scopedDimension<D extends string>(actor: Actor, dimension: D | 'org' | 'branch' | 'agent', requested: string | undefined): { dim: D | 'org' | 'branch' | 'agent'; value: string | undefined; branch: string | null } {
  const branch = branchFilter(actor);
  if (!branch) return { dim: dimension, value: requested, branch: null };
  if (dimension === 'org') return { dim: 'branch', value: branch, branch };
  if (dimension === 'branch') {
    if (requested !== undefined && requested !== branch) throw new AppError('forbidden', { action: 'kpi.read' });
    return { dim: 'branch', value: branch, branch };
  }
  // Their own figures: the rows of the agent dimension for them only (not their branch's other agents).
  if (dimension === 'agent' && actor.kind === 'staff' && requested === actor.id) return { dim: 'agent', value: requested, branch };
  throw new AppError('forbidden', { action: 'kpi.read' });
}
