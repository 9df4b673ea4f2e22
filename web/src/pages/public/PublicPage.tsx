/**
 * The public page of an organization (`/public/:org`, no sign-in, outside the app shell): who the organization is,
 * its complaint and service channels, the commitments in force with their promises (and the measured figures the
 * administrator chose to publish: last full month and quarter, met or missed), the notices and a form to receive
 * notices by e-mail. `?lang=zh-CN|en-US` chooses the language;
 * `?embed=1` is the compact layout the embed snippet (/embed/<org>.js) puts in an iframe: no header or footer, and
 * the page posts its height to the parent ({ type: 'pledge:height', height }) on load and whenever it changes.
 */
import { MailOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Result, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { profileOf, usePublicPage, useSubscribe, type PublicCommitment, type PublicPageData } from '../../api/public';
import { formatTime, setTimeZone } from '../../lib/time';
import { Markdown, safeHref, withoutLeadingTitle, withoutSignatureSection } from '../commitments/Markdown';
import { PromisesTable, PublicLangSwitch, usePeriodText, usePublicLanguage } from './shared';
import { FeedbackSection } from './FeedbackSection';

function postHeight() {
  window.parent.postMessage({ type: 'pledge:height', height: document.documentElement.scrollHeight }, '*');
}

/** In an iframe: let the page be as tall as its content and tell the parent how tall that is. */
function useEmbedHeight(embed: boolean) {
  useEffect(() => {
    if (!embed) return;
    const root = document.documentElement;
    root.classList.add('pledge-embed');
    postHeight();
    window.addEventListener('load', postHeight);
    window.addEventListener('resize', postHeight);
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => postHeight());
    observer?.observe(document.body);
    return () => {
      root.classList.remove('pledge-embed');
      window.removeEventListener('load', postHeight);
      window.removeEventListener('resize', postHeight);
      observer?.disconnect();
    };
  }, [embed]);
}

export default function PublicPage() {
  const { org = '' } = useParams();
  const [search] = useSearchParams();
  const embed = search.get('embed') === '1';
  const { t } = useTranslation();
  const { lang, switchTo } = usePublicLanguage();
  const page = usePublicPage(org, lang);
  useEmbedHeight(embed);

  const name = page.data?.organization.name;
  useEffect(() => {
    document.title = name ? `${name} · ${t('publicPage.title')}` : t('publicPage.title');
  }, [name, t]);
  if (page.data) setTimeZone(page.data.organization.timeZone);

  return (
    <div className={embed ? 'pledge-public pledge-public-embed' : 'pledge-public'} data-testid="public-page" data-embed={embed ? 'true' : 'false'} lang={lang}>
      {!embed && (
        <header className="pledge-public-header">
          <div className="pledge-public-inner pledge-public-header-row">
            <div>
              <div className="pledge-public-org" data-testid="public-org-name">
                {name ?? '\u00a0'}
              </div>
              <div className="pledge-public-sub">{t('publicPage.title')}</div>
            </div>
            <div className="pledge-public-tools">
              <Button size="small" className="no-print" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="public-print">
                {t('publicPage.print')}
              </Button>
              <PublicLangSwitch lang={lang} onSwitch={switchTo} />
            </div>
          </div>
        </header>
      )}
      <main className="pledge-public-inner pledge-public-main">
        {embed && (
          <div className="pledge-public-embed-bar">
            <strong data-testid="public-org-name">{name}</strong>
            <PublicLangSwitch lang={lang} onSwitch={switchTo} />
          </div>
        )}
        {page.isLoading ? (
          <Skeleton active paragraph={{ rows: 8 }} />
        ) : page.error ? (
          <Result
            status={page.error instanceof ApiError && page.error.status === 404 ? '404' : 'error'}
            title={page.error instanceof ApiError && page.error.status === 404 ? t('publicPage.notFound') : page.error.message}
            data-testid="public-error"
          />
        ) : page.data ? (
          <PublicContent data={page.data} org={org} lang={lang} />
        ) : null}
      </main>
      {!embed && (
        <footer className="pledge-public-footer">
          <div className="pledge-public-inner">
            {t('publicPage.footer')}
            {page.data && <span> · {t('publicPage.timeZone', { zone: page.data.organization.timeZone })}</span>}
          </div>
        </footer>
      )}
    </div>
  );
}

/** The digits of a phone text such as "027-12345（7×24 服务热线）", for a tel: link. */
function telHref(phone: string): string | null {
  const digits = /[+\d][\d\s()-]{2,}/.exec(phone)?.[0]?.replace(/[^\d+]/g, '');
  return digits && digits.length >= 3 ? `tel:${digits}` : null;
}

function PublicContent({ data, org, lang }: { data: PublicPageData; org: string; lang: string }) {
  const { t } = useTranslation();
  const profile = profileOf(data);
  const webForm = profile.webFormUrl ? safeHref(profile.webFormUrl) : null;
  const channels: { key: string; label: string; value: React.ReactNode }[] = [];
  const tel = profile.phone ? telHref(profile.phone) : null;
  if (profile.phone) channels.push({ key: 'phone', label: t('publicPage.profile.phone'), value: tel ? <a href={tel}>{profile.phone}</a> : profile.phone });
  if (profile.email) channels.push({ key: 'email', label: t('publicPage.profile.email'), value: <a href={`mailto:${profile.email}`}>{profile.email}</a> });
  if (profile.webFormUrl) {
    channels.push({
      key: 'webForm',
      label: t('publicPage.profile.webFormUrl'),
      value: webForm ? (
        <a href={webForm} target="_blank" rel="noopener noreferrer">
          {t('publicPage.openWebForm')}
        </a>
      ) : (
        profile.webFormUrl
      ),
    });
  }
  // The organization's own portal is always open: submit without an account, follow with a private link.
  channels.push({
    key: 'portal',
    label: t('portal.title'),
    value: (
      <a href={`/portal/${encodeURIComponent(org)}`} target="_blank" rel="noopener noreferrer">
        {t('portal.publicLink')}
      </a>
    ),
  });
  if (profile.address) channels.push({ key: 'address', label: t('publicPage.profile.address'), value: profile.address });
  if (profile.hours) channels.push({ key: 'hours', label: t('publicPage.profile.hours'), value: profile.hours });

  return (
    <>
      {profile.intro && (
        <p className="pledge-public-intro" data-testid="public-intro">
          {profile.intro}
        </p>
      )}
      {channels.length > 0 && (
        <section className="pledge-public-section" data-testid="public-channels">
          <h2>{t('publicPage.channels')}</h2>
          <dl className="pledge-public-channels">
            {channels.map((c) => (
              <div key={c.key} data-testid={`public-channel-${c.key}`}>
                <dt>{c.label}</dt>
                <dd>{c.value}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      <section className="pledge-public-section" data-testid="public-commitments">
        <h2>{t('publicPage.commitments')}</h2>
        {data.commitments.length === 0 ? (
          <p className="pledge-muted">{t('publicPage.noCommitments')}</p>
        ) : (
          data.commitments.map((c) => <CommitmentCard key={c.number} commitment={c} org={org} lang={lang} timeZone={data.organization.timeZone} />)
        )}
      </section>
      <section className="pledge-public-section" data-testid="public-notices">
        <h2>{t('publicPage.notices')}</h2>
        {data.notices.length === 0 ? (
          <p className="pledge-muted">{t('publicPage.noNotices')}</p>
        ) : (
          <ul className="pledge-public-notices">
            {data.notices.map((n) => (
              <li key={n.id} data-testid={`public-notice-${n.id}`}>
                <div className="pledge-public-notice-head">
                  <strong>{n.title}</strong>
                  <time dateTime={n.publishedAt}>{formatTime(n.publishedAt, 'YYYY-MM-DD')}</time>
                </div>
                <div className="pledge-public-notice-body">{n.body}</div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <FeedbackSection org={org} />
      <SubscribeForm org={org} />
    </>
  );
}

function CommitmentCard({ commitment, org, lang, timeZone }: { commitment: PublicCommitment; org: string; lang: string; timeZone: string }) {
  const { t } = useTranslation();
  const period = usePeriodText();
  // The promises come first; the full letter opens on request (print shows it whole).
  const [open, setOpen] = useState(false);
  const letter = withoutSignatureSection(withoutLeadingTitle(commitment.body));
  const printHref = `/public/${encodeURIComponent(org)}/commitments/${encodeURIComponent(commitment.number)}/print?lang=${lang}`;
  return (
    <article className="pledge-public-card" data-testid={`public-commitment-${commitment.number}`}>
      <header className="pledge-public-card-head">
        <h3>{commitment.title}</h3>
        <div className="pledge-public-meta">
          <span>
            {t('publicPage.number')}
            {t('publicPage.colon')}
            <span className="pledge-mono">{commitment.number}</span>
          </span>
          <span>{t('publicPage.version', { version: commitment.version })}</span>
          <span>{period(commitment)}</span>
          <span>{t('publicPage.publishedAt', { time: formatTime(commitment.publishedAt, 'YYYY-MM-DD') })}</span>
        </div>
      </header>
      <h4>{t('publicPage.ourPromises')}</h4>
      <PromisesTable commitment={commitment} testId={`public-promises-${commitment.number}`} />
      {commitment.figures.length > 0 && (
        <p className="pledge-muted pledge-figures-note" data-testid={`public-figures-note-${commitment.number}`}>
          {t('publicFigures.asOf', { zone: timeZone })}
        </p>
      )}
      <div className="pledge-public-letter-head">
        <h4>{t('publicPage.letter')}</h4>
        <span className="no-print">
          <Button type="link" size="small" onClick={() => setOpen((o) => !o)} data-testid={`public-letter-toggle-${commitment.number}`}>
            {open ? t('publicPage.collapse') : t('publicPage.expand')}
          </Button>
          <a href={printHref} target="_blank" rel="noopener noreferrer" data-testid={`public-print-${commitment.number}`}>
            <Button type="link" size="small" icon={<PrinterOutlined />}>
              {t('publicPage.printable')}
            </Button>
          </a>
        </span>
      </div>
      {lang === 'en-US' && commitment.bodyLocale === 'zh-CN' && <p className="pledge-muted">{t('publicPage.chineseOnly')}</p>}
      <div className={open ? 'pledge-public-letter' : 'pledge-public-letter pledge-collapsed'} lang={commitment.bodyLocale}>
        <Markdown source={letter} testId={`public-letter-${commitment.number}`} />
      </div>
    </article>
  );
}

function SubscribeForm({ org }: { org: string }) {
  const { t, i18n } = useTranslation();
  const subscribe = useSubscribe(org);
  const [form] = Form.useForm<{ email: string }>();
  const [done, setDone] = useState<string | null>(null);
  return (
    <section className="pledge-public-section no-print" data-testid="public-subscribe">
      <h2>{t('publicPage.subscribe')}</h2>
      <p className="pledge-muted">{t('publicPage.subscribeHint')}</p>
      {done ? (
        <Alert type="success" showIcon data-testid="subscribe-done" title={t('publicPage.subscribeDone', { email: done })} />
      ) : (
        <Form
          form={form}
          name="subscribe"
          layout="inline"
          className="pledge-public-subscribe"
          onFinish={(v) =>
            subscribe.mutate(
              { email: v.email.trim(), locale: i18n.language === 'en-US' ? 'en-US' : 'zh-CN' },
              {
                onSuccess: () => setDone(v.email.trim()),
                onError: (e) => form.setFields([{ name: 'email', errors: [e.message] }]),
              },
            )
          }
        >
          <Form.Item name="email" rules={[{ required: true, message: t('validation.email') }, { type: 'email', message: t('validation.email') }]} style={{ flex: '1 1 240px' }}>
            <Input prefix={<MailOutlined />} placeholder={t('publicPage.emailPlaceholder')} maxLength={200} autoComplete="email" inputMode="email" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={subscribe.isPending} data-testid="subscribe-submit">
              {t('publicPage.subscribeSubmit')}
            </Button>
          </Form.Item>
        </Form>
      )}
    </section>
  );
}
