/**
 * The answer to a piece of public feedback (`/public/:org/feedback/:number?k=<code>`, no sign-in): the submitter's
 * text, whether it is answered (and by when it will be), the answer. A wrong number or code says only that.
 */
import { Alert, Descriptions, Result, Skeleton } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { useFeedbackLookup } from '../../api/feedback';
import { formatTime } from '../../lib/time';
import { FeedbackKindTag } from './FeedbackSection';
import { PublicLangSwitch, usePublicLanguage } from './shared';

export default function FeedbackLookupPage() {
  const { org = '', number = '' } = useParams();
  const [search] = useSearchParams();
  const code = search.get('k') ?? '';
  const { t } = useTranslation();
  const { lang, switchTo } = usePublicLanguage();
  const lookup = useFeedbackLookup(org, number, code || null);
  useEffect(() => {
    document.title = `${number} · ${t('feedback.public.title')}`;
  }, [number, t]);
  const data = lookup.data;

  return (
    <div className="pledge-public" data-testid="feedback-lookup-page" lang={lang}>
      <header className="pledge-public-header">
        <div className="pledge-public-inner pledge-public-header-row">
          <div>
            <div className="pledge-public-org">{t('feedback.public.lookupTitle')}</div>
            <div className="pledge-public-sub pledge-mono">{number}</div>
          </div>
          <div className="pledge-public-tools">
            <PublicLangSwitch lang={lang} onSwitch={switchTo} />
          </div>
        </div>
      </header>
      <main className="pledge-public-inner pledge-public-main">
        {!code || (lookup.error instanceof ApiError && lookup.error.status === 404) ? (
          <Result status="404" title={t('feedback.public.notFound')} data-testid="lookup-not-found" />
        ) : lookup.error ? (
          <Result status="error" title={lookup.error.message} />
        ) : !data ? (
          <Skeleton active />
        ) : (
          <section className="pledge-public-section" data-testid="lookup-result" data-state={data.state}>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('feedback.column.kind')}>
                <FeedbackKindTag kind={data.kind} />
              </Descriptions.Item>
              <Descriptions.Item label={t('feedback.column.createdAt')}>{formatTime(data.createdAt, 'YYYY-MM-DD HH:mm')}</Descriptions.Item>
              <Descriptions.Item label={t('feedback.public.yourFeedback')}>
                <div style={{ whiteSpace: 'pre-wrap' }}>{data.body}</div>
              </Descriptions.Item>
            </Descriptions>
            <div style={{ marginTop: 16 }}>
              {data.state === 'answered' ? (
                <Alert
                  type="success"
                  showIcon
                  title={`${t('feedback.public.answer')} · ${formatTime(data.answeredAt, 'YYYY-MM-DD HH:mm')}`}
                  description={<div style={{ whiteSpace: 'pre-wrap' }} data-testid="lookup-answer">{data.answer}</div>}
                />
              ) : data.state === 'invalid' ? (
                <Alert type="warning" showIcon title={t('feedback.public.invalid', { reason: data.invalidReason ? t(`feedback.invalidReason.${data.invalidReason}`) : '' })} />
              ) : (
                <Alert
                  type="info"
                  showIcon
                  data-testid="lookup-waiting"
                  title={data.answerDueAt ? t('feedback.public.waitingDue', { time: formatTime(data.answerDueAt, 'YYYY-MM-DD HH:mm') }) : t('feedback.public.waiting')}
                />
              )}
            </div>
          </section>
        )}
        <p>
          <Link to={`/public/${encodeURIComponent(org)}`}>{t('feedback.public.back')}</Link>
        </p>
      </main>
    </div>
  );
}
