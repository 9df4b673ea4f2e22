/**
 * The team lead's live wall (/wall): open requests, about to breach, breached, unassigned; the agents on duty
 * with their load; the clocks due soonest with a running countdown. Dark and in large type for a wall screen
 * (the full-screen button hides the app's frame). It refreshes on every live request event (lib/live.ts) and at
 * least every 15 s, since a clock passes its warning instant without any event. Every figure opens its
 * requests in the console; the team is in the address (?team=…).
 */
import { FullscreenExitOutlined, FullscreenOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, ConfigProvider, Empty, Flex, Select, Spin, theme } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { liveKey, useKpiLive, type KpiLiveAgent, type KpiLiveView } from '../../api/kpis';
import { useTeams } from '../../api/org';
import { useLiveEvents } from '../../lib/live';
import { formatTime } from '../../lib/time';
import { EChart, type ChartOption } from './EChart';
import { formatCount, humanizeSeconds } from './format';
import { durationUnits, vocabLabel } from './labels';
import { WALL } from './palette';
import { LoadError, ViewSwitch } from './parts';
import './dashboards.css';

/** Live events come in bursts (a bulk assignment): one refresh per burst. */
const BURST_MS = 500;

/** The console listing a wall figure's requests. */
function consoleLink(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams({ queue: 'all', open: 'true' });
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, v);
  return `/requests?${search.toString()}`;
}

/** Now, ticking every second (the countdowns of the soonest list). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function useFullscreen(box: React.RefObject<HTMLDivElement | null>) {
  const [full, setFull] = useState(false);
  useEffect(() => {
    const sync = () => setFull(document.fullscreenElement === box.current && box.current !== null);
    document.addEventListener('fullscreenchange', sync);
    return () => document.removeEventListener('fullscreenchange', sync);
  }, [box]);
  const toggle = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void box.current?.requestFullscreen?.();
  };
  return { full, toggle };
}

function Tile({ label, value, color, to, testId }: { label: string; value: number | undefined; color: string; to: string; testId: string }) {
  return (
    <Link to={to} className="wall-tile" data-testid={testId} data-value={value ?? ''}>
      <div className="wall-tile-label">{label}</div>
      <div className="wall-tile-value" style={{ color }}>{value === undefined ? '—' : value}</div>
    </Link>
  );
}

function AgentLoad({ agents, onAgent }: { agents: KpiLiveAgent[]; onAgent: (agent: KpiLiveAgent) => void }) {
  const { t } = useTranslation();
  const sorted = useMemo(() => [...agents].sort((a, b) => Number(b.onDuty) - Number(a.onDuty) || b.open - a.open || a.name.localeCompare(b.name)), [agents]);
  const option = useMemo<ChartOption>(() => ({
    grid: { left: 8, right: 32, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: WALL.text, fontSize: 16 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: WALL.subtleText, fontSize: 14 }, splitLine: { lineStyle: { color: WALL.grid } } },
    yAxis: {
      type: 'category', inverse: true, axisTick: { show: false },
      data: sorted.map((a) => `${a.onDuty ? '●' : '○'} ${a.name}`),
      axisLabel: { color: WALL.text, fontSize: 18 },
    },
    series: [
      { type: 'bar', stack: 'load', name: t('dashboards.wall.series.other'), itemStyle: { color: WALL.series[0] }, barMaxWidth: 28, data: sorted.map((a) => Math.max(0, a.open - a.aboutToBreach - a.breached)) },
      { type: 'bar', stack: 'load', name: t('dashboards.wall.series.warning'), itemStyle: { color: WALL.warning }, barMaxWidth: 28, data: sorted.map((a) => a.aboutToBreach) },
      { type: 'bar', stack: 'load', name: t('dashboards.wall.series.breached'), itemStyle: { color: WALL.missed }, barMaxWidth: 28, data: sorted.map((a) => a.breached) },
    ],
  }), [sorted, t]);
  if (agents.length === 0) return <Empty description={t('dashboards.wall.noAgents')} />;
  return (
    <EChart
      option={option}
      palette={WALL}
      height={Math.max(180, sorted.length * 40 + 60)}
      testId="chart-wall-agents"
      onClick={(e) => {
        const agent = sorted[e.dataIndex];
        if (agent) onAgent(agent);
      }}
    />
  );
}

function Soonest({ view }: { view: KpiLiveView }) {
  const { t } = useTranslation();
  const now = useNow();
  const units = durationUnits(t);
  if (view.soonest.length === 0) return <Empty description={t('dashboards.wall.noSoonest')} />;
  return (
    <ol className="wall-soonest" data-testid="wall-soonest">
      {view.soonest.map((s) => {
        const left = (Date.parse(s.dueAt) - now) / 1000;
        const color = s.state === 'breached' || left < 0 ? WALL.missed : s.state === 'warning' ? WALL.warning : WALL.text;
        return (
          <li key={`${s.requestId}|${s.clockKind}`} data-testid="wall-soonest-row">
            <Link to={`/requests/${s.requestId}`} style={{ color: WALL.text }}>
              <span className="wall-soonest-due" style={{ color }}>
                {left < 0 ? t('dashboards.wall.overdue', { time: humanizeSeconds(-left, units) }) : t('dashboards.wall.dueIn', { time: humanizeSeconds(left, units) })}
              </span>
              <span className="wall-soonest-number">{s.number}</span>
              <span className="wall-soonest-subject">{s.subject}</span>
              <span className="wall-soonest-meta">{vocabLabel(t, 'clockKind', s.clockKind)} · {s.assigneeName ?? t('dashboards.drill.unassigned')}</span>
            </Link>
          </li>
        );
      })}
    </ol>
  );
}

export default function WallPage() {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const team = search.get('team') ?? undefined;
  const teams = useTeams(undefined);
  const live = useKpiLive(team);
  const queryClient = useQueryClient();
  const box = useRef<HTMLDivElement>(null);
  const { full, toggle } = useFullscreen(box);
  const burst = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (burst.current) clearTimeout(burst.current);
  }, []);
  useLiveEvents(
    (e) => e.type.startsWith('request.') || e.type.startsWith('notification.'),
    () => {
      if (burst.current) return;
      burst.current = setTimeout(() => {
        burst.current = null;
        void queryClient.invalidateQueries({ queryKey: liveKey });
      }, BURST_MS);
    },
  );
  const v = live.data;
  const teamParam = team ? { teamId: team } : {};
  const states = Object.entries(v?.open.byState ?? {}).filter(([, n]) => n > 0);
  const onDuty = v?.agents.filter((a) => a.onDuty).length ?? 0;

  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm, token: { colorBgContainer: '#131c2e', fontSize: 16 } }}>
      <div ref={box} className={`wall${full ? ' wall-full' : ''}`} data-testid="wall-page" lang={i18n.language}>
        <Flex justify="space-between" align="center" wrap gap={12} className="wall-header">
          <h1 className="wall-title">{t('dashboards.wall.title')}</h1>
          <Flex align="center" gap={12} wrap>
            {!full && <ViewSwitch />}
            <Select
              value={team ?? ''}
              onChange={(value: string) => setSearch(value ? { team: value } : {}, { replace: true })}
              style={{ minWidth: 200 }}
              size="large"
              data-testid="wall-team"
              options={[{ value: '', label: t('dashboards.wall.allTeams') }, ...(teams.data ?? []).filter((x) => x.active).map((x) => ({ value: x.id, label: x.name }))]}
            />
            <span className="wall-updated" data-testid="wall-updated">
              {live.isFetching ? <Spin size="small" /> : v ? t('dashboards.wall.updated', { time: formatTime(v.at, 'HH:mm:ss') }) : null}
            </span>
            <Button size="large" icon={full ? <FullscreenExitOutlined /> : <FullscreenOutlined />} onClick={toggle} data-testid="wall-fullscreen">
              {full ? t('dashboards.wall.exitFullscreen') : t('dashboards.wall.fullscreen')}
            </Button>
          </Flex>
        </Flex>
        <LoadError error={live.error} />
        <div className="wall-tiles">
          <Tile label={t('dashboards.wall.open')} value={v?.open.total} color={WALL.text} to={consoleLink(teamParam)} testId="wall-open" />
          <Tile label={t('dashboards.wall.aboutToBreach')} value={v?.aboutToBreach} color={WALL.warning} to={consoleLink({ ...teamParam, clock: 'warning' })} testId="wall-warning" />
          <Tile label={t('dashboards.wall.breached')} value={v?.breached} color={WALL.missed} to={consoleLink({ ...teamParam, clock: 'breached' })} testId="wall-breached" />
          <Tile label={t('dashboards.wall.unassigned')} value={v?.unassigned} color={WALL.series[0]!} to={`/requests?queue=unassigned${team ? `&teamId=${team}` : ''}`} testId="wall-unassigned" />
        </div>
        {states.length > 0 && (
          <Flex gap={12} wrap className="wall-states" data-testid="wall-states">
            <span className="wall-muted">{t('dashboards.wall.byState')}</span>
            {states.map(([state, n]) => (
              <Link key={state} to={consoleLink({ ...teamParam, states: state })} className="wall-state">
                {vocabLabel(t, 'state', state)} <b>{formatCount(n, i18n.language)}</b>
              </Link>
            ))}
          </Flex>
        )}
        <div className="wall-columns">
          <section className="wall-panel" data-testid="wall-agents">
            <h2>
              {t('dashboards.wall.agentLoad')} <span className="wall-muted">{t('dashboards.wall.onDuty')} {onDuty} / {v?.agents.length ?? 0}</span>
            </h2>
            {v && <AgentLoad agents={v.agents} onAgent={(a) => void navigate(consoleLink({ assigneeId: a.id }))} />}
          </section>
          <section className="wall-panel">
            <h2>{t('dashboards.wall.soonest')}</h2>
            {v && <Soonest view={v} />}
          </section>
        </div>
      </div>
    </ConfigProvider>
  );
}
