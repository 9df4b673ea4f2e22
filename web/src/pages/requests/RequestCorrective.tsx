/**
 * The request page's panel of corrective actions (整改): the actions raised from or linking this request,
 * with their state and deadline, and — on a complaint — the verdict control (upheld or not, with a note);
 * an upheld complaint raises an action (or joins its category's cluster).
 */
import { Button, Card, Empty, Flex, Input, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import { useComplaintVerdict, useRequestCorrective } from '../../api/corrective-actions';
import type { RequestView } from '../../api/requests';
import { useShowError } from '../../lib/use-show-error';
import { CaDeadline, CaSourceTag, CaStateTag } from '../corrective-actions/labels';

export function RequestCorrective({ request }: { request: Pick<RequestView, 'id' | 'type' | 'state'> }) {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const data = useRequestCorrective(request.id, can('corrective.read'));
  const verdict = useComplaintVerdict(request.id);
  const showError = useShowError();
  const [upheld, setUpheld] = useState<boolean | null>(null);
  const [note, setNote] = useState('');
  if (!can('corrective.read')) return null;
  const actions = data.data?.actions ?? [];
  const isComplaint = request.type === 'complaint';
  if (!isComplaint && actions.length === 0) return null;
  const current = data.data?.complaintUpheld ?? null;
  return (
    <Card size="small" title={t('corrective.panel.title')} data-testid="request-corrective" loading={data.isPending}>
      <Flex vertical gap={12}>
        {isComplaint && (
          <div data-testid="complaint-verdict" data-upheld={current === null ? 'none' : String(current)}>
            <Typography.Text type="secondary">{t('corrective.panel.verdict')}：</Typography.Text>
            <Typography.Text strong>{current === null ? t('corrective.panel.notJudged') : current ? t('corrective.panel.upheld') : t('corrective.panel.notUpheld')}</Typography.Text>
            {can('request.handle') && request.state !== 'merged' && (
              <Flex vertical gap={8} style={{ marginTop: 8 }}>
                <Radio.Group value={upheld} onChange={(e) => setUpheld(e.target.value as boolean)} data-testid="verdict-choice">
                  <Radio value={true}>{t('corrective.panel.upheld')}</Radio>
                  <Radio value={false}>{t('corrective.panel.notUpheld')}</Radio>
                </Radio.Group>
                <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('corrective.panel.verdictNote')} maxLength={2000} data-testid="verdict-note" />
                <Button
                  disabled={upheld === null || !note.trim()}
                  loading={verdict.isPending}
                  onClick={() => verdict.mutate({ upheld: upheld!, note: note.trim() }, { onSuccess: () => { setNote(''); setUpheld(null); }, onError: (e) => showError(e) })}
                  data-testid="verdict-submit"
                >
                  {t('corrective.panel.judge')}
                </Button>
              </Flex>
            )}
          </div>
        )}
        {actions.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('corrective.panel.none')} />
        ) : (
          actions.map((a) => (
            <Flex key={a.id} vertical gap={4} data-testid="request-corrective-item" data-number={a.number}>
              <Space wrap size={4}>
                <Link to={`/corrective-actions/${a.id}`}>{a.number}</Link>
                <CaSourceTag source={a.source} />
                <CaStateTag state={a.state} />
              </Space>
              <Space wrap size={8}>
                <Typography.Text type="secondary">{a.owner?.name ?? t('corrective.unassigned')}</Typography.Text>
                <CaDeadline action={a} />
              </Space>
            </Flex>
          ))
        )}
      </Flex>
    </Card>
  );
}
