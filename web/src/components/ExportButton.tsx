/**
 * "导出 Excel / Export to Excel": downloads the list the page shows, with its current filters, as an .xlsx file
 * (see docs/exports.md). Placed in a list page's toolbar with one line.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchExport, saveFile, type ExportTable } from '../api/exports';

export function ExportButton({ table, filters = {}, size }: { table: ExportTable; filters?: object; size?: 'small' | 'middle' | 'large' }) {
  const download = async () => {
    const file = await fetchExport(table, filters);
    saveFile(file.blob, file.fileName);
    return file;
  };
  return <ExcelDownloadButton download={download} size={size} testId={`export-${table}`} />;
}

/**
 * The "导出 Excel" button itself: runs a download (which saves the file) and says how many rows it holds, or that
 * the export was cut at its limit, or why it failed. Used by list exports and by the dashboards' figures export.
 */
export function ExcelDownloadButton({ download, testId, size, disabled }: {
  download: () => Promise<{ rows?: number | null; capped?: boolean | null }>;
  testId: string;
  size?: 'small' | 'middle' | 'large' | undefined;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    try {
      const file = await download();
      if (file.capped) void message.warning(t('exports.capped', { count: file.rows ?? 0 }));
      else void message.success(t('exports.done', { count: file.rows ?? 0 }));
    } catch (e) {
      void message.error(t('exports.failed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Tooltip title={t('exports.tooltip')}>
      <Button icon={<DownloadOutlined />} loading={busy} size={size} disabled={disabled} onClick={() => void run()} data-testid={testId}>
        {t('exports.button')}
      </Button>
    </Tooltip>
  );
}
