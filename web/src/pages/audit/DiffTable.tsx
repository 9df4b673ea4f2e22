/** An audit entry's change as a field / before / after table (diff is `{ field: [before, after] }`). */
import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isRecord } from '../../api/client';
import type { AuditEntry } from '../../api/types';

interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
  /** false when the entry only has an "after" state (a creation or a read), not a before/after pair. */
  paired: boolean;
}

export function diffRows(entry: AuditEntry): DiffRow[] {
  if (isRecord(entry.diff)) {
    const rows = Object.entries(entry.diff).flatMap(([field, pair]): DiffRow[] =>
      Array.isArray(pair) && pair.length === 2 ? [{ field, before: pair[0], after: pair[1], paired: true }] : [],
    );
    if (rows.length > 0) return rows;
  }
  if (isRecord(entry.after) && !isRecord(entry.before)) {
    return Object.entries(entry.after).map(([field, after]) => ({ field, before: undefined, after, paired: false }));
  }
  return [];
}

export function AuditValue({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === undefined || value === null || value === '') return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  if (typeof value === 'boolean') return <>{value ? t('common.yes') : t('common.no')}</>;
  if (typeof value === 'string' || typeof value === 'number') return <span className="pledge-mono">{String(value)}</span>;
  return <span className="pledge-mono" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(value)}</span>;
}

export function DiffTable({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const rows = diffRows(entry);
  if (rows.length === 0) return <Typography.Text type="secondary">{t('audit.noDiff')}</Typography.Text>;
  return (
    <Table<DiffRow>
      className="pledge-diff"
      data-testid={`audit-diff-${entry.id}`}
      size="small"
      rowKey="field"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: t('audit.field'), dataIndex: 'field', width: 200, render: (v: string) => <span className="pledge-mono">{v}</span> },
        {
          title: t('audit.before'),
          key: 'before',
          render: (_: unknown, r) => (r.paired ? <span className="before"><AuditValue value={r.before} /></span> : <AuditValue value={undefined} />),
        },
        { title: t('audit.after'), key: 'after', render: (_: unknown, r) => <span className={r.paired ? 'after' : undefined}><AuditValue value={r.after} /></span> },
      ]}
    />
  );
}
