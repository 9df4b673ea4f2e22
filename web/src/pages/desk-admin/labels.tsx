/** Small shared pieces of the desk-admin tabs: names in the current language, option lists from the vocabulary. */
import {
  Channel as ChannelSchema, CustomerFlag as CustomerFlagSchema, Priority as PrioritySchema, RequestType as RequestTypeSchema,
} from '@contracts/requests/contracts';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../api/requests';
import { buildTree, type CategoryNode } from './category-tree';

export const REQUEST_TYPES = RequestTypeSchema.options;
export const PRIORITIES = PrioritySchema.options;
export const CHANNELS = ChannelSchema.options;
export const FLAGS = CustomerFlagSchema.options;

/** A category's name in the interface language (English falls back to the Chinese name). */
export function useCategoryName() {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en-US';
  return useCallback((c: Pick<Category, 'name' | 'nameEn'>) => (english ? (c.nameEn ?? c.name) : c.name), [english]);
}

/** Option lists for selects of request types, priorities, channels and flags, labelled from `vocab`. */
export function useVocabOptions() {
  const { t } = useTranslation();
  return {
    types: REQUEST_TYPES.map((v) => ({ value: v, label: t(`vocab.type.${v}`) })),
    priorities: PRIORITIES.map((v) => ({ value: v, label: t(`vocab.priority.${v}`) })),
    channels: CHANNELS.map((v) => ({ value: v, label: t(`vocab.channel.${v}`) })),
    flags: FLAGS.map((v) => ({ value: v, label: t(`vocab.flag.${v}`) })),
  };
}

export interface CategoryOption {
  value: string;
  title: string;
  children: CategoryOption[];
}

/** The category tree as TreeSelect data (inactive categories marked, still selectable for existing rules). */
export function useCategoryTreeData(all: readonly Category[]): CategoryOption[] {
  const { t } = useTranslation();
  const nameOf = useCategoryName();
  const convert = (nodes: CategoryNode[]): CategoryOption[] =>
    nodes.map((n) => ({
      value: n.category.id,
      title: n.category.active ? nameOf(n.category) : `${nameOf(n.category)} (${t('common.inactive')})`,
      children: convert(n.children),
    }));
  return convert(buildTree(all));
}
