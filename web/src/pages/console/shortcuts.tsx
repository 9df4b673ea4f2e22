/**
 * Keyboard shortcuts of the console (Gmail-like): single keys and "g then m" sequences. They are ignored while
 * the person types in a text box or a picker, and while a dialog of the console is open, so they never eat
 * a letter meant for a field.
 */
import { Modal, Space, Table, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Queue } from './filters';

export interface ShortcutHandlers {
  next: () => void;
  prev: () => void;
  open: () => void;
  toggle: () => void;
  search: () => void;
  create: () => void;
  walkIn: () => void;
  queue: (queue: Queue) => void;
  help: () => void;
}

type Label = 'next' | 'prev' | 'open' | 'toggle' | 'search' | 'new' | 'walkIn' | 'mine' | 'team' | 'all' | 'unassigned' | 'help' | 'submit' | 'escape';

/** The list the help modal (and docs/console.md) shows: keys pressed together are joined by "+", in sequence by a space. */
export const SHORTCUTS: { keys: string[]; label: Label }[] = [
  { keys: ['j'], label: 'next' },
  { keys: ['k'], label: 'prev' },
  { keys: ['Enter', 'o'], label: 'open' },
  { keys: ['x'], label: 'toggle' },
  { keys: ['/'], label: 'search' },
  { keys: ['n'], label: 'new' },
  { keys: ['w'], label: 'walkIn' },
  { keys: ['g m'], label: 'mine' },
  { keys: ['g t'], label: 'team' },
  { keys: ['g a'], label: 'all' },
  { keys: ['g u'], label: 'unassigned' },
  { keys: ['?'], label: 'help' },
  { keys: ['Ctrl+Enter'], label: 'submit' },
  { keys: ['Esc'], label: 'escape' },
];

const SEQUENCE_MS = 1500;

/** Is the key going into a field (text box, picker, editable text)? */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return target.closest('[role=combobox], .ant-select, .ant-picker') !== null;
}

/** A dialog, drawer or pop-up has the focus: its keys are its own. */
function insideOverlay(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('.ant-modal, .ant-drawer, .ant-popover, .ant-dropdown, .ant-select-dropdown') !== null;
}

/** Keys that activate the element itself (a focused button or link) keep their own meaning. */
function activatesTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('a, button, [role=button], input[type=checkbox]') !== null;
}

export function useShortcuts(enabled: boolean, handlers: ShortcutHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  const pendingG = useRef(0);

  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (isTypingTarget(e.target) || insideOverlay(e.target)) return;
      const h = latest.current;
      if (Date.now() - pendingG.current < SEQUENCE_MS) {
        pendingG.current = 0;
        const queue = ({ m: 'mine', t: 'team', a: 'all', u: 'unassigned' } as const)[e.key as 'm' | 't' | 'a' | 'u'];
        if (queue) {
          e.preventDefault();
          h.queue(queue);
          return;
        }
      }
      const act = (fn: () => void) => {
        e.preventDefault();
        fn();
      };
      switch (e.key) {
        case 'j':
          return act(h.next);
        case 'k':
          return act(h.prev);
        case 'o':
          return act(h.open);
        case 'Enter':
          if (!activatesTarget(e.target)) act(h.open);
          return;
        case 'x':
          if (!activatesTarget(e.target)) act(h.toggle);
          return;
        case '/':
          return act(h.search);
        case 'n':
          return act(h.create);
        case 'w':
          return act(h.walkIn);
        case '?':
          return act(h.help);
        case 'g':
          pendingG.current = Date.now();
          return;
        default:
          return;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('console.shortcuts.title')} width={520} destroyOnHidden>
      <Table
        data-testid="shortcut-help"
        size="small"
        pagination={false}
        rowKey={(r) => r.label}
        dataSource={SHORTCUTS}
        showHeader={false}
        columns={[
          {
            key: 'keys',
            width: 170,
            render: (_, r) => (
              <Space size={4} wrap>
                {r.keys.map((combo, i) => (
                  <span key={combo}>
                    {i > 0 && <Typography.Text type="secondary"> / </Typography.Text>}
                    {combo.split(' ').map((k, j) => (
                      <span key={`${k}-${j}`}>
                        {j > 0 && <Typography.Text type="secondary"> {t('console.shortcuts.then')} </Typography.Text>}
                        <Typography.Text keyboard>{k}</Typography.Text>
                      </span>
                    ))}
                  </span>
                ))}
              </Space>
            ),
          },
          { key: 'label', render: (_, r) => t(`console.shortcuts.${r.label}`) },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('console.shortcuts.note')}
      </Typography.Paragraph>
    </Modal>
  );
}
