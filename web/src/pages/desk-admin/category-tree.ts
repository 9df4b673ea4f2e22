/**
 * The category tree from the flat list the server gives, and the position changes a move or reorder needs.
 * Pure: no React, no calls.
 */
import type { Category } from '../../api/requests';

export interface CategoryNode {
  category: Category;
  children: CategoryNode[];
}

const byPosition = (a: Category, b: Category) => a.position - b.position || a.name.localeCompare(b.name, 'zh-CN');

/** Children of a parent (null: the top level), in display order. */
export function childrenOf(all: readonly Category[], parentId: string | null): Category[] {
  return all.filter((c) => c.parentId === parentId).sort(byPosition);
}

/** The forest, in display order. A category whose parent is missing is shown at the top level. */
export function buildTree(all: readonly Category[]): CategoryNode[] {
  const ids = new Set(all.map((c) => c.id));
  const build = (parentId: string | null, depth: number): CategoryNode[] =>
    all
      .filter((c) => (parentId === null ? c.parentId === null || !ids.has(c.parentId) : c.parentId === parentId))
      .sort(byPosition)
      .map((category) => ({ category, children: depth > 50 ? [] : build(category.id, depth + 1) }));
  return build(null, 0);
}

/** The category and everything under it (a category cannot move below one of these). */
export function subtreeIds(all: readonly Category[], id: string): Set<string> {
  const out = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of all) {
      if (c.parentId && out.has(c.parentId) && !out.has(c.id)) {
        out.add(c.id);
        grew = true;
      }
    }
  }
  return out;
}

/** The category and its ancestors, nearest first (what a routing rule on a parent category matches). */
export function lineage(all: readonly Category[], id: string | null | undefined): string[] {
  const parentOf = new Map(all.map((c) => [c.id, c.parentId]));
  const out: string[] = [];
  for (let cur = id ?? null; cur && out.length < 50 && !out.includes(cur); cur = parentOf.get(cur) ?? null) out.push(cur);
  return out;
}

/** Names from the root down to the category, for labels like "网点服务 / 排队". */
export function pathOf(all: readonly Category[], id: string, name: (c: Category) => string): string {
  const byId = new Map(all.map((c) => [c.id, c]));
  return lineage(all, id)
    .reverse()
    .map((x) => (byId.get(x) ? name(byId.get(x)!) : x))
    .join(' / ');
}

export interface Placement {
  id: string;
  parentId: string | null;
  position: number;
}

/**
 * Places `id` under `parentId` at `index` among its new siblings and numbers the siblings 0, 1, 2…; returns only
 * the categories whose parent or position changes. The old siblings keep their order (gaps do not matter).
 */
export function placeCategory(all: readonly Category[], id: string, parentId: string | null, index: number): Placement[] {
  const moving = all.find((c) => c.id === id);
  if (!moving) return [];
  const siblings = childrenOf(all, parentId).filter((c) => c.id !== id);
  const at = Math.max(0, Math.min(index, siblings.length));
  const ordered = [...siblings.slice(0, at), moving, ...siblings.slice(at)];
  return ordered
    .map((c, position) => ({ id: c.id, parentId, position, changed: c.position !== position || c.parentId !== parentId }))
    .filter((p) => p.changed)
    .map(({ id: pid, parentId: pp, position }) => ({ id: pid, parentId: pp, position }));
}

/** Moves a category one place up (-1) or down (+1) among its siblings. */
export function shiftCategory(all: readonly Category[], id: string, delta: -1 | 1): Placement[] {
  const moving = all.find((c) => c.id === id);
  if (!moving) return [];
  const siblings = childrenOf(all, moving.parentId);
  const from = siblings.findIndex((c) => c.id === id);
  const to = from + delta;
  if (to < 0 || to >= siblings.length) return [];
  return placeCategory(all, id, moving.parentId, to);
}
