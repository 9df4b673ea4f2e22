/**
 * Adds or replaces one year of statutory holiday data: the notice it comes from and its days (date, holiday or
 * make-up workday, Chinese and English name), typed row by row, added a date range at a time, or pasted as JSON.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { HolidayDay as HolidayDaySchema } from '@contracts/calendars/contracts';
import { Alert, App, AutoComplete, Button, DatePicker, Drawer, Flex, Form, Input, InputNumber, Segmented, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { issuesOf, usePutHolidayYear, type HolidayDay, type HolidayYear } from '../../api/calendars';
import { ApiError } from '../../api/client';
import { useShowError } from '../../lib/use-show-error';
import { weekdayOf } from './hours';

type Kind = HolidayDay['kind'];

interface EditRow {
  key: number;
  date: string;
  kind: Kind;
  zh: string;
  en: string;
}

/** The names the State Council notices use, so a new year is quick to type and named like the shipped ones. */
const NAMES: { zh: string; en: string }[] = [
  { zh: '元旦', en: "New Year's Day" },
  { zh: '春节', en: 'Spring Festival' },
  { zh: '清明节', en: 'Qingming Festival (Tomb-Sweeping Day)' },
  { zh: '劳动节', en: 'Labour Day' },
  { zh: '端午节', en: 'Dragon Boat Festival' },
  { zh: '中秋节', en: 'Mid-Autumn Festival' },
  { zh: '国庆节', en: 'National Day' },
  { zh: '国庆节、中秋节', en: 'National Day and Mid-Autumn Festival' },
];
const WORKDAY_ZH = '调休上班';
const WORKDAY_EN = ' make-up workday';

function namesFor(kind: Kind) {
  return NAMES.map((n) => (kind === 'holiday' ? n : { zh: `${n.zh}${WORKDAY_ZH}`, en: `${n.en}${WORKDAY_EN}` }));
}

/** The English name matching a Chinese one typed or picked (including the make-up-workday form). */
function englishFor(zh: string): string | null {
  for (const kind of ['holiday', 'workday'] as const) {
    const found = namesFor(kind).find((n) => n.zh === zh.trim());
    if (found) return found.en;
  }
  return null;
}

let nextKey = 1;
const toRow = (d: HolidayDay): EditRow => ({ key: nextKey++, date: d.date, kind: d.kind, zh: d.name['zh-CN'], en: d.name['en-US'] });
const toDay = (r: EditRow): HolidayDay => ({ date: r.date.trim(), kind: r.kind, name: { 'zh-CN': r.zh.trim(), 'en-US': r.en.trim() } });

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (text: string) => DATE_RE.test(text) && dayjs(text).isValid() && dayjs(text).format('YYYY-MM-DD') === text;

/** Client-side checks (the server checks again): real dates in the year (a make-up workday may be next to it). */
function rowProblems(rows: EditRow[], year: number | null, t: TFunction): Map<number, string> {
  const out = new Map<number, string>();
  const seen = new Set<string>();
  for (const r of rows) {
    const d = dayjs(r.date);
    if (!isRealDate(r.date)) out.set(r.key, t('holidays.problems.date'));
    else if (year !== null && d.year() !== year && !(r.kind === 'workday' && Math.abs(d.year() - year) === 1)) out.set(r.key, t('holidays.problems.year', { year }));
    else if (seen.has(r.date)) out.set(r.key, t('holidays.problems.twice'));
    else if (!r.zh.trim() || !r.en.trim()) out.set(r.key, t('holidays.problems.names'));
    seen.add(r.date);
  }
  return out;
}

/** Pasted JSON: `{ source?, days: [...] }` or just the array of days. */
function parsePasted(text: string): { source?: string; days: HolidayDay[] } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  const obj = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  const list = Array.isArray(json) ? json : obj && Array.isArray(obj.days) ? obj.days : null;
  if (!list) return { error: 'days[]' };
  const days: HolidayDay[] = [];
  for (const [i, item] of list.entries()) {
    const parsed = HolidayDaySchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { error: `days[${i}]${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? ''}` };
    }
    days.push(parsed.data);
  }
  return { ...(obj && typeof obj.source === 'string' ? { source: obj.source } : {}), days };
}

export function HolidayYearEditor({ year: initialYear, existing, knownYears, onClose, onSaved }: {
  year: number | null;
  existing: HolidayYear | null;
  knownYears: Set<number>;
  onClose: () => void;
  onSaved: (year: number) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const put = usePutHolidayYear();
  const showError = useShowError();
  const [year, setYear] = useState<number | null>(initialYear ?? dayjs().year() + 1);
  const [source, setSource] = useState(existing?.source ?? '');
  const [rows, setRows] = useState<EditRow[]>(() => (existing ? [...existing.days].sort((a, b) => a.date.localeCompare(b.date)).map(toRow) : []));
  const [mode, setMode] = useState<'table' | 'json'>('table');
  const [jsonText, setJsonText] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [serverIssues, setServerIssues] = useState<string[]>([]);
  const [checked, setChecked] = useState(false);
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [rangeKind, setRangeKind] = useState<Kind>('holiday');
  const [rangeZh, setRangeZh] = useState('');
  const [rangeEn, setRangeEn] = useState('');

  const problems = rowProblems(rows, year, t);
  const replacing = year !== null && (existing !== null || knownYears.has(year));

  const update = (key: number, patch: Partial<EditRow>) => setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const sortRows = () => setRows((all) => [...all].sort((a, b) => a.date.localeCompare(b.date)));

  const addRange = () => {
    if (!range || !rangeZh.trim() || !rangeEn.trim()) {
      void message.error(t('holidays.rangeIncomplete'));
      return;
    }
    const dates: string[] = [];
    for (let d = range[0].startOf('day'); !d.isAfter(range[1], 'day'); d = d.add(1, 'day')) dates.push(d.format('YYYY-MM-DD'));
    setRows((all) => {
      const kept = all.filter((r) => !dates.includes(r.date));
      const added = dates.map((date) => ({ key: nextKey++, date, kind: rangeKind, zh: rangeZh.trim(), en: rangeEn.trim() }));
      return [...kept, ...added].sort((a, b) => a.date.localeCompare(b.date));
    });
    setRange(null);
  };

  const switchMode = (next: 'table' | 'json') => {
    if (next === 'json') {
      setJsonText(JSON.stringify({ source, days: rows.map(toDay) }, null, 2));
      setJsonError(null);
      setMode('json');
      return;
    }
    if (!jsonText.trim()) {
      setMode('table');
      return;
    }
    const parsed = parsePasted(jsonText);
    if ('error' in parsed) {
      setJsonError(parsed.error);
      return;
    }
    if (parsed.source !== undefined) setSource(parsed.source);
    setRows(parsed.days.map(toRow).sort((a, b) => a.date.localeCompare(b.date)));
    setJsonError(null);
    setMode('table');
  };

  const submit = () => {
    setChecked(true);
    setServerIssues([]);
    let days: HolidayDay[];
    let src = source;
    if (mode === 'json') {
      const parsed = parsePasted(jsonText);
      if ('error' in parsed) {
        setJsonError(parsed.error);
        return;
      }
      days = parsed.days;
      if (parsed.source !== undefined) {
        src = parsed.source;
        setSource(parsed.source);
      }
      const asRows = days.map(toRow);
      const jsonProblems = rowProblems(asRows, year, t);
      if (jsonProblems.size > 0) {
        setJsonError(asRows.filter((r) => jsonProblems.has(r.key)).map((r) => `${r.date || '?'}：${jsonProblems.get(r.key)}`).join('；'));
        return;
      }
    } else {
      if (problems.size > 0) {
        void message.error(t('holidays.fixRows'));
        return;
      }
      days = rows.map(toDay);
    }
    if (year === null || !Number.isInteger(year) || year < 1900 || year > 2999) {
      void message.error(t('holidays.yearRequired'));
      return;
    }
    if (!src.trim()) {
      void message.error(t('holidays.sourceRequired'));
      return;
    }
    if (days.length === 0) {
      void message.error(t('holidays.daysRequired'));
      return;
    }
    put.mutate(
      { year, body: { source: src.trim(), days } },
      {
        onSuccess: () => {
          void message.success(t('holidays.saved', { year }));
          onSaved(year);
        },
        onError: (error) => {
          const issues = issuesOf(error);
          if (error instanceof ApiError && issues.length > 0) {
            setServerIssues(issues.map((i) => (i.path ? `${i.path.replace(/^body\./, '')}: ${i.message}` : i.message)));
            return;
          }
          showError(error);
        },
      },
    );
  };

  const nameOptions = (kind: Kind) => namesFor(kind).map((n) => ({ value: n.zh, label: n.zh }));

  return (
    <Drawer
      open
      size={960}
      title={existing ? t('holidays.replaceTitle', { year: existing.year }) : t('holidays.addTitle')}
      onClose={onClose}
      mask={{ closable: false }}
      footer={
        <Flex justify="space-between" align="center">
          <Typography.Text type="secondary">{t('holidays.countSummary', { count: mode === 'table' ? rows.length : '…' })}</Typography.Text>
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={put.isPending} onClick={submit} data-testid="holiday-year-submit">
              {t('common.save')}
            </Button>
          </Space>
        </Flex>
      }
    >
      <Form layout="vertical" name="holidayYear">
        <Flex gap={16} wrap>
          <Form.Item label={t('holidays.year')} required style={{ width: 140 }}>
            <InputNumber
              id="holidayYear_year"
              value={year}
              onChange={(v) => setYear(typeof v === 'number' ? v : null)}
              min={1900}
              max={2999}
              precision={0}
              disabled={existing !== null}
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item
            label={t('holidays.source')}
            required
            style={{ flex: 1, minWidth: 320 }}
            extra={t('holidays.sourceHint')}
            validateStatus={checked && !source.trim() && mode === 'table' ? 'error' : undefined}
          >
            <Input id="holidayYear_source" value={source} onChange={(e) => setSource(e.target.value)} maxLength={300} placeholder={t('holidays.sourcePlaceholder', { year: year ?? '' })} />
          </Form.Item>
        </Flex>
      </Form>
      {replacing && (
        <Alert type="warning" showIcon title={t('holidays.replaceWarning', { year })} style={{ marginBottom: 12 }} />
      )}
      <Segmented
        value={mode}
        onChange={(v) => switchMode(v as 'table' | 'json')}
        options={[
          { value: 'table', label: <span data-testid="holiday-mode-table">{t('holidays.modeTable')}</span> },
          { value: 'json', label: <span data-testid="holiday-mode-json">{t('holidays.modeJson')}</span> },
        ]}
        style={{ marginBottom: 12 }}
      />
      {mode === 'table' ? (
        <>
          <div className="pledge-range-adder">
            <Typography.Text strong style={{ display: 'block', marginBottom: 8 }}>
              {t('holidays.addRange')}
            </Typography.Text>
            <Flex gap={8} wrap align="center">
              <DatePicker.RangePicker value={range} onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)} data-testid="holiday-range-dates" />
              <Select<Kind>
                value={rangeKind}
                onChange={setRangeKind}
                style={{ width: 156 }}
                options={[
                  { value: 'holiday', label: t('holidays.kinds.holiday') },
                  { value: 'workday', label: t('holidays.kinds.workday') },
                ]}
                data-testid="holiday-range-kind"
              />
              <AutoComplete
                value={rangeZh}
                options={nameOptions(rangeKind)}
                onChange={(v: string) => {
                  setRangeZh(v);
                  const en = englishFor(v);
                  if (en) setRangeEn(en);
                }}
                placeholder={t('holidays.nameZh')}
                style={{ width: 170 }}
                data-testid="holiday-range-zh"
              />
              <Input value={rangeEn} onChange={(e) => setRangeEn(e.target.value)} placeholder={t('holidays.nameEn')} style={{ width: 220 }} data-testid="holiday-range-en" />
              <Button icon={<PlusOutlined />} onClick={addRange} data-testid="holiday-range-add">
                {t('holidays.addDates')}
              </Button>
            </Flex>
          </div>
          <Table<EditRow>
            rowKey="key"
            size="small"
            dataSource={rows}
            pagination={false}
            data-testid="holiday-edit-table"
            locale={{ emptyText: t('holidays.noRows') }}
            columns={[
              {
                title: t('calendars.due.date'),
                key: 'date',
                width: 200,
                render: (_: unknown, r) => (
                  <Space size={4}>
                    <Input
                      value={r.date}
                      onChange={(e) => update(r.key, { date: e.target.value.trim() })}
                      onBlur={sortRows}
                      placeholder="YYYY-MM-DD"
                      status={checked && problems.has(r.key) ? 'error' : undefined}
                      style={{ width: 118 }}
                    />
                    {isRealDate(r.date) && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t(`calendars.weekdaysShort.${weekdayOf(r.date)}`)}
                      </Typography.Text>
                    )}
                  </Space>
                ),
              },
              {
                title: t('holidays.kind'),
                key: 'kind',
                width: 170,
                render: (_: unknown, r) => (
                  <Select<Kind>
                    value={r.kind}
                    onChange={(kind) => update(r.key, { kind })}
                    style={{ width: 156 }}
                    options={[
                      { value: 'holiday', label: t('holidays.kinds.holiday') },
                      { value: 'workday', label: t('holidays.kinds.workday') },
                    ]}
                  />
                ),
              },
              {
                title: t('holidays.nameZh'),
                key: 'zh',
                render: (_: unknown, r) => (
                  <AutoComplete
                    value={r.zh}
                    options={nameOptions(r.kind)}
                    onChange={(v: string) => {
                      const en = englishFor(v);
                      update(r.key, { zh: v, ...(en ? { en } : {}) });
                    }}
                    style={{ width: '100%' }}
                  />
                ),
              },
              {
                title: t('holidays.nameEn'),
                key: 'en',
                render: (_: unknown, r) => <Input value={r.en} onChange={(e) => update(r.key, { en: e.target.value })} />,
              },
              {
                key: 'remove',
                width: 48,
                render: (_: unknown, r) => (
                  <Button type="text" danger icon={<DeleteOutlined />} onClick={() => setRows((all) => all.filter((x) => x.key !== r.key))} aria-label={t('holidays.removeRow')} />
                ),
              },
            ]}
          />
          <Button
            type="dashed"
            block
            icon={<PlusOutlined />}
            style={{ marginTop: 8 }}
            onClick={() => setRows((all) => [...all, { key: nextKey++, date: year ? `${year}-` : '', kind: 'holiday', zh: '', en: '' }])}
            data-testid="holiday-row-add"
          >
            {t('holidays.addRow')}
          </Button>
          {checked && problems.size > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 12 }}
              title={t('holidays.fixRows')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {rows
                    .filter((r) => problems.has(r.key))
                    .map((r) => (
                      <li key={r.key}>
                        {r.date || '?'}：{problems.get(r.key)}
                      </li>
                    ))}
                </ul>
              }
            />
          )}
        </>
      ) : (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('holidays.jsonHint')}
          </Typography.Paragraph>
          <Input.TextArea
            value={jsonText}
            onChange={(e) => {
              setJsonText(e.target.value);
              setJsonError(null);
            }}
            autoSize={{ minRows: 14, maxRows: 28 }}
            className="pledge-mono"
            status={jsonError ? 'error' : undefined}
            data-testid="holiday-json"
            placeholder={'{ "source": "…", "days": [ { "date": "2027-01-01", "kind": "holiday", "name": { "zh-CN": "元旦", "en-US": "New Year\'s Day" } } ] }'}
          />
          {jsonError && (
            <Typography.Text type="danger" data-testid="holiday-json-error">
              {t('holidays.jsonInvalid', { reason: jsonError })}
            </Typography.Text>
          )}
          <div style={{ marginTop: 8 }}>
            <Button onClick={() => switchMode('table')} data-testid="holiday-json-load">
              {t('holidays.jsonLoad')}
            </Button>
          </div>
        </>
      )}
      {serverIssues.length > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="holiday-year-issues"
          style={{ marginTop: 12 }}
          title={t('holidays.serverIssues')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {serverIssues.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          }
        />
      )}
    </Drawer>
  );
}
