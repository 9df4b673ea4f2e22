/** The flat category list as the tree antd's TreeSelect shows, named in the UI language. */
import type { Category } from '../../api/requests';

export interface CategoryNode {
  value: string;
  title: string;
  disabled?: boolean;
  children: CategoryNode[];
}

export function categoryTree(categories: readonly Category[], english: boolean, activeOnly: boolean): CategoryNode[] {
  const visible = categories.filter((c) => !activeOnly || c.active);
  const ids = new Set(visible.map((c) => c.id));
  const byParent = new Map<string | null, Category[]>();
  for (const c of visible) {
    // A child whose parent is hidden (inactive) is shown at the top rather than lost.
    const parent = c.parentId && ids.has(c.parentId) ? c.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), c]);
  }
  const build = (parent: string | null, depth: number): CategoryNode[] =>
    depth > 20
      ? []
      : (byParent.get(parent) ?? [])
          .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
          .map((c) => ({ value: c.id, title: (english && c.nameEn) || c.name, children: build(c.id, depth + 1) }));
  return build(null, 0);
}
