/** A rating's level as a coloured tag, and its marks: resolved or not, verification, appeal, excluded. */
import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EvaluationView } from '../../api/evaluations';

const COLOR: Record<number, string> = { 5: 'green', 4: 'cyan', 3: 'blue', 2: 'orange', 1: 'red' };

export function LevelTag({ level }: { level: number }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLOR[level] ?? 'default'} data-testid="rating-level" data-level={level}>
      {t(`evaluations.level.l${level as 1 | 2 | 3 | 4 | 5}`)}
    </Tag>
  );
}

export function EvaluationMarks({ e }: { e: EvaluationView }) {
  const { t } = useTranslation();
  const state = (s: string) => t(`evaluations.mark.states.${s as 'pending'}`, { defaultValue: s });
  return (
    <Space size={4} wrap>
      {e.source === 'default' && <Tag>{t('evaluations.source.default')}</Tag>}
      {e.resolved === false && <Tag color="red">{t('evaluations.mark.unresolved')}</Tag>}
      {e.verification === 'pending' && <Tag color="orange" data-testid="mark-pending-verification">{t('evaluations.mark.pendingVerification')}</Tag>}
      {e.verification && e.verification !== 'pending' && <Tag>{t('evaluations.mark.verified', { state: state(e.verification) })}</Tag>}
      {e.appealState && <Tag color="purple" data-testid="mark-appealed">{t('evaluations.mark.appealed', { state: state(e.appealState) })}</Tag>}
      {e.excluded && <Tag color="purple" data-testid="mark-excluded">{t('evaluations.mark.excluded')}</Tag>}
    </Space>
  );
}
