/**
 * The public survey page (/s/:token): no account, mobile first, zh-CN and en-US with a language switch. Five
 * levels, scores for attitude, speed and result, an optional NPS question, "is your problem resolved?" for a
 * request's survey (not resolved reopens it, the comment being the reason), a comment. The link works once:
 * a used link shows the used page, an expired one the expired page.
 */
import { Alert, Button, Form, Input, Radio, Rate, Result, Skeleton, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { useAnswerSurvey, usePublicSurvey, type SurveyAnswer } from '../../api/evaluations';
import { formatDate } from '../../lib/time';
import { PublicLangSwitch, usePublicLanguage } from '../public/shared';
import './survey.css';

const LEVELS = [5, 4, 3, 2, 1] as const;

interface Values {
  level?: number;
  attitude?: number;
  speed?: number;
  result?: number;
  nps?: number;
  resolved?: boolean;
  comment?: string;
}

function Gone({ code }: { code: string }) {
  const { t } = useTranslation();
  if (code === 'survey.used') return <Result status="success" title={t('evaluations.survey.used')} subTitle={t('evaluations.survey.usedHint')} data-testid="survey-used" />;
  if (code === 'survey.expired') return <Result status="warning" title={t('evaluations.survey.expired')} subTitle={t('evaluations.survey.expiredHint')} data-testid="survey-expired" />;
  return <Result status="404" title={t('evaluations.survey.notFound')} subTitle={t('evaluations.survey.notFoundHint')} data-testid="survey-not-found" />;
}

export default function SurveyPage() {
  const { token = '' } = useParams();
  const { t } = useTranslation();
  const { lang, switchTo } = usePublicLanguage();
  const survey = usePublicSurvey(token);
  const answer = useAnswerSurvey(token);
  const [form] = Form.useForm<Values>();
  const resolved = Form.useWatch('resolved', form);
  const [done, setDone] = useState<{ reopened: boolean } | null>(null);
  const orgName = survey.data?.orgName;
  useEffect(() => {
    document.title = orgName ? `${orgName} · ${t('evaluations.survey.title')}` : t('evaluations.survey.title');
  }, [orgName, t]);

  const submit = (v: Values) => {
    const body: SurveyAnswer = {
      level: v.level!,
      attitude: v.attitude || null,
      speed: v.speed || null,
      result: v.result || null,
      nps: survey.data?.nps && v.nps !== undefined ? v.nps : null,
      comment: v.comment?.trim() || null,
      resolved: survey.data?.askResolved ? (v.resolved ?? null) : null,
    };
    answer.mutate(body, { onSuccess: (r) => setDone({ reopened: r.reopened }) });
  };

  const error = (survey.error ?? answer.error) as ApiError | null;
  const goneCode = error instanceof ApiError && (error.status === 404 || error.status === 410) ? error.code : null;

  let body: React.ReactNode;
  if (done) {
    body = <Result status="success" title={t('evaluations.survey.thanks')} subTitle={done.reopened ? t('evaluations.survey.thanksReopened') : undefined} data-testid="survey-thanks" />;
  } else if (goneCode) {
    body = <Gone code={goneCode} />;
  } else if (survey.isLoading) {
    body = <Skeleton active paragraph={{ rows: 8 }} />;
  } else if (survey.error) {
    body = <Alert type="error" showIcon title={(survey.error).message} />;
  } else if (survey.data) {
    const s = survey.data;
    body = (
      <div className="pledge-survey-card" data-testid="survey-form">
        <Typography.Paragraph type="secondary" data-testid="survey-subject">
          {s.kind === 'request'
            ? t('evaluations.survey.requestLine', { number: s.requestNumber, subject: s.requestSubject })
            : t('evaluations.survey.campaignLine', { name: s.campaignName, from: formatDate(s.periodStart), to: formatDate(s.periodEnd) })}
        </Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="level" label={<strong>{t('evaluations.survey.overall')}</strong>} rules={[{ required: true, message: t('evaluations.survey.needLevel') }]}>
            <Radio.Group className="pledge-survey-levels" optionType="button" buttonStyle="solid">
              {LEVELS.map((n) => (
                <Radio.Button key={n} value={n}>
                  <span data-testid={`survey-level-${n}`}>{t(`evaluations.level.l${n}`)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          {(['attitude', 'speed', 'result'] as const).map((k) => (
            <div className="pledge-survey-score" key={k}>
              <span>{t(`evaluations.survey.${k}`)}</span>
              <div data-testid={`survey-${k}`}>
                <Form.Item name={k} noStyle>
                  <Rate />
                </Form.Item>
              </div>
            </div>
          ))}
          {s.nps && (
            <Form.Item name="nps" label={t('evaluations.survey.nps')} style={{ marginTop: 16 }}>
              <Radio.Group className="pledge-survey-nps" optionType="button">
                {Array.from({ length: 11 }, (_, n) => (
                  <Radio.Button key={n} value={n} style={{ textAlign: 'center', paddingInline: 0 }}>
                    <span data-testid={`survey-nps-${n}`}>{n}</span>
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
          )}
          {s.askResolved && (
            <Form.Item name="resolved" label={<strong>{t('evaluations.survey.resolved')}</strong>} style={{ marginTop: 16 }} extra={resolved === false ? t('evaluations.survey.resolvedNoHint') : undefined}>
              <Radio.Group>
                <Radio value={true}>
                  <span data-testid="survey-resolved-yes">{t('evaluations.survey.resolvedYes')}</span>
                </Radio>
                <Radio value={false}>
                  <span data-testid="survey-resolved-no">{t('evaluations.survey.resolvedNo')}</span>
                </Radio>
              </Radio.Group>
            </Form.Item>
          )}
          <Form.Item
            name="comment"
            label={t('evaluations.survey.comment')}
            rules={resolved === false ? [{ required: true, whitespace: true, message: t('evaluations.survey.commentRequired') }] : []}
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="survey-comment" />
          </Form.Item>
          {answer.error && !goneCode && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={(answer.error).message} />}
          <Button type="primary" htmlType="submit" block className="pledge-survey-submit" loading={answer.isPending} data-testid="survey-submit">
            {t('evaluations.survey.submit')}
          </Button>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12, textAlign: 'center' }}>
            {t('evaluations.survey.noAccount')}
          </Typography.Paragraph>
        </Form>
      </div>
    );
  }

  return (
    <div className="pledge-public pledge-survey" data-testid="survey-page" lang={lang}>
      <header className="pledge-public-header">
        <div className="pledge-public-inner pledge-survey-inner pledge-public-header-row">
          <div>
            <div className="pledge-public-org" data-testid="survey-org">
              {orgName ?? '\u00a0'}
            </div>
            <div className="pledge-public-sub">{t('evaluations.survey.title')}</div>
          </div>
          <PublicLangSwitch lang={lang} onSwitch={switchTo} />
        </div>
      </header>
      <main className="pledge-public-inner pledge-survey-inner pledge-public-main">{body}</main>
    </div>
  );
}
