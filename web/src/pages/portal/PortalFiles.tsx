/**
 * Files for the form or a reply: each chosen file is uploaded at once (the organization's size limit is checked
 * here first, its size and type rules again by the server) and listed with a remove button; the stored files go to
 * `onChange`, and `onBusy` tells the form while uploads are running. The form starts afresh by remounting it
 * (a new `key`).
 */
import { DeleteOutlined, LoadingOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uploadPortalFile, type PortalFile, type PortalInfo } from '../../api/portal';
import { formatBytes } from './PortalLayout';

interface Item {
  key: string;
  name: string;
  file: PortalFile | null;
  error: string | null;
}

let counter = 0;

export function PortalFiles({
  org, info, target, onChange, onBusy, testId,
}: {
  org: string;
  info: PortalInfo;
  target?: { number: string; key: string };
  onChange: (files: PortalFile[]) => void;
  onBusy: (busy: boolean) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [items, setItems] = useState<Item[]>([]);
  const size = formatBytes(info.maxAttachmentBytes);
  const stored = items.flatMap((i) => (i.file ? [i.file] : []));
  const pending = items.filter((i) => i.file === null && i.error === null).length;
  const storedIds = stored.map((f) => f.id).join(',');

  // Reported when the set of stored files changes (not on every render of a new array).
  const latest = useRef(stored);
  latest.current = stored;
  useEffect(() => onChange(latest.current), [storedIds, onChange]);
  useEffect(() => onBusy(pending > 0), [pending, onBusy]);

  const pick = (list: FileList | null) => {
    if (!list) return;
    let room = info.maxFiles - stored.length - pending;
    const added: Item[] = [];
    const uploads: { item: Item; file: File }[] = [];
    for (const file of [...list]) {
      const item: Item = { key: `f${++counter}`, name: file.name, file: null, error: null };
      if (room <= 0) item.error = t('portal.files.tooMany', { count: info.maxFiles });
      else if (file.size > info.maxAttachmentBytes) item.error = t('portal.files.tooLarge', { name: file.name, size });
      else {
        room -= 1;
        uploads.push({ item, file });
      }
      added.push(item);
    }
    // Earlier refusals make room for the new choice.
    setItems((current) => [...current.filter((i) => i.error === null), ...added]);
    for (const { item, file } of uploads) {
      void uploadPortalFile(org, file, target).then(
        (saved) => setItems((current) => current.map((i) => (i.key === item.key ? { ...i, file: saved } : i))),
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          setItems((current) => current.map((i) => (i.key === item.key ? { ...i, error: message } : i)));
        },
      );
    }
    if (input.current) input.current.value = '';
  };

  const remove = (item: Item) => setItems((current) => current.filter((i) => i.key !== item.key));

  return (
    <div className="pledge-portal-files" data-testid={testId}>
      <input ref={input} type="file" multiple style={{ display: 'none' }} accept={info.accept} onChange={(e) => pick(e.target.files)} data-testid={`${testId}-input`} />
      <Button icon={<PaperClipOutlined />} onClick={() => input.current?.click()} disabled={stored.length + pending >= info.maxFiles} data-testid={`${testId}-add`}>
        {t('portal.files.add')}
      </Button>
      <div className="pledge-muted pledge-portal-limits" data-testid={`${testId}-limits`}>
        {t('portal.files.limits', { size, count: info.maxFiles })}
      </div>
      {items.length > 0 && (
        <ul className="pledge-portal-file-list">
          {items.map((item) => (
            <li key={item.key} className={item.error ? 'pledge-portal-file-error' : undefined} data-testid={item.error ? `${testId}-error` : `${testId}-item`} data-name={item.name}>
              {item.file === null && item.error === null ? <LoadingOutlined /> : <PaperClipOutlined />}
              <span className="pledge-portal-file-name">{item.name}</span>
              {item.file && <span className="pledge-muted">{formatBytes(item.file.size)}</span>}
              {item.error && <span className="pledge-portal-file-why">{item.error}</span>}
              {(item.file || item.error) && (
                <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('portal.files.remove')} onClick={() => remove(item)} data-testid={`${testId}-remove`} />
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
