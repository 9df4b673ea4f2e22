/** Providers (antd locale and theme, i18n, TanStack Query) and the routes; every page is loaded lazily. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { MeContext, meKey, signedOutDeliberately, useMe } from './api/auth';
import { ApiError, onSignedOut } from './api/client';
import { AppShell } from './components/AppShell';
import { setLanguage, storedLanguage, currentLanguage } from './i18n';
import { setTimeZone } from './lib/time';

const SignInPage = lazy(() => import('./pages/auth/SignInPage'));
const HomePage = lazy(() => import('./pages/home/HomePage'));
const OrgPage = lazy(() => import('./pages/org/OrgPage'));
const StaffPage = lazy(() => import('./pages/staff/StaffPage'));
const CustomersPage = lazy(() => import('./pages/customers/CustomersPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const OutboxPage = lazy(() => import('./pages/outbox/OutboxPage'));
const CalendarsPage = lazy(() => import('./pages/calendars/CalendarsPage'));
const CalendarEditorPage = lazy(() => import('./pages/calendars/CalendarEditorPage'));
const CommitmentsPage = lazy(() => import('./pages/commitments/CommitmentsPage'));
const CommitmentPage = lazy(() => import('./pages/commitments/CommitmentPage'));
const PublicPage = lazy(() => import('./pages/public/PublicPage'));
const SurveyPage = lazy(() => import('./pages/survey/SurveyPage'));
const EvaluationsPage = lazy(() => import('./pages/evaluations/EvaluationsPage'));
const PrintLetterPage = lazy(() => import('./pages/public/PrintLetterPage'));
const FeedbackLookupPage = lazy(() => import('./pages/public/FeedbackLookupPage'));
const FeedbackPage = lazy(() => import('./pages/feedback/FeedbackPage'));
const CampaignsPage = lazy(() => import('./pages/campaigns/CampaignsPage'));
const PortalSubmitPage = lazy(() => import('./pages/portal/PortalSubmitPage'));
const PortalTrackPage = lazy(() => import('./pages/portal/PortalTrackPage'));
const PortalSignInPage = lazy(() => import('./pages/portal/PortalSignInPage'));
const PortalMePage = lazy(() => import('./pages/portal/PortalMePage'));
const ConsolePage = lazy(() => import('./pages/console/ConsolePage'));
const RequestPage = lazy(() => import('./pages/requests/RequestPage'));
const MacrosPage = lazy(() => import('./pages/macros/MacrosPage'));
const DeskAdminPage = lazy(() => import('./pages/desk-admin/DeskAdminPage'));
const EmailPage = lazy(() => import('./pages/email/EmailPage'));
const CallsPage = lazy(() => import('./pages/calls/CallsPage'));
const CorrectiveActionsPage = lazy(() => import('./pages/corrective-actions/CorrectiveActionsPage'));
const CorrectiveActionPage = lazy(() => import('./pages/corrective-actions/CorrectiveActionPage'));
const CallbacksPage = lazy(() => import('./pages/callbacks/CallbacksPage'));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage'));
const DashboardPage = lazy(() => import('./pages/dashboards/DashboardPage'));
const MyDashboardPage = lazy(() => import('./pages/dashboards/MyDashboardPage'));
const WallPage = lazy(() => import('./pages/dashboards/WallPage'));
const AccountPage = lazy(() => import('./pages/account/AccountPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // Client errors (4xx) will not get better by asking again.
      retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
    },
  },
});

export function FullPageSpin() {
  return (
    <div style={{ minHeight: '60vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

/** Any call that finds the session gone sends the person back to the sign-in page. */
function SignedOutWatcher() {
  const { message } = AntApp.useApp();
  const { t } = useTranslation();
  useEffect(() => {
    onSignedOut((error) => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
      queryClient.setQueryData(meKey, null);
      if (error.code === 'auth.session_expired') void message.warning({ content: t('auth.sessionExpired'), key: 'session' });
    });
    return () => onSignedOut(null);
  }, [message, t]);
  return null;
}

/** The signed-in part of the app: waits for "me", adopts the organization's zone and (unless chosen) language. */
function RequireAuth() {
  const { data: me, isPending, error, refetch } = useMe();
  const location = useLocation();
  const preferred = me ? (me.staff.locale ?? me.organization.defaultLocale) : null;
  useEffect(() => {
    if (preferred && !storedLanguage() && preferred !== currentLanguage()) void setLanguage(preferred, false);
  }, [preferred]);
  if (isPending) return <FullPageSpin />;
  if (error) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <p>{error.message}</p>
        <a onClick={() => void refetch()}>↻</a>
      </div>
    );
  }
  if (!me) {
    const from = signedOutDeliberately() ? undefined : { from: `${location.pathname}${location.search}` };
    return <Navigate to="/sign-in" replace state={from} />;
  }
  setTimeZone(me.organization.timeZone);
  return (
    <MeContext.Provider value={me}>
      <AppShell />
    </MeContext.Provider>
  );
}

function Localized({ children }: { children: React.ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en-US' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}
      // No space inside two-character Chinese buttons: the button says 登录, not 登 录.
      button={{ autoInsertSpace: false }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Localized>
        <SignedOutWatcher />
        <BrowserRouter>
          <Suspense fallback={<FullPageSpin />}>
            <Routes>
              <Route path="/sign-in" element={<SignInPage />} />
              {/* Public, no sign-in and no shell: the disclosure page (also embedded in iframes) and the printable letter. */}
              <Route path="/public/:org" element={<PublicPage />} />
              <Route path="/s/:token" element={<SurveyPage />} />
              <Route path="/public/:org/commitments/:number/print" element={<PrintLetterPage />} />
              <Route path="/public/:org/feedback/:number" element={<FeedbackLookupPage />} />
              {/* The customer portal, no staff sign-in: web form, private tracking link, customer sign-in and their requests. */}
              <Route path="/portal/:org" element={<PortalSubmitPage />} />
              <Route path="/portal/:org/t/:number" element={<PortalTrackPage />} />
              <Route path="/portal/:org/sign-in" element={<PortalSignInPage />} />
              <Route path="/portal/:org/me" element={<PortalMePage />} />
              <Route element={<RequireAuth />}>
                <Route index element={<HomePage />} />
                <Route path="requests" element={<ConsolePage />} />
                <Route path="requests/:id" element={<RequestPage />} />
                <Route path="macros" element={<MacrosPage />} />
                <Route path="org" element={<OrgPage />} />
                <Route path="staff" element={<StaffPage />} />
                <Route path="customers" element={<CustomersPage />} />
                <Route path="audit" element={<AuditPage />} />
                <Route path="calendars" element={<CalendarsPage />} />
                <Route path="calendars/holidays" element={<CalendarsPage />} />
                <Route path="calendars/:id" element={<CalendarEditorPage />} />
                <Route path="commitments" element={<CommitmentsPage />} />
                <Route path="commitments/notices" element={<CommitmentsPage />} />
                <Route path="commitments/public-figures" element={<CommitmentsPage />} />
                <Route path="commitments/:id" element={<CommitmentPage />} />
                <Route path="desk-admin" element={<DeskAdminPage />} />
                <Route path="desk-admin/:tab" element={<DeskAdminPage />} />
                <Route path="email" element={<EmailPage />} />
                <Route path="calls" element={<CallsPage />} />
                <Route path="evaluations" element={<EvaluationsPage />} />
                <Route path="evaluations/:tab" element={<EvaluationsPage />} />
                <Route path="corrective-actions" element={<CorrectiveActionsPage />} />
                <Route path="corrective-actions/:id" element={<CorrectiveActionPage />} />
                <Route path="callbacks" element={<CallbacksPage />} />
                <Route path="reports" element={<ReportsPage />} />
                <Route path="dashboard" element={<DashboardPage />} />
                <Route path="dashboard/me" element={<MyDashboardPage />} />
                <Route path="wall" element={<WallPage />} />
                <Route path="feedback" element={<FeedbackPage />} />
                <Route path="campaigns" element={<CampaignsPage />} />
                <Route path="campaigns/:id" element={<CampaignsPage />} />
                <Route path="outbox" element={<OutboxPage />} />
                <Route path="account" element={<AccountPage />} />
                <Route path="account/:tab" element={<AccountPage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </Suspense>
        </BrowserRouter>
      </Localized>
    </QueryClientProvider>
  );
}
