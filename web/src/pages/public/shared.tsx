/**
 * Pieces shared by the public page and the printable letter: the visitor's language (?lang= → remembered choice →
 * browser), the promises table with the measured-figure column (figures.tsx), and the language switch.
 */
import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { PublicCommitment } from '../../api/public';
import { isLanguage, setLanguage, storedLanguage, type Language } from '../../i18n';
import { useCommitmentText } from '../commitments/labels';
import { MeasuredFigure } from './figures';
import './public.css';

function browserLanguage(): Language {
  const nav = typeof navigator !== 'undefined' ? navigator.language : 'zh-CN';
  return nav.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US';
}

/** The language of a public page: `?lang=` first, then the visitor's remembered choice, then the browser's. */
export function usePublicLanguage(): { lang: Language; switchTo: (lang: Language) => void } {
  const [search, setSearch] = useSearchParams();
  const param = search.get('lang');
  const lang: Language = isLanguage(param) ? param : (storedLanguage() ?? browserLanguage());
  const { i18n } = useTranslation();
  useEffect(() => {
    if (i18n.language !== lang) void setLanguage(lang, false);
  }, [i18n.language, lang]);
  const switchTo = (next: Language) => {
    const params = new URLSearchParams(search);
    params.set('lang', next);
    setSearch(params, { replace: true });
    void setLanguage(next, params.get('embed') !== '1');
  };
  return { lang, switchTo };
}

export function PublicLangSwitch({ lang, onSwitch }: { lang: Language; onSwitch: (lang: Language) => void }) {
  const { t } = useTranslation();
  return (
    <Button
      className="no-print"
      size="small"
      icon={<GlobalOutlined />}
      data-testid="lang-switch"
      data-lang={lang}
      aria-label={t('lang.label')}
      onClick={() => onSwitch(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}
    >
      {t('lang.switchTo')}
    </Button>
  );
}

/** The promises of a commitment: what, the standard, where it applies, and the measured figure once published. */
export function PromisesTable({ commitment, showFigures = true, testId }: { commitment: PublicCommitment; showFigures?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const text = useCommitmentText();
  const figures = new Map(commitment.figures.map((f) => [f.targetKey, f]));
  if (commitment.targets.length === 0) return null;
  return (
    <table className="pledge-promises" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('publicPage.promise')}</th>
          <th>{t('publicPage.standard')}</th>
          <th>{t('publicPage.appliesTo')}</th>
          {showFigures && <th>{t('publicPage.measured')}</th>}
        </tr>
      </thead>
      <tbody>
        {commitment.targets.map((target) => {
          const figure = figures.get(target.key);
          return (
            <tr key={target.key} data-testid={`promise-${target.key}`}>
              <td data-label={t('publicPage.promise')}>
                <strong>{text.targetName(target)}</strong>
              </td>
              <td data-label={t('publicPage.standard')}>
                {text.promise(target)}
                {target.kind === 'time_limit' && target.complianceGoal !== null && (
                  <div className="pledge-muted">{t('publicPage.complianceGoal', { goal: target.complianceGoal })}</div>
                )}
                {target.kind === 'time_limit' && target.remedy && (
                  <div className="pledge-muted">
                    {t('publicPage.remedy', { remedy: target.remedy.description, duration: text.duration(target.remedy.duration) })}
                  </div>
                )}
              </td>
              <td data-label={t('publicPage.appliesTo')}>{text.appliesTo(target.appliesTo)}</td>
              {showFigures && (
                <td data-label={t('publicPage.measured')} className={figure ? 'pledge-figure' : 'pledge-figure pledge-muted'} data-testid={`figure-${target.key}`}>
                  {figure ? <MeasuredFigure figure={figure} kind={target.kind} testId={`figure-${target.key}`} /> : t('publicPage.notYetPublished')}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** "自 2026-01-01 起施行，长期有效", "有效期：2026-01-01 至 2026-12-31", "自发布之日起长期有效". */
export function usePeriodText() {
  const { t } = useTranslation();
  return (c: Pick<PublicCommitment, 'effectiveFrom' | 'effectiveTo'>) => {
    if (c.effectiveFrom && c.effectiveTo) return t('publicPage.period', { from: c.effectiveFrom, to: c.effectiveTo });
    if (c.effectiveFrom) return t('publicPage.periodFrom', { from: c.effectiveFrom });
    if (c.effectiveTo) return t('publicPage.periodTo', { to: c.effectiveTo });
    return t('publicPage.fromPublicationOpen');
  };
}
