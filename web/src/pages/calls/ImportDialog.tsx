/**
 * Importing call records from a CSV file: the format in short, an example, the file picker (the file is
 * sent as it is: the server reads UTF-8, GBK or UTF-16), then either the counts or every refused row.
 */
import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { csvErrorsOf, useImportCalls, type CallImportResult, type CsvInvalidDetails } from '../../api/calls';
import { useShowError } from '../../lib/use-show-error';

const EXAMPLE = `通话编号,主叫号码,振铃时间,接听时间,挂机时间,坐席,录音链接,备注
C20261123001,13800138000,2026-11-23 09:15:02,2026-11-23 09:15:09,2026-11-23 09:19:40,zhangwei,https://pbx.example.cn/rec/001.mp3,咨询宽带资费
C20261123002,13900139000,2026-11-23 09:16:30,,2026-11-23 09:17:05,,,`;

type Row = CsvInvalidDetails['errors'][number];

export function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const showError = useShowError();
  const importing = useImportCalls();
  const [result, setResult] = useState<CallImportResult | null>(null);
  const [refused, setRefused] = useState<CsvInvalidDetails | null>(null);

  const send = (file: File) => {
    setResult(null);
    setRefused(null);
    importing.mutate(file, {
      onSuccess: setResult,
      onError: (e) => {
        const details = csvErrorsOf(e);
        if (details) setRefused(details);
        else showError(e);
      },
    });
  };

  const close = () => {
    setResult(null);
    setRefused(null);
    onClose();
  };

  return (
    <Modal open={open} title={t('calls.import.title')} onCancel={close} footer={<Button onClick={close}>{t('common.close')}</Button>} width={820} destroyOnHidden>
      <div data-testid="import-modal">
        <Typography.Paragraph>{t('calls.import.help')}</Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t('calls.import.idempotent')}</Typography.Paragraph>
        <Typography.Text strong>{t('calls.import.example')}</Typography.Text>
        <pre style={{ fontSize: 12, background: '#fafafa', padding: 8, overflowX: 'auto' }}>{EXAMPLE}</pre>
        <div data-testid="import-file">
          <Upload
            accept=".csv,.txt,text/csv"
            showUploadList={false}
            beforeUpload={(file) => {
              send(file);
              return false;
            }}
          >
            <Button type="primary" icon={<UploadOutlined />} loading={importing.isPending} data-testid="import-choose">
              {importing.isPending ? t('calls.import.importing') : t('calls.import.choose')}
            </Button>
          </Upload>
        </div>
        {result && (
          <Alert
            style={{ marginTop: 16 }}
            type="success"
            showIcon
            data-testid="import-result"
            data-created={result.created}
            data-updated={result.updated}
            data-skipped={result.skipped}
            title={t('calls.import.done', { created: result.created, updated: result.updated, skipped: result.skipped })}
            description={
              <Space orientation="vertical" size={0}>
                <span>{t('calls.import.encoding', { encoding: result.encoding })}</span>
                {result.ignoredColumns.length > 0 && <span>{t('calls.import.ignored', { columns: result.ignoredColumns.join('、') })}</span>}
              </Space>
            }
          />
        )}
        {refused && (
          <div style={{ marginTop: 16 }} data-testid="import-errors" data-total={refused.total}>
            <Alert type="error" showIcon title={t('calls.import.refused')} style={{ marginBottom: 8 }} />
            <Table<Row>
              size="small"
              rowKey={(r) => `${r.row}-${r.field ?? r.column ?? ''}-${r.message}`}
              dataSource={refused.errors}
              pagination={refused.errors.length > 20 ? { pageSize: 20, size: 'small' } : false}
              onRow={(r) => ({ 'data-testid': `import-error-${r.row}-${r.field ?? 'file'}` }) as React.HTMLAttributes<HTMLElement>}
              columns={[
                { title: t('calls.import.row'), dataIndex: 'row', width: 70, render: (v: number) => (v > 0 ? v : '—') },
                { title: t('calls.import.columnName'), dataIndex: 'column', width: 160, render: (v: string | null, r) => v ?? r.field ?? '—' },
                { title: t('calls.import.problem'), dataIndex: 'message' },
              ]}
            />
            {refused.total > refused.errors.length && (
              <Typography.Text type="secondary">{t('calls.import.more', { count: refused.total - refused.errors.length })}</Typography.Text>
            )}
          </div>
        )}
      </div>
    </Modal>
  );
}
