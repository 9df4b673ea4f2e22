/**
 * The printable letter (`/public/:org/commitments/:number/print`, no sign-in): the commitment in force on A4 — title,
 * number, the letter text, the promises table and the signature and date lines. The toolbar (print, back, language)
 * is hidden in print.
 */
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Result, Skeleton } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { usePublicPage } from '../../api/public';
import { formatTime, setTimeZone } from '../../lib/time';
import { Markdown, withoutLeadingTitle, withoutSignatureSection } from '../commitments/Markdown';
import { PromisesTable, PublicLangSwitch, usePeriodText, usePublicLanguage } from './shared';

export default function PrintLetterPage() {
  const { org = '', number = '' } = useParams();
  const { t } = useTranslation();
  const { lang, switchTo } = usePublicLanguage();
  const page = usePublicPage(org, lang);
  const period = usePeriodText();
  const commitment = page.data?.commitments.find((c) => c.number === number);
  const orgName = page.data?.organization.name ?? '';

  useEffect(() => {
    document.title = commitment ? `${commitment.title} · ${commitment.number}` : t('publicPage.printTitle');
  }, [commitment, t]);
  if (page.data) setTimeZone(page.data.organization.timeZone);

  return (
    <div className="pledge-print-page" lang={lang}>
      <div className="pledge-print-toolbar no-print">
        <Link to={`/public/${encodeURIComponent(org)}?lang=${lang}`}>
          <Button icon={<ArrowLeftOutlined />} data-testid="print-back">
            {t('publicPage.backToPublic')}
          </Button>
        </Link>
        <span style={{ flex: 1 }} />
        <PublicLangSwitch lang={lang} onSwitch={switchTo} />
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!commitment} data-testid="print-button">
          {t('publicPage.print')}
        </Button>
      </div>
      {page.isLoading ? (
        <div className="pledge-a4">
          <Skeleton active paragraph={{ rows: 12 }} />
        </div>
      ) : page.error || !commitment ? (
        <Result
          status="404"
          title={page.error && !(page.error instanceof ApiError && page.error.status === 404) ? page.error.message : t('publicPage.letterNotFound')}
          data-testid="print-not-found"
        />
      ) : (
        <article className="pledge-a4" data-testid="print-letter">
          <div className="pledge-a4-org">{orgName}</div>
          <h1 className="pledge-a4-title" data-testid="print-title">
            {commitment.title}
          </h1>
          <div className="pledge-a4-meta">
            <span data-testid="print-number">
              {t('publicPage.number')}
              {t('publicPage.colon')}
              {commitment.number}
            </span>
            <span>{t('publicPage.version', { version: commitment.version })}</span>
            <span>{period(commitment)}</span>
          </div>
          {lang === 'en-US' && commitment.bodyLocale === 'zh-CN' && <p className="pledge-muted">{t('publicPage.chineseOnly')}</p>}
          <Markdown source={withoutSignatureSection(withoutLeadingTitle(commitment.body))} className="pledge-a4-body" testId="print-body" />
          {commitment.targets.length > 0 && (
            <section className="pledge-a4-promises">
              <h2>{t('publicPage.promisesTable')}</h2>
              <PromisesTable commitment={commitment} showFigures={false} testId="print-promises" />
            </section>
          )}
          <section className="pledge-a4-signature" data-testid="print-signature">
            <div className="pledge-sign-line">
              <span>{t('publicPage.sign.organization')}</span>
              <span className="pledge-sign-blank">{orgName}</span>
            </div>
            <div className="pledge-sign-line">
              <span>{t('publicPage.sign.person')}</span>
              <span className="pledge-sign-blank" />
            </div>
            <div className="pledge-sign-line">
              <span>{t('publicPage.sign.date')}</span>
              <span className="pledge-sign-blank pledge-sign-date">{t('publicPage.sign.dateBlank')}</span>
            </div>
          </section>
          <footer className="pledge-a4-footer">{t('publicPage.printFooter', { time: formatTime(commitment.publishedAt, 'YYYY-MM-DD') })}</footer>
        </article>
      )}
    </div>
  );
}
