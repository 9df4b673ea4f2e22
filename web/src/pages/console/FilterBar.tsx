/**
 * The console's filter bar: full-text search (Chinese and English, as you type), state, type, priority,
 * channel, category tree, clock state, tag, registration dates, open/closed, and the sort.
 */
import { ClearOutlined } from '@ant-design/icons';
import { Badge, Button, DatePicker, Flex, Input, Select, TreeSelect, type InputRef } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { Channel, LoopState, Priority, RequestSort, RequestType } from '@contracts/requests/contracts';
import { useCategories } from '../../api/requests';
import { endOfDayInZone, getTimeZone, startOfDayInZone } from '../../lib/time';
import { categoryTree } from './categories';
import { activeFilterCount } from './filters';
import type { RequestFilters } from './api';

/** Typing pauses this long before the search runs (Enter runs it at once). */
const SEARCH_DELAY_MS = 350;

type Patch = Partial<Omit<RequestFilters, 'queue'>>;

export function FilterBar({ filters, onChange, onReset, searchRef }: {
  filters: RequestFilters;
  onChange: (patch: Patch) => void;
  onReset: () => void;
  searchRef: Ref<InputRef>;
}) {
  const { t, i18n } = useTranslation();
  const categories = useCategories();
  const tree = useMemo(() => categoryTree(categories.data ?? [], i18n.language === 'en-US', false), [categories.data, i18n.language]);

  // The box keeps what is typed; the filter follows after a pause, so typing does not fire a query per key.
  const [text, setText] = useState(filters.q ?? '');
  const applied = useRef(filters.q ?? '');
  useEffect(() => {
    // A saved view or the address changed the search: show it.
    if ((filters.q ?? '') !== applied.current) {
      applied.current = filters.q ?? '';
      setText(filters.q ?? '');
    }
  }, [filters.q]);
  useEffect(() => {
    if (text.trim() === applied.current) return;
    const timer = setTimeout(() => {
      applied.current = text.trim();
      onChange({ q: text.trim() || undefined });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, onChange]);
  const runSearch = (value: string) => {
    applied.current = value.trim();
    onChange({ q: value.trim() || undefined });
  };

  const [tag, setTag] = useState(filters.tag ?? '');
  useEffect(() => setTag(filters.tag ?? ''), [filters.tag]);

  const zone = getTimeZone();
  const range: [Dayjs | null, Dayjs | null] | null =
    filters.createdFrom || filters.createdTo
      ? [filters.createdFrom ? dayjs(filters.createdFrom).tz(zone) : null, filters.createdTo ? dayjs(filters.createdTo).tz(zone) : null]
      : null;
  const more = activeFilterCount(filters);
  const openValue = filters.open === true ? 'open' : filters.open === false ? 'closed' : undefined;

  return (
    <Flex wrap gap={8} align="center" data-testid="console-filters">
      <Input.Search
        ref={searchRef}
        allowClear
        style={{ width: 300 }}
        placeholder={t('console.filters.search')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onSearch={runSearch}
        data-testid="console-search"
      />
      <Select<LoopState[]>
        mode="multiple"
        allowClear
        maxTagCount="responsive"
        style={{ width: 170 }}
        placeholder={t('console.filters.states')}
        value={filters.states ?? []}
        onChange={(v) => onChange({ states: v.length ? v : undefined })}
        options={LoopState.options.map((s) => ({ value: s, label: t(`vocab.state.${s}`) }))}
        data-testid="filter-states"
      />
      <Select<RequestType[]>
        mode="multiple"
        allowClear
        maxTagCount="responsive"
        style={{ width: 160 }}
        placeholder={t('console.filters.types')}
        value={filters.types ?? []}
        onChange={(v) => onChange({ types: v.length ? v : undefined })}
        options={RequestType.options.map((s) => ({ value: s, label: t(`vocab.type.${s}`) }))}
        data-testid="filter-types"
      />
      <Select<Priority[]>
        mode="multiple"
        allowClear
        maxTagCount="responsive"
        style={{ width: 140 }}
        placeholder={t('console.filters.priorities')}
        value={filters.priorities ?? []}
        onChange={(v) => onChange({ priorities: v.length ? v : undefined })}
        options={Priority.options.map((s) => ({ value: s, label: t(`vocab.priority.${s}`) }))}
        data-testid="filter-priorities"
      />
      <Select<Channel[]>
        mode="multiple"
        allowClear
        maxTagCount="responsive"
        style={{ width: 150 }}
        placeholder={t('console.filters.channels')}
        value={filters.channels ?? []}
        onChange={(v) => onChange({ channels: v.length ? v : undefined })}
        options={Channel.options.map((s) => ({ value: s, label: t(`vocab.channel.${s}`) }))}
        data-testid="filter-channels"
      />
      <TreeSelect
        allowClear
        showSearch={{ treeNodeFilterProp: 'title' }}
        style={{ width: 170 }}
        placeholder={t('console.filters.category')}
        value={filters.categoryId}
        onChange={(v: string | undefined) => onChange({ categoryId: v ?? undefined })}
        treeData={tree}
        treeDefaultExpandAll
        loading={categories.isPending}
        data-testid="filter-category"
      />
      <Select<'warning' | 'breached'>
        allowClear
        style={{ width: 130 }}
        placeholder={t('console.filters.clock')}
        value={filters.clock}
        onChange={(v) => onChange({ clock: v ?? undefined })}
        options={[
          { value: 'warning', label: t('console.filters.clockWarning') },
          { value: 'breached', label: t('console.filters.clockBreached') },
        ]}
        data-testid="filter-clock"
      />
      <Select<'any' | 'pending'>
        allowClear
        style={{ width: 130 }}
        placeholder={t('console.filters.escalation')}
        value={filters.escalation}
        onChange={(v) => onChange({ escalation: v ?? undefined })}
        options={[
          { value: 'any', label: t('console.filters.escalationAny') },
          { value: 'pending', label: t('console.filters.escalationPending') },
        ]}
        data-testid="filter-escalation"
      />
      <Select<'open' | 'closed'>
        allowClear
        style={{ width: 130 }}
        placeholder={t('console.filters.open')}
        value={openValue}
        onChange={(v) => onChange({ open: v === 'open' ? true : v === 'closed' ? false : undefined })}
        options={[
          { value: 'open', label: t('console.filters.openOnly') },
          { value: 'closed', label: t('console.filters.closedOnly') },
        ]}
        data-testid="filter-open"
      />
      <Input
        allowClear
        style={{ width: 120 }}
        placeholder={t('console.filters.tag')}
        value={tag}
        maxLength={40}
        onChange={(e) => {
          setTag(e.target.value);
          if (e.target.value === '') onChange({ tag: undefined });
        }}
        onPressEnter={() => onChange({ tag: tag.trim() || undefined })}
        onBlur={() => onChange({ tag: tag.trim() || undefined })}
        data-testid="filter-tag"
      />
      <DatePicker.RangePicker
        allowEmpty={[true, true]}
        style={{ width: 240 }}
        placeholder={[t('console.filters.createdFrom'), t('console.filters.createdTo')]}
        value={range}
        onChange={(v) =>
          onChange({
            createdFrom: v?.[0] ? startOfDayInZone(v[0]) : undefined,
            createdTo: v?.[1] ? endOfDayInZone(v[1]) : undefined,
          })
        }
        data-testid="filter-created"
      />
      <Select<RequestFilters['sort']>
        style={{ width: 130 }}
        value={filters.sort}
        onChange={(v) => onChange({ sort: v })}
        options={RequestSort.options.map((s) => ({ value: s, label: t(`console.sort.${s}`) }))}
        prefix={t('console.sort.label')}
        data-testid="console-sort"
      />
      <Badge count={more} size="small">
        <Button icon={<ClearOutlined />} onClick={onReset} disabled={more === 0 && !filters.q} data-testid="filters-reset">
          {t('console.filters.reset')}
        </Button>
      </Badge>
    </Flex>
  );
}
