/**
 * Writing on a request: a reply to the customer or an internal note (with @mentions that notify the people
 * named), canned responses filled in by the server for this request, files, Ctrl+Enter to send. Replies get
 * an unobtrusive reminder of the standard polite phrases (greeting, thanks, closing) — never a block.
 */
import { BulbOutlined, PaperClipOutlined, SendOutlined, SmileOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Divider, Flex, Mentions, Select, Tabs, Typography, Upload, type UploadFile } from 'antd';
import type { MentionsRef } from 'antd/es/mentions';
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { checkPolitePhrases } from '@contracts/requests/polite-phrases';
import { usePermissions } from '../../api/auth';
import { api } from '../../api/client';
import { renderMacro, useMacros, type RenderedMacro } from '../../api/macros';
import { uploadAttachment, useAddMessage, type AttachmentView, type RequestView } from '../../api/requests';
import type { Page, Staff } from '../../api/types';
import { useShowError } from '../../lib/use-show-error';

type Kind = 'reply' | 'note';

/** People to mention: a server search as the person types after "@". */
function useMentionOptions(search: string) {
  const q = useDeferredValue(search.trim());
  return useQuery({
    queryKey: ['staff', 'mention', q],
    queryFn: () => api.get<Page<Staff>>('/staff', { q: q || undefined, pageSize: 20, active: 'true' }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/**
 * What "@" inserts for each person: the name, or the name with the employee number when two people found
 * share it, so that the text names one person.
 */
function mentionTexts(people: Staff[]): { id: string; text: string; label: string }[] {
  const count = new Map<string, number>();
  for (const p of people) count.set(p.displayName, (count.get(p.displayName) ?? 0) + 1);
  return people.map((p) => {
    const no = p.employeeNo ?? p.username;
    return { id: p.id, text: (count.get(p.displayName) ?? 0) > 1 ? `${p.displayName}(${no})` : p.displayName, label: `${p.displayName} (${no})` };
  });
}

/** Replaces the current selection of the box (or appends) with `text`, returning the new value. */
function insertAt(value: string, text: string, area: HTMLTextAreaElement | null): string {
  if (!value.trim()) return text;
  const start = area?.selectionStart ?? value.length;
  const end = area?.selectionEnd ?? value.length;
  return `${value.slice(0, start)}${text}${value.slice(end)}`;
}

/** A macro in the picker, or a group of them (shared, mine). */
interface MacroOption {
  value?: string;
  label: string;
  body?: string;
  options?: MacroOption[];
}

function MacroPicker({ requestId, onInsert }: { requestId: string; onInsert: (rendered: RenderedMacro) => void }) {
  const { t } = useTranslation();
  const macros = useMacros('all');
  const showError = useShowError();
  const [busy, setBusy] = useState(false);
  const shared = (macros.data ?? []).filter((m) => m.shared);
  const mine = (macros.data ?? []).filter((m) => !m.shared);
  const option = (m: { id: string; name: string; body: string }): MacroOption => ({ value: m.id, label: m.name, body: m.body });
  const pick = (macroId: string) => {
    setBusy(true);
    renderMacro(requestId, macroId)
      .then(onInsert)
      .catch((e: unknown) => showError(e))
      .finally(() => setBusy(false));
  };
  return (
    <Select<string, MacroOption>
      style={{ width: 220 }}
      value={null}
      placeholder={
        <span>
          <ThunderboltOutlined /> {t('requestPage.reply.macros')}
        </span>
      }
      loading={macros.isFetching || busy}
      showSearch={{
        filterOption: (input, o) => !!o?.body && `${o.label}\n${o.body}`.toLowerCase().includes(input.toLowerCase()),
      }}
      notFoundContent={t('requestPage.reply.macrosEmpty')}
      options={[
        ...(shared.length ? [{ label: t('requestPage.reply.macroShared'), options: shared.map(option) }] : []),
        ...(mine.length ? [{ label: t('requestPage.reply.macroMine'), options: mine.map(option) }] : []),
      ]}
      optionRender={(o) => (
        <div title={o.data.body} data-testid={`macro-option-${o.data.label}`}>
          <div>{o.data.label}</div>
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }}>
            {o.data.body}
          </Typography.Text>
        </div>
      )}
      popupRender={(menu) => (
        <>
          {menu}
          <Divider style={{ margin: '4px 0' }} />
          <Link to="/macros" style={{ display: 'block', padding: '4px 12px' }}>
            {t('requestPage.reply.macrosManage')}
          </Link>
        </>
      )}
      popupMatchSelectWidth={320}
      onChange={(id) => id && pick(id)}
      data-testid="macro-picker"
    />
  );
}

function PoliteHints({ body }: { body: string }) {
  const { t } = useTranslation();
  const check = useMemo(() => checkPolitePhrases(body), [body]);
  if (!body.trim()) return null;
  const sep = t('commitments.listSeparator');
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="polite-hints" data-missing={check.missing.join(',')}>
      {check.missing.length === 0 ? (
        <>
          <SmileOutlined style={{ color: '#52c41a' }} /> {t('requestPage.reply.polite.ok')}
        </>
      ) : (
        <>
          <BulbOutlined style={{ color: '#faad14' }} /> {t('requestPage.reply.polite.title')} ·{' '}
          {t('requestPage.reply.polite.missing', { items: check.missing.map((m) => t(`requestPage.reply.polite.${m}`)).join(sep) })}
        </>
      )}
    </Typography.Text>
  );
}

export function ReplyBox({ request }: { request: RequestView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const showError = useShowError();
  const add = useAddMessage(request.id);
  const mayReply = request.state !== 'archived' && request.state !== 'merged';
  const mayNote = request.state !== 'merged';
  const [kind, setKind] = useState<Kind>(mayReply ? 'reply' : 'note');
  const [drafts, setDrafts] = useState<Record<Kind, string>>({ reply: '', note: '' });
  const [files, setFiles] = useState<UploadFile<AttachmentView>[]>([]);
  const [picked, setPicked] = useState<Map<string, string>>(new Map());
  const [macroNotice, setMacroNotice] = useState<RenderedMacro | null>(null);
  const [mentionSearch, setMentionSearch] = useState('');
  const mentionOptions = useMentionOptions(mentionSearch);
  const mentionables = useMemo(() => mentionTexts(mentionOptions.data?.items ?? []), [mentionOptions.data]);
  const box = useRef<MentionsRef>(null);
  const body = drafts[kind];
  const setBody = (value: string) => setDrafts((d) => ({ ...d, [kind]: value }));
  const uploading = files.some((f) => f.status === 'uploading');

  // Mentions still written in the note (a deleted "@name" notifies nobody).
  const mentions = useMemo(() => {
    if (kind !== 'note') return [];
    return [...picked].filter(([name]) => body.includes(`@${name}`)).map(([, id]) => id);
  }, [body, kind, picked]);
  const mentionedNames = [...picked].filter(([, id]) => mentions.includes(id)).map(([name]) => name);

  if (!can('request.handle')) return null;
  if (!mayNote) {
    return (
      <Card size="small">
        <Alert type="info" showIcon title={t('requestPage.reply.closedAll')} />
      </Card>
    );
  }

  const textarea = () => box.current?.nativeElement.querySelector('textarea') ?? null;

  const insertMacro = (rendered: RenderedMacro) => {
    setBody(insertAt(body, rendered.text, textarea()));
    setMacroNotice(rendered.unknown.length > 0 || rendered.empty.length > 0 ? rendered : null);
    box.current?.focus();
  };

  const send = () => {
    const text = body.trim();
    if (!text || uploading || add.isPending) return;
    const attachmentIds = files.filter((f) => f.status === 'done' && f.response).map((f) => f.response!.id);
    add.mutate(
      { kind, body: text, mentions, attachmentIds },
      {
        onSuccess: () => {
          setBody('');
          setFiles([]);
          setMacroNotice(null);
          if (kind === 'note') setPicked(new Map());
          void message.success({ content: kind === 'reply' ? t('requestPage.reply.sent') : t('requestPage.reply.noteAdded'), key: 'reply-sent' });
        },
        onError: (e) => showError(e),
      },
    );
  };

  const braces = (names: string[]) => names.map((n) => `{{${n}}}`).join(' ');

  return (
    <Card size="small" data-testid="reply-box" styles={{ body: { paddingTop: 0 } }}>
      <Tabs
        activeKey={kind}
        onChange={(k) => setKind(k === 'note' ? 'note' : 'reply')}
        items={[
          { key: 'reply', label: <span data-testid="reply-tab-reply">{t('requestPage.reply.tabReply')}</span>, disabled: !mayReply },
          { key: 'note', label: <span data-testid="reply-tab-note">{t('requestPage.reply.tabNote')}</span> },
        ]}
        size="small"
      />
      {!mayReply && <Alert type="info" showIcon title={t('requestPage.reply.closedReply')} style={{ marginBottom: 8 }} />}
      <div data-testid="reply-editor" data-kind={kind}>
        <Mentions
          ref={box}
          value={body}
          onChange={setBody}
          prefix={kind === 'note' ? '@' : []}
          autoSize={{ minRows: 3, maxRows: 12 }}
          maxLength={20_000}
          placeholder={kind === 'reply' ? t('requestPage.reply.placeholderReply') : t('requestPage.reply.placeholderNote')}
          filterOption={false}
          loading={mentionOptions.isFetching}
          onSearch={(text) => setMentionSearch(text)}
          options={mentionables.map((m) => ({ key: m.id, value: m.text, label: m.label }))}
          onSelect={(option) => {
            // The inserted text identifies the person (the option's key is not passed back as given).
            const person = mentionables.find((m) => m.text === option.value);
            if (person) setPicked((m) => new Map(m).set(person.text, person.id));
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              send();
            }
          }}
          style={kind === 'note' ? { background: '#fffbe6' } : undefined}
        />
      </div>
      <Flex vertical gap={4} style={{ marginTop: 6 }}>
        {kind === 'reply' && <PoliteHints body={body} />}
        {kind === 'note' && mentionedNames.length > 0 && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="reply-mentions">
            {t('requestPage.reply.mentioned', { names: mentionedNames.join(t('commitments.listSeparator')) })}
          </Typography.Text>
        )}
        {macroNotice && (
          <Alert
            type="warning"
            showIcon
            closable={{ onClose: () => setMacroNotice(null) }}
            data-testid="macro-notice"
            title={
              <>
                {macroNotice.empty.length > 0 && <div>{t('requestPage.reply.macroEmpty', { names: braces(macroNotice.empty) })}</div>}
                {macroNotice.unknown.length > 0 && <div>{t('requestPage.reply.macroUnknown', { names: braces(macroNotice.unknown) })}</div>}
              </>
            }
          />
        )}
      </Flex>
      <Flex justify="space-between" align="flex-start" gap={8} wrap style={{ marginTop: 8 }}>
        <Flex gap={8} align="flex-start" wrap>
          <MacroPicker requestId={request.id} onInsert={insertMacro} />
          <Upload<AttachmentView>
            multiple
            fileList={files}
            onChange={({ fileList }) => setFiles(fileList)}
            customRequest={({ file, onSuccess, onError }) => {
              uploadAttachment(file as File)
                .then((view) => onSuccess?.(view))
                .catch((e: unknown) => {
                  showError(e);
                  onError?.(e instanceof Error ? e : new Error(String(e)));
                });
            }}
          >
            <Button icon={<PaperClipOutlined />} data-testid="reply-attach">
              {t('requestPage.reply.attach')}
            </Button>
          </Upload>
        </Flex>
        <Button
          type="primary"
          icon={<SendOutlined />}
          onClick={send}
          loading={add.isPending}
          disabled={!body.trim() || uploading}
          data-testid="reply-send"
          style={kind === 'note' ? { background: '#d48806' } : undefined}
        >
          {kind === 'reply' ? t('requestPage.reply.send') : t('requestPage.reply.addNote')}
        </Button>
      </Flex>
    </Card>
  );
}
