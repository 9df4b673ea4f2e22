/**
 * 公示数据 / Public figures (`/commitments/public-figures`): the promises of the commitments in force, each with the
 * figures it would show on the public page (last full month and quarter, met or missed) and a switch to publish it.
 * Everyone who reads commitments sees the list; administrators (org.update) switch. Saved at each switch.
 */
import { GlobalOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Switch, Table, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentMe, usePermissions } from '../../api/auth';
import { usePublicFigures, useUpdatePublicFigures, type PublicFigureChoice } from '../../api/public-figures';
import { formatTime } from '../../lib/time';
import { PeriodFigureLine, useFigureText } from '../public/figures';

export function PublicFiguresCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentMe();
  const { can } = usePermissions();
  const mayChoose = can('org.update');
  const view = usePublicFigures();
  const update = useUpdatePublicFigures();
  const text = useFigureText();
  const targets = view.data?.targets ?? [];
  const published = targets.filter((c) => c.published).map((c) => c.ref);

  const toggle = (choice: PublicFigureChoice, on: boolean) => {
    const next = on ? [...published, choice.ref] : published.filter((r) => r !== choice.ref);
    update.mutate(next, { onSuccess: () => void message.success(t('publicFigures.saved')), onError: (e) => void message.error(e.message) });
  };
  const nameOf = (c: PublicFigureChoice) => (i18n.language === 'en-US' && c.name['en-US'] ? c.name['en-US'] : c.name['zh-CN']);
  const standardOf = (c: PublicFigureChoice) => {
    if (c.threshold === null) return t('common.none');
    const cmp = c.comparator === '>=' ? '≥' : '≤';
    const value = text.value(c.threshold, c.unit);
    return c.kind === 'time_limit' ? t('publicFigures.onTimeStandard', { cmp, value }) : `${cmp} ${value}`;
  };

  return (
    <Card
      title={t('publicFigures.title')}
      data-testid="public-figures-card"
      extra={
        <a href={`/public/${encodeURIComponent(me.organization.code)}`} target="_blank" rel="noopener noreferrer" data-testid="public-figures-open">
          <Button type="link" icon={<GlobalOutlined />}>
            {t('publicFigures.openPublic')}
          </Button>
        </a>
      }
    >
      <Typography.Paragraph type="secondary">{t('publicFigures.intro')}</Typography.Paragraph>
      {!mayChoose && <Alert type="info" showIcon title={t('publicFigures.adminOnly')} style={{ marginBottom: 12 }} />}
      {view.error && <Alert type="error" showIcon title={view.error.message} style={{ marginBottom: 12 }} />}
      <Table<PublicFigureChoice>
        rowKey="ref"
        size="middle"
        loading={view.isLoading}
        dataSource={targets}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="public-figures-table"
        locale={{ emptyText: t('publicFigures.noTargets') }}
        onRow={(row) => ({ 'data-testid': `public-figure-row-${row.ref}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('publicFigures.commitment'), dataIndex: 'commitmentNumber', width: 160, render: (n: string, row) => <Tooltip title={row.commitmentTitle}>{n}</Tooltip> },
          { title: t('publicFigures.target'), key: 'name', width: 200, render: (_, row) => nameOf(row) },
          { title: t('publicFigures.standard'), key: 'standard', width: 140, render: (_, row) => standardOf(row) },
          {
            title: t('publicFigures.preview'),
            key: 'preview',
            render: (_, row) =>
              row.indicator === null || row.unmeasured !== null ? (
                <Typography.Text type="secondary">
                  {t('publicFigures.notMeasurable')} · {t(`publicFigures.unmeasured.${row.unmeasured ?? 'no_source'}`)}
                </Typography.Text>
              ) : (
                <div className="pledge-figures">
                  <PeriodFigureLine label={t('publicFigures.lastMonth')} figure={row.month} unit={row.unit} onTime={row.kind === 'time_limit'} />
                  <PeriodFigureLine label={t('publicFigures.lastQuarter')} figure={row.quarter} unit={row.unit} onTime={row.kind === 'time_limit'} />
                </div>
              ),
          },
          {
            title: t('publicFigures.publish'),
            key: 'publish',
            width: 100,
            fixed: 'right',
            render: (_, row) => (
              <Switch
                checked={row.published}
                disabled={!mayChoose || row.indicator === null || row.unmeasured !== null}
                loading={update.isPending && update.variables?.includes(row.ref) !== row.published}
                onChange={(on) => toggle(row, on)}
                data-testid={`public-figure-switch-${row.ref}`}
              />
            ),
          },
        ]}
      />
      {view.data?.updatedAt && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('publicFigures.updatedAt', { time: formatTime(view.data.updatedAt, 'YYYY-MM-DD HH:mm') })}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
