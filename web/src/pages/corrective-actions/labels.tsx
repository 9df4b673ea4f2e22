/** Tags and small pieces shared by the corrective-action pages and the request page's panel. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaSource, CaState, CaView } from '../../api/corrective-actions';
import { Countdown } from '../console/Countdown';

const STATE_COLOR: Record<CaState, string> = { open: 'blue', in_progress: 'processing', submitted: 'purple', closed: 'success', cancelled: 'default' };
const SOURCE_COLOR: Record<CaSource, string> = { bad_rating: 'volcano', breach: 'red', complaint: 'magenta', cluster: 'gold', inspection: 'cyan', manual: 'default' };

export function CaStateTag({ state }: { state: CaState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOR[state]} data-testid="ca-state" data-state={state}>
      {t(`corrective.state.${state}`)}
    </Tag>
  );
}

export function CaSourceTag({ source }: { source: CaSource }) {
  const { t } = useTranslation();
  return <Tag color={SOURCE_COLOR[source]}>{t(`corrective.source.${source}`)}</Tag>;
}

/** The deadline as a live countdown coloured like request clocks (red once overdue); the outcome once closed. */
export function CaDeadline({ action }: { action: CaView }) {
  const { t } = useTranslation();
  if (action.state === 'closed') return <Tag color={action.closedOnTime ? 'success' : 'error'}>{action.closedOnTime ? t('corrective.onTime') : t('corrective.late')}</Tag>;
  if (action.state === 'cancelled') return <span>—</span>;
  const left = Date.parse(action.dueAt) - Date.now();
  const total = Date.parse(action.dueAt) - Date.parse(action.createdAt);
  const clockState = action.overdue ? 'breached' : total > 0 && left < total * 0.2 ? 'warning' : 'running';
  return <Countdown item={{ id: action.id, nextDueAt: action.dueAt, clockState }} />;
}

/** "P5D" → "5 个工作日"; other durations as written. */
export function useDurationText() {
  const { t } = useTranslation();
  return (duration: string) => {
    const days = /^P(\d+)D$/.exec(duration);
    return days ? t('corrective.duration', { n: Number(days[1]) }) : duration;
  };
}
