/**
 * `pledge calendar due|elapsed`: business-time arithmetic on a calendar file, one case from the options or
 * many from stdin (one per line, answers in order), so thousands of cases run in one process.
 * A bad file or line: a message on stderr naming it, exit code 2.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { compileCalendar, due, elapsed, parseDuration, type CompiledCalendar, type Duration } from '../modules/calendars/calendar.js';
import { parseCalendarFile } from '../modules/calendars/calendar-file.js';

export class UsageError extends Error {}

function loadCalendar(file: string): CompiledCalendar {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  const result = parseCalendarFile(json);
  if (!result.ok) throw new UsageError(`${file}: ${result.issues.map((i) => i.message).join('; ')}`);
  return compileCalendar(result.spec);
}

function instant(text: string, what: string): number {
  // An explicit offset or Z is required: a bare local time would be ambiguous.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) throw new UsageError(`${what} "${text}" is not an ISO 8601 instant with a zone (e.g. 2026-02-13T09:00:00+08:00)`);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`${what} "${text}" is not a valid instant`);
  return ms;
}

function duration(text: string): Duration {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new UsageError(`duration "${text}": ${(error as Error).message}`);
  }
}

/** ISO 8601 in UTC without milliseconds when there are none: 2026-02-14T02:00:00Z. */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

function answer(cal: CompiledCalendar, mode: 'due' | 'elapsed', a: string, b: string): string {
  try {
    if (mode === 'due') return formatInstant(due(cal, instant(a, 'from'), duration(b)).getTime());
    return String(Math.floor(elapsed(cal, instant(a, 'from'), instant(b, 'to')) / 1000));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

async function batch(cal: CompiledCalendar, mode: 'due' | 'elapsed', input: NodeJS.ReadableStream, out: NodeJS.WritableStream): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  const buffer: string[] = [];
  for await (const raw of lines) {
    n++;
    const line = raw.trim();
    if (line === '') continue;
    const parts = line.split(/\s+/);
    try {
      if (parts.length !== 2) throw new UsageError(`expected "${mode === 'due' ? 'FROM DURATION' : 'FROM TO'}", got "${line}"`);
      buffer.push(answer(cal, mode, parts[0]!, parts[1]!));
    } catch (error) {
      // The answers before the bad line are still printed, in order.
      if (buffer.length) out.write(`${buffer.join('\n')}\n`);
      throw new UsageError(`line ${n}: ${(error as Error).message}`);
    }
    if (buffer.length >= 1000) out.write(`${buffer.splice(0).join('\n')}\n`);
  }
  if (buffer.length) out.write(`${buffer.join('\n')}\n`);
}

export function addCalendarCommand(program: Command, io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream } = { stdin: process.stdin, stdout: process.stdout }) {
  const calendar = program.command('calendar').description('business-time arithmetic on a calendar file');
  calendar
    .command('due')
    .description('when a time limit falls due: prints the instant as ISO 8601 UTC (without --from: "FROM DURATION" lines on stdin)')
    .requiredOption('--calendar <file>', 'calendar file (JSON)')
    .option('--from <iso>', 'start instant, e.g. 2026-02-13T17:00:00+08:00')
    .option('--duration <duration>', 'PT2H30M (business time) or P5D (working days)')
    .action(async (opts: { calendar: string; from?: string; duration?: string }) => {
      const cal = loadCalendar(opts.calendar);
      if (opts.from === undefined) return batch(cal, 'due', io.stdin, io.stdout);
      if (!opts.duration) throw new UsageError('--duration is required with --from');
      io.stdout.write(`${answer(cal, 'due', opts.from, opts.duration)}\n`);
    });
  calendar
    .command('elapsed')
    .description('business time between two instants, in whole seconds (without --from: "FROM TO" lines on stdin)')
    .requiredOption('--calendar <file>', 'calendar file (JSON)')
    .option('--from <iso>', 'start instant')
    .option('--to <iso>', 'end instant')
    .action(async (opts: { calendar: string; from?: string; to?: string }) => {
      const cal = loadCalendar(opts.calendar);
      if (opts.from === undefined) return batch(cal, 'elapsed', io.stdin, io.stdout);
      if (!opts.to) throw new UsageError('--to is required with --from');
      io.stdout.write(`${answer(cal, 'elapsed', opts.from, opts.to)}\n`);
    });
}
