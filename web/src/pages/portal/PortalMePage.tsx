/**
 * "My requests" of a signed-in customer (`/portal/:org/me`): every request recorded as theirs or filed with their
 * e-mail address, newest first, each opening its tracking page. Without a session it sends the person to sign in.
 */
import { Button, Empty, Skeleton, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { useMyRequests, usePortalMe, useSignOut } from '../../api/portal';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';
import { PortalLayout } from './PortalLayout';

export default function PortalMePage() {
  const { org = '' } = useParams();
  return (
    <PortalLayout org={org} testId="portal-me-page">
      {() => <Mine org={org} />}
    </PortalLayout>
  );
}

function Mine({ org }: { org: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = usePortalMe(org);
  const list = useMyRequests(org, Boolean(me.data));
  const signOut = useSignOut(org);
  const showError = useShowError();
  const home = `/portal/${encodeURIComponent(org)}`;
  if (me.isLoading) return <Skeleton active />;
  if (me.error) return <p>{me.error.message}</p>;
  if (!me.data) return <Navigate to={`${home}/sign-in`} replace />;
  const items = list.data?.items ?? [];
  return (
    <section className="pledge-portal-card" data-testid="portal-mine">
      <div className="pledge-portal-head">
        <div>
          <h2>{t('portal.me.heading')}</h2>
          <div className="pledge-muted" data-testid="portal-me-name">
            {t('portal.me.hello', { name: me.data.name })}
          </div>
        </div>
        <div style={{ display: 'flex', gap: 8 }}>
          <Link to={home}>
            <Button type="primary">{t('portal.nav.submit')}</Button>
          </Link>
          <Button
            loading={signOut.isPending}
            onClick={() => signOut.mutate(undefined, { onSuccess: () => void navigate(`${home}/sign-in`), onError: (e) => showError(e) })}
            data-testid="portal-sign-out"
          >
            {t('portal.me.signOut')}
          </Button>
        </div>
      </div>
      {list.isLoading ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={t('portal.me.empty')} data-testid="portal-mine-empty" />
      ) : (
        <ul className="pledge-portal-requests" data-testid="portal-requests">
          {items.map((r) => (
            <li key={r.number} data-testid={`portal-request-${r.number}`} data-state={r.state}>
              <Link to={r.link}>
                <div>
                  <div className="pledge-portal-request-subject">{r.subject}</div>
                  <div className="pledge-muted">
                    <span className="pledge-mono">{r.number}</span> · {t(`vocab.type.${r.type}`)} · {t('portal.me.submittedAt', { time: formatTime(r.createdAt, 'YYYY-MM-DD HH:mm') })}
                  </div>
                </div>
                <Tag color={r.state === 'archived' ? 'green' : r.state === 'feedback' || r.state === 'waiting_customer' ? 'orange' : 'blue'}>{t(`vocab.state.${r.state}`)}</Tag>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
