import { EyeOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Button, Space, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export interface PiiTextProps {
  /** The masked value from the list (e.g. 138****1188). */
  masked: string | null;
  /** The unmasked value once revealed; undefined until then. */
  revealed?: string | null | undefined;
  canReveal: boolean;
  loading?: boolean;
  onReveal: () => void;
  testId?: string;
}

/**
 * A masked personal-data value with a "Reveal" button for people holding `pii:read`. The button says, and the
 * server makes sure, that every reveal is recorded in the audit log.
 */
export function PiiText({ masked, revealed, canReveal, loading, onReveal, testId }: PiiTextProps) {
  const { t } = useTranslation();
  if (revealed !== undefined && (revealed !== null || masked !== null)) {
    return (
      <Tooltip title={t('pii.revealed')}>
        <Space size={4} style={{ whiteSpace: 'nowrap' }} data-testid={testId ? `${testId}-revealed` : undefined}>
          <Typography.Text copyable={revealed ? { text: revealed } : false}>{revealed ?? t('common.none')}</Typography.Text>
          <SafetyCertificateOutlined style={{ color: '#52c41a' }} />
        </Space>
      </Tooltip>
    );
  }
  if (!masked) return <>{t('common.none')}</>;
  return (
    <Space size={4} style={{ whiteSpace: 'nowrap' }}>
      <Typography.Text>{masked}</Typography.Text>
      {canReveal && (
        <Tooltip title={t('pii.revealHint')}>
          <Button
            size="small"
            type="link"
            icon={<EyeOutlined />}
            loading={loading ?? false}
            onClick={onReveal}
            data-testid={testId ? `${testId}-reveal` : undefined}
          >
            {t('pii.reveal')}
          </Button>
        </Tooltip>
      )}
    </Space>
  );
}
