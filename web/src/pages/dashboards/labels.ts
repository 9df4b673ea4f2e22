/** Words of the request vocabulary (types, channels, states…) for values the figures API returns as strings. */
import type { TFunction } from 'i18next';
import { zh as vocab } from '../../i18n/ns/vocab';
import type { DurationUnits } from './format';

type VocabGroup = 'type' | 'priority' | 'state' | 'channel' | 'clockKind' | 'clockState';

/** The UI word for a vocabulary value; a value the UI does not know (a newer server) shows as it is. */
export function vocabLabel(t: TFunction, group: VocabGroup, value: string): string {
  const words: Record<string, string> = vocab[group];
  return Object.hasOwn(words, value) ? String(t(`vocab.${group}.${value}` as never)) : value;
}

export function durationUnits(t: TFunction): DurationUnits {
  return { day: t('dashboards.units.day'), hour: t('dashboards.units.hour'), minute: t('dashboards.units.minute'), second: t('dashboards.units.second') };
}
