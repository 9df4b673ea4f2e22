import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CallOutcome } from '../../api/calls';

const COLORS: Record<CallOutcome, string> = { open: 'blue', missed: 'red', request: 'purple', resolved_first_contact: 'green' };

/** What became of a call, as a coloured tag. */
export function OutcomeTag({ outcome }: { outcome: CallOutcome }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[outcome]}>{t(`calls.outcome.${outcome}`)}</Tag>;
}
