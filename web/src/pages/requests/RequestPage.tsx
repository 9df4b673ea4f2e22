/**
 * The request page (/requests/:id): header with the loop's steps, the actions the server allows now, the
 * clocks as live countdowns with their explanation, inline classification, one timeline of everything, and
 * the reply box. Live events about this request refetch it at once (a chat is answered from here in real
 * time, so a customer's message must show without waiting).
 */
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Flex, Result, Row, Spin } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { useTeams } from '../../api/org';
import { requestKey, useRequestDetail } from '../../api/requests';
import { useStaffList } from '../../api/staff';
import { RequirePermission } from '../../components/Forbidden';
import { useLiveEvents } from '../../lib/live';
import { ClassifyPanel } from './ClassifyPanel';
import { ClocksPanel } from './ClocksPanel';
import { RequestEvaluations } from './RequestEvaluations';
import { RequestCorrective } from './RequestCorrective';
import { ReplyBox } from './ReplyBox';
import { RequestActions } from './RequestActions';
import { RequestHeader } from './RequestHeader';
import { Timeline } from './Timeline';

export default function RequestPage() {
  return (
    <RequirePermission anyOf={['request.read']}>
      <RequestView />
    </RequirePermission>
  );
}

function RequestView() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const qc = useQueryClient();
  const detail = useRequestDetail(id);
  const staff = useStaffList({ pageSize: 200 });
  const teams = useTeams(undefined);

  useLiveEvents(
    (event) => event.data.requestId === id,
    (event) => {
      // No debounce: the customer is waiting on the other side of a chat.
      void qc.invalidateQueries({ queryKey: requestKey(id) });
      if (event.type === 'request.customer_message') {
        notification.info({ key: `customer-message-${id}`, title: t('requestPage.header.newCustomerMessage'), placement: 'bottomRight', duration: 3 });
      }
    },
  );

  const staffNames = useMemo(() => new Map((staff.data?.items ?? []).map((s) => [s.id, s.displayName])), [staff.data]);
  const teamNames = useMemo(() => new Map((teams.data ?? []).map((team) => [team.id, team.name])), [teams.data]);
  const acknowledged = useMemo(() => {
    const events = (detail.data?.timeline ?? []).filter((e) => e.type === 'event');
    const lastEscalate = events.findLastIndex((e) => e.kind === 'escalate');
    return lastEscalate !== -1 && events.slice(lastEscalate).some((e) => e.kind === 'escalation_ack');
  }, [detail.data]);

  if (detail.isPending) return <Spin size="large" style={{ display: 'block', margin: '80px auto' }} />;
  if (detail.error) {
    const notFound = detail.error instanceof ApiError && detail.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? '404' : t('requestPage.loadFailed')}
        subTitle={notFound ? t('requestPage.notFound') : detail.error.message}
        extra={!notFound && <Button onClick={() => void detail.refetch()}>{t('common.retry')}</Button>}
        data-testid="request-error"
      />
    );
  }
  const { request, explanations, timeline, attachments } = detail.data;

  return (
    <Row gutter={[16, 16]} data-testid="request-page" data-request-id={request.id} data-state={request.state}>
      <Col xs={24} xl={16}>
        <Flex vertical gap={16}>
          <RequestHeader request={request} files={attachments.filter((f) => f.messageId === null)} acknowledged={acknowledged} />
          <Timeline entries={timeline} explanations={explanations} staffNames={staffNames} teamNames={teamNames} />
          <ReplyBox key={request.id} request={request} />
        </Flex>
      </Col>
      <Col xs={24} xl={8}>
        <Flex vertical gap={16}>
          <RequestActions request={request} acknowledged={acknowledged} />
          <ClocksPanel clocks={request.clocks} explanations={explanations} />
          <ClassifyPanel key={request.id} request={request} />
          <RequestEvaluations request={request} />
          <RequestCorrective request={request} />
        </Flex>
      </Col>
    </Row>
  );
}
