/**
 * Picks people (one or many) from staff: the first 200 the person may see, plus a server search as they type,
 * so larger organizations still find everyone. Labels of already-chosen people are remembered.
 */
import { Select } from 'antd';
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { useStaffList } from '../api/staff';
import type { Staff } from '../api/types';

interface Props {
  id?: string;
  value?: string | string[] | null;
  onChange?: (value: string | string[] | null) => void;
  multiple?: boolean;
  branchId?: string | undefined;
  placeholder?: string;
  disabled?: boolean;
  /** People to label even if they are not in the first page (e.g. the current members). */
  known?: Staff[];
  'data-testid'?: string;
}

export function staffLabel(s: Pick<Staff, 'displayName' | 'username' | 'employeeNo'>): string {
  return `${s.displayName} (${s.employeeNo ?? s.username})`;
}

export function StaffSelect({ id, value, onChange, multiple, branchId, placeholder, disabled, known, ...rest }: Props) {
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const base = useStaffList({ branchId, pageSize: 200 });
  const found = useStaffList({ branchId, pageSize: 50, q }, q.length > 0);
  const labels = useRef(new Map<string, string>());

  const options = useMemo(() => {
    const people = [...(known ?? []), ...(base.data?.items ?? []), ...(found.data?.items ?? [])];
    for (const s of people) labels.current.set(s.id, staffLabel(s));
    // Only active people can be picked; already-chosen inactive ones keep their label below.
    const visible = (q ? (found.data?.items ?? []) : (base.data?.items ?? [])).filter((s) => s.active);
    const ids = new Set(visible.map((s) => s.id));
    const chosen = (Array.isArray(value) ? value : value ? [value] : []).filter((v) => !ids.has(v));
    return [
      ...visible.map((s) => ({ value: s.id, label: staffLabel(s) })),
      ...chosen.map((v) => ({ value: v, label: labels.current.get(v) ?? v })),
    ];
  }, [base.data, found.data, known, q, value]);

  return (
    <Select
      id={id}
      data-testid={rest['data-testid']}
      mode={multiple ? 'multiple' : undefined}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value ?? (multiple ? [] : undefined)}
      onChange={(v: string | string[] | undefined) => {
        setSearch('');
        onChange?.(v ?? (multiple ? [] : null));
      }}
      options={options}
      loading={base.isFetching || found.isFetching}
      placeholder={placeholder}
      disabled={disabled ?? false}
    />
  );
}
