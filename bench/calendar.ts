/**
 * `npx tsx bench/calendar.ts`: business-calendar arithmetic on a compiled year of Asia/Shanghai office hours
 * (09:00–12:00, 13:30–18:00 on weekdays) with the 2026 State Council holidays, over random instants of 2026.
 * Each figure is the median of several rounds after a warm-up, printed with its ratio to a naive due(PT40H) that
 * steps minute by minute, reading each minute's local wall time through luxon, measured in the same run. A
 * stricter baseline, minute stepping that asks the compiled index about each minute, is printed as well.
 */
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { compileCalendar, due, dueMs, elapsed, parseTimeOfDay, WEEKDAYS, type CalendarSpec, type CompiledCalendar, type DayHours } from '../src/modules/calendars/calendar.js';
import { applyHolidays, CN_HOLIDAYS_2026 } from '../src/modules/calendars/cn-holidays.js';

const MIN = 60_000;
const OFFICE: DayHours = [
  ['09:00', '12:00'],
  ['13:30', '18:00'],
];
const spec = applyHolidays(
  { name: 'bench', timeZone: 'Asia/Shanghai', week: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE, sat: [], sun: [] }, overrides: {} },
  [CN_HOLIDAYS_2026],
);

const compileStart = performance.now();
// 2026, and 2027 for durations that start in late December and run into the next year.
const cal = compileCalendar(spec, { years: [2026, 2027] });
const compileMs = performance.now() - compileStart;

// Random instants of 2026 from a seeded generator (mulberry32), so runs are comparable.
let seed = 0x5eed;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const YEAR_START = Date.parse('2026-01-01T00:00:00+08:00');
const YEAR_END = Date.parse('2027-01-01T00:00:00+08:00');
const N = 1 << 14;
const MASK = N - 1;
const instants = new Float64Array(N);
const later = new Float64Array(N);
for (let i = 0; i < N; i++) {
  instants[i] = Math.floor(YEAR_START + random() * (YEAR_END - YEAR_START));
  later[i] = Math.floor(YEAR_START + random() * (YEAR_END - YEAR_START));
}

let sink = 0;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median operations per second over `rounds` rounds of `perRound` operations, after one warm-up round. */
function opsPerSecond(rounds: number, perRound: number, op: (i: number) => number): number {
  for (let i = 0; i < perRound; i++) sink += op(i & MASK);
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < perRound; i++) sink += op(i & MASK);
    rates.push(perRound / ((performance.now() - start) / 1000));
  }
  return median(rates);
}

/** The baseline: step minute by minute, reading each minute's local date and time in the zone through luxon. */
function naiveDue(s: CalendarSpec, a: number, ms: number): number {
  const week = WEEKDAYS.map((d) => s.week[d].map(([x, y]) => [parseTimeOfDay(x)!, parseTimeOfDay(y)!] as const));
  let remaining = ms;
  let t = a;
  for (;;) {
    const local = DateTime.fromMillis(t, { zone: s.timeZone });
    const minute = local.hour * 60 + local.minute;
    const override = s.overrides[local.toISODate()!];
    const hours = override ? override.map(([x, y]) => [parseTimeOfDay(x)!, parseTimeOfDay(y)!] as const) : week[local.weekday - 1]!;
    const next = Math.floor(t / MIN) * MIN + MIN;
    if (hours.some(([x, y]) => x <= minute && minute < y)) {
      if (next - t >= remaining) return t + remaining;
      remaining -= next - t;
    }
    t = next;
  }
}

/** The stricter baseline: minute stepping again, asking the compiled index whether each minute is working time. */
function indexedSteppingDue(c: CompiledCalendar, a: number, ms: number): number {
  let remaining = ms;
  let t = a;
  for (;;) {
    const next = Math.floor(t / MIN) * MIN + MIN;
    if (elapsed(c, t, t + 1) > 0) {
      if (next - t >= remaining) return t + remaining;
      remaining -= next - t;
    }
    t = next;
  }
}

const PT40H = 40 * 3_600_000;
// The baselines must agree with the engine, or the ratios mean nothing.
for (let i = 0; i < 16; i++) {
  const expected = dueMs(cal, instants[i]!, 'PT40H');
  if (naiveDue(spec, instants[i]!, PT40H) !== expected || indexedSteppingDue(cal, instants[i]!, PT40H) !== expected) {
    throw new Error(`baseline disagrees with the engine at ${new Date(instants[i]!).toISOString()}`);
  }
}

const naive = opsPerSecond(5, 8, (i) => naiveDue(spec, instants[i]!, PT40H));
const stepping = opsPerSecond(5, 200, (i) => indexedSteppingDue(cal, instants[i]!, PT40H));
const ROUNDS = 9;
const PER_ROUND = 1_000_000;
const figures: [string, number][] = [
  ['due PT40H', opsPerSecond(ROUNDS, PER_ROUND, (i) => due(cal, instants[i]!, 'PT40H').getTime())],
  ['due PT5M', opsPerSecond(ROUNDS, PER_ROUND, (i) => due(cal, instants[i]!, 'PT5M').getTime())],
  ['due P5D', opsPerSecond(ROUNDS, PER_ROUND, (i) => due(cal, instants[i]!, 'P5D').getTime())],
  ['dueMs PT40H (no Date)', opsPerSecond(ROUNDS, PER_ROUND, (i) => dueMs(cal, instants[i]!, 'PT40H'))],
  ['elapsed', opsPerSecond(ROUNDS, PER_ROUND, (i) => elapsed(cal, instants[i]!, later[i]!))],
];

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const line = (name: string, rate: number, ratio: string) => console.log(`${name.padEnd(30)} ${fmt(rate).padStart(12)} ops/s   ${ratio}`);
console.log(`compile 2026–2027 (Asia/Shanghai, 2026 holidays): ${compileMs.toFixed(1)} ms`);
line('naive due PT40H (baseline)', naive, '1× naive');
line('indexed minute-stepping PT40H', stepping, `${fmt(stepping / naive)}× naive`);
for (const [name, rate] of figures) line(name, rate, `${fmt(rate / naive)}× naive`);
const pt40h = figures[0]![1];
console.log(`due PT40H against indexed minute-stepping: ${fmt(pt40h / stepping)}×`);
if (!Number.isFinite(sink)) console.log('(unreachable: keeps results alive)');
