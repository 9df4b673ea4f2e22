/**
 * The frame of the customer portal pages (no staff sign-in, outside the app shell): the organization's name, the
 * portal's navigation (submit, my requests / sign in, the public page) and the language switch of the public pages
 * (`?lang=` → remembered choice → browser). Children get the portal facts once they are loaded.
 */
import { Result, Skeleton } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { usePortalInfo, usePortalMe, type PortalInfo } from '../../api/portal';
import { setTimeZone } from '../../lib/time';
import { PublicLangSwitch, usePublicLanguage } from '../public/shared';
import './portal.css';

export function PortalLayout({ org, testId, children }: { org: string; testId: string; children: (info: PortalInfo) => React.ReactNode }) {
  const { t } = useTranslation();
  const { lang, switchTo } = usePublicLanguage();
  const info = usePortalInfo(org);
  const me = usePortalMe(org);
  const name = info.data?.organization.name;
  useEffect(() => {
    document.title = name ? `${name} · ${t('portal.title')}` : t('portal.title');
  }, [name, t]);
  if (info.data) setTimeZone(info.data.organization.timeZone);
  const home = `/portal/${encodeURIComponent(org)}`;

  return (
    <div className="pledge-public pledge-portal" data-testid={testId} lang={lang}>
      <header className="pledge-public-header">
        <div className="pledge-public-inner pledge-portal-inner pledge-public-header-row">
          <div>
            <div className="pledge-public-org" data-testid="portal-org-name">
              {name ?? '\u00a0'}
            </div>
            <div className="pledge-public-sub">{t('portal.subtitle')}</div>
          </div>
          <nav className="pledge-portal-nav">
            <Link to={home} data-testid="portal-nav-submit">
              {t('portal.nav.submit')}
            </Link>
            {me.data ? (
              <Link to={`${home}/me`} data-testid="portal-nav-mine">
                {t('portal.nav.mine')}
              </Link>
            ) : (
              <Link to={`${home}/sign-in`} data-testid="portal-nav-sign-in">
                {t('portal.nav.signIn')}
              </Link>
            )}
            <a href={`/public/${encodeURIComponent(org)}`} data-testid="portal-nav-public">
              {t('portal.nav.publicPage')}
            </a>
            <PublicLangSwitch lang={lang} onSwitch={switchTo} />
          </nav>
        </div>
      </header>
      <main className="pledge-public-inner pledge-public-main pledge-portal-main">
        {info.isLoading ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : info.error ? (
          <Result
            status={info.error instanceof ApiError && info.error.status === 404 ? '404' : 'error'}
            title={info.error instanceof ApiError && info.error.status === 404 ? t('portal.notFound') : info.error.message}
            data-testid="portal-error"
          />
        ) : info.data ? (
          children(info.data)
        ) : null}
      </main>
      <footer className="pledge-public-footer">
        <div className="pledge-public-inner pledge-portal-inner">{t('portal.footer')}</div>
      </footer>
    </div>
  );
}

/** "10 MB", "512 KB". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}
