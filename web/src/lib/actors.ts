/** Who did something, as a person reads it: the server's own workers (routing, e-mail, the clock watcher…) by a word in the language. */
import type { TFunction } from 'i18next';
import { zh } from '../i18n/ns/vocab';

type SystemActor = keyof typeof zh.systemActor;

export function actorLabel(t: TFunction, name: string | null | undefined): string {
  if (!name) return t('vocab.systemActor.system');
  const key = name.replace(/\s+/g, '_');
  return key in zh.systemActor ? t(`vocab.systemActor.${key as SystemActor}`) : name;
}
