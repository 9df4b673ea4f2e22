/**
 * One column of everything that happened to a request, oldest first (new lines arrive at the bottom, as in a
 * chat): customer messages on the left, staff replies on the right, internal notes yellow with their
 * @mentions highlighted, steps of the loop with their reason and responsible person, clock events, and —
 * when asked for — the audit entries.
 */
import { AuditOutlined, ClockCircleOutlined, DownloadOutlined, NodeIndexOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Card, Empty, Flex, Image, Space, Switch, Tag, Typography } from 'antd';
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { attachmentUrl, type AttachmentView, type ClockExplanation, type MessageView, type TimelineEntry } from '../../api/requests';
import { formatTime } from '../../lib/time';
import { isChannel } from './request-fields';
import { useRequestLabels } from './labels';
import { actorLabel } from '../../lib/actors';

type EventEntry = Extract<TimelineEntry, { type: 'event' }>;
type ClockEntry = Extract<TimelineEntry, { type: 'clock' }>;

const IMAGE_TYPES = /^image\/(png|jpeg|gif|webp)$/;

export function AttachmentList({ files }: { files: AttachmentView[] }) {
  if (files.length === 0) return null;
  const images = files.filter((f) => IMAGE_TYPES.test(f.contentType));
  const others = files.filter((f) => !IMAGE_TYPES.test(f.contentType));
  return (
    <Flex vertical gap={4} style={{ marginTop: 6 }}>
      {images.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap>
            {images.map((f) => (
              <Image key={f.id} src={attachmentUrl(f.id, true)} alt={f.filename} width={96} height={96} style={{ objectFit: 'cover', borderRadius: 4 }} data-testid={`attachment-image-${f.filename}`} />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      {others.map((f) => (
        <a key={f.id} href={attachmentUrl(f.id)} download={f.filename} data-testid={`attachment-${f.filename}`}>
          <PaperClipOutlined /> {f.filename} <Typography.Text type="secondary">({Math.max(1, Math.round(f.size / 1024))} KB)</Typography.Text> <DownloadOutlined />
        </a>
      ))}
    </Flex>
  );
}

/** Highlights "@name" in a note: the names of the people it mentions, or any @word when they are unknown. */
function withMentions(body: string, names: string[]): ReactNode[] {
  const escaped = [...names].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = escaped.length > 0 ? new RegExp(`(@(?:${escaped.join('|')}))`, 'g') : /(@[^\s@，。,.!！?？:：;；]+)/g;
  return body.split(pattern).map((part, i) =>
    i % 2 === 1 ? (
      <span key={i} className="pledge-mention" style={{ background: '#ffe58f', color: '#ad6800', borderRadius: 3, padding: '0 2px', fontWeight: 500 }}>
        {part}
      </span>
    ) : (
      <Fragment key={i}>{part}</Fragment>
    ),
  );
}

function MessageBubble({ message, staffNames }: { message: MessageView; staffNames: Map<string, string> }) {
  const { t } = useTranslation();
  const channel = isChannel(message.channel) ? t(`vocab.channel.${message.channel}`) : message.channel;
  if (message.kind === 'system') {
    const merged = /^merged:(.+)$/.exec(message.body);
    return (
      <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center', fontSize: 12 }} data-testid="timeline-system">
        {merged ? t('requestPage.timeline.mergedHere', { number: merged[1] }) : message.body} · {formatTime(message.createdAt, 'MM-DD HH:mm')}
      </Typography.Text>
    );
  }
  const fromCustomer = message.kind === 'customer';
  const note = message.kind === 'note';
  const mentioned = message.mentions.map((id) => staffNames.get(id)).filter((n): n is string => !!n);
  const style = fromCustomer
    ? { background: '#f5f5f5', border: '1px solid #f0f0f0' }
    : note
      ? { background: '#fffbe6', border: '1px solid #ffe58f' }
      : { background: '#e6f4ff', border: '1px solid #bae0ff' };
  return (
    <Flex justify={fromCustomer ? 'flex-start' : 'flex-end'}>
      <div style={{ maxWidth: '78%', borderRadius: 8, padding: '8px 12px', ...style }} data-testid={`timeline-message-${message.kind}`} data-message-id={message.id}>
        <Flex gap={8} align="baseline" wrap style={{ marginBottom: 2 }}>
          <Typography.Text strong style={{ fontSize: 13 }}>
            {message.authorName}
          </Typography.Text>
          {fromCustomer && <Tag style={{ marginInlineEnd: 0 }}>{t('requestPage.timeline.customer')}</Tag>}
          {note && (
            <Tag color="gold" style={{ marginInlineEnd: 0 }}>
              {t('requestPage.timeline.note')}
            </Tag>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatTime(message.createdAt, 'MM-DD HH:mm')} · {channel}
          </Typography.Text>
        </Flex>
        <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="message-body">
          {note ? withMentions(message.body, mentioned) : message.body}
        </div>
        <AttachmentList files={message.attachments} />
      </div>
    </Flex>
  );
}

function Line({ icon, children, testId, at }: { icon: ReactNode; children: ReactNode; testId: string; at: string }) {
  return (
    <Flex gap={8} align="baseline" style={{ fontSize: 12, color: '#595959', padding: '0 8px' }} data-testid={testId}>
      <span style={{ color: '#8c8c8c' }}>{icon}</span>
      <span style={{ color: '#8c8c8c', whiteSpace: 'nowrap' }}>{formatTime(at, 'MM-DD HH:mm')}</span>
      <span>{children}</span>
    </Flex>
  );
}

const UPDATE_FIELDS = ['type', 'priority', 'subject', 'description', 'customerId', 'customerFlags', 'categoryId', 'tags'] as const;
const isUpdateField = (f: unknown): f is (typeof UPDATE_FIELDS)[number] => typeof f === 'string' && (UPDATE_FIELDS as readonly string[]).includes(f);

function EventLine({ entry, teamNames }: { entry: EventEntry; teamNames: Map<string, string> }) {
  const { t } = useTranslation();
  const { actionName } = useRequestLabels();
  const actor = actorLabel(t, entry.actorName);
  let text: string;
  switch (entry.kind) {
    case 'register': {
      const channel = entry.data.channel;
      text = t('requestPage.timeline.event.register', { actor, channel: typeof channel === 'string' && isChannel(channel) ? t(`vocab.channel.${channel}`) : '' });
      break;
    }
    case 'transition':
      text = t('requestPage.timeline.event.transition', { actor, action: actionName(entry.action) });
      break;
    case 'assign':
    case 'transfer':
    case 'escalate':
    case 'escalation_ack':
      text = t(`requestPage.timeline.event.${entry.kind}`, { actor });
      break;
    case 'update': {
      const fields = Array.isArray(entry.data.fields) ? entry.data.fields.filter(isUpdateField).map((f) => t(`requestPage.timeline.fields.${f}`)) : [];
      text = t('requestPage.timeline.event.update', { actor, fields: fields.join(t('commitments.listSeparator')) });
      break;
    }
    case 'merge':
      text = t('requestPage.timeline.event.merge', { actor, number: typeof entry.data.fromNumber === 'string' ? entry.data.fromNumber : '' });
      break;
    default:
      text = t('requestPage.timeline.event.other', { actor, kind: entry.kind });
  }
  const extras: string[] = [];
  const toTeam = typeof entry.data.toTeamId === 'string' ? entry.data.toTeamId : null;
  if ((entry.kind === 'assign' || entry.kind === 'transfer') && toTeam && toTeam !== entry.data.fromTeamId) extras.push(t('requestPage.timeline.team', { name: teamNames.get(toTeam) ?? '…' }));
  if (entry.kind === 'escalate' && typeof entry.data.teamId === 'string') extras.push(t('requestPage.timeline.team', { name: teamNames.get(entry.data.teamId) ?? '…' }));
  if (entry.reason) extras.push(t('requestPage.timeline.reason', { reason: entry.reason }));
  if (entry.responsible) extras.push(t('requestPage.timeline.responsible', { name: entry.responsible.name }));
  return (
    <Line icon={<NodeIndexOutlined />} testId={`timeline-event-${entry.kind}`} at={entry.at}>
      <span data-action={entry.action ?? undefined}>
        <Typography.Text strong style={{ fontSize: 12 }}>
          {text}
        </Typography.Text>
        {extras.length > 0 && ` — ${extras.join(t('commitments.listSeparator'))}`}
      </span>
    </Line>
  );
}

function ClockLine({ entry, explanation }: { entry: ClockEntry; explanation: ClockExplanation | undefined }) {
  const { t } = useTranslation();
  const { clockName } = useRequestLabels();
  const color = entry.event === 'breached' ? '#f5222d' : entry.event === 'warning' ? '#fa8c16' : entry.event === 'met' ? '#1677ff' : undefined;
  return (
    <Line icon={<ClockCircleOutlined style={{ color }} />} testId={`timeline-clock-${entry.event}`} at={entry.at}>
      <span style={{ color }}>{t(`requestPage.timeline.clock.${entry.event}`, { clock: clockName(entry, explanation) })}</span>
    </Line>
  );
}

export function Timeline({
  entries,
  explanations,
  staffNames,
  teamNames,
}: {
  entries: TimelineEntry[];
  explanations: ClockExplanation[];
  staffNames: Map<string, string>;
  teamNames: Map<string, string>;
}) {
  const { t } = useTranslation();
  const { auditAction } = useRequestLabels();
  const [showAudit, setShowAudit] = useState(false);
  const byClock = useMemo(() => new Map(explanations.map((e) => [e.clockId, e])), [explanations]);
  const visible = showAudit ? entries : entries.filter((e) => e.type !== 'audit');
  const scroller = useRef<HTMLDivElement>(null);
  const nearBottom = useRef(true);

  // Follow new lines (a chat being answered) unless the person scrolled up to read.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && nearBottom.current) el.scrollTop = el.scrollHeight;
  }, [visible.length]);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => {
      nearBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    };
    el.addEventListener('scroll', onScroll);
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  return (
    <Card
      size="small"
      title={t('requestPage.timeline.title')}
      extra={
        <Space size={6}>
          <AuditOutlined />
          <span>{t('requestPage.timeline.showAudit')}</span>
          <Switch size="small" checked={showAudit} onChange={setShowAudit} data-testid="timeline-show-audit" />
        </Space>
      }
      styles={{ body: { padding: 0 } }}
    >
      <div ref={scroller} style={{ maxHeight: 'calc(100vh - 360px)', minHeight: 240, overflowY: 'auto', padding: 12 }} data-testid="timeline">
        {visible.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('requestPage.timeline.empty')} />
        ) : (
          <Flex vertical gap={8}>
            {visible.map((entry) => {
              switch (entry.type) {
                case 'message':
                  return <MessageBubble key={`m-${entry.message.id}`} message={entry.message} staffNames={staffNames} />;
                case 'event':
                  return <EventLine key={`e-${entry.id}`} entry={entry} teamNames={teamNames} />;
                case 'clock':
                  return <ClockLine key={`c-${entry.clockId}-${entry.event}-${entry.at}`} entry={entry} explanation={byClock.get(entry.clockId)} />;
                default:
                  return (
                    <Line key={`a-${entry.id}`} icon={<AuditOutlined />} testId="timeline-audit" at={entry.at}>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {entry.actorName
                          ? t('requestPage.timeline.auditBy', { actor: actorLabel(t, entry.actorName), action: auditAction(entry.action) })
                          : t('requestPage.timeline.audit', { action: auditAction(entry.action) })}
                      </Typography.Text>
                    </Line>
                  );
              }
            })}
          </Flex>
        )}
      </div>
    </Card>
  );
}
