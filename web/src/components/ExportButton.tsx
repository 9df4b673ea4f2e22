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
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    try {
      const file = await fetchExport(table, filters);
      saveFile(file.blob, file.fileName);
      if (file.capped) void message.warning(t('exports.capped', { count: file.rows }));
      else void message.success(t('exports.done', { count: file.rows }));
    } catch (e) {
      void message.error(t('exports.failed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Tooltip title={t('exports.tooltip')}>
      <Button icon={<DownloadOutlined />} loading={busy} size={size} onClick={() => void run()} data-testid={`export-${table}`}>
        {t('exports.button')}
      </Button>
    </Tooltip>
  );
}
