import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addCalendarCommand, UsageError } from './calendar-command.js';

const office = [['09:00', '12:00'], ['13:30', '18:00']];
const dir = mkdtempSync(path.join(os.tmpdir(), 'pledge-cal-cli-'));
const calendarFile = path.join(dir, 'office.json');
writeFileSync(
  calendarFile,
  JSON.stringify({ name: '总部', timeZone: 'Asia/Shanghai', week: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] }, overrides: { '2026-02-15': [], '2026-02-14': office } }),
);

async function run(args: string[], stdin = ''): Promise<{ out: string; error: unknown }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  const program = new Command('pledge').exitOverride();
  addCalendarCommand(program, { stdin: Readable.from([stdin]), stdout });
  let error: unknown = null;
  try {
    await program.parseAsync(['node', 'pledge', 'calendar', ...args]);
  } catch (e) {
    error = e;
  }
  return { out, error };
}

describe('pledge calendar', () => {
  it('prints the due instant in UTC, seconds for elapsed', async () => {
    expect((await run(['due', '--calendar', calendarFile, '--from', '2026-02-13T17:00:00+08:00', '--duration', 'PT2H'])).out).toBe('2026-02-14T02:00:00Z\n');
    expect((await run(['elapsed', '--calendar', calendarFile, '--from', '2026-02-13T09:00:00+08:00', '--to', '2026-02-14T12:00:00+08:00'])).out).toBe('37800\n');
  });

  it('answers stdin lines in order, in one process', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `2026-03-02T0${i % 10}:00:00+08:00 PT${(i % 7) + 1}H`);
    const { out, error } = await run(['due', '--calendar', calendarFile], `${lines.join('\n')}\n`);
    expect(error).toBeNull();
    const answers = out.trim().split('\n');
    expect(answers).toHaveLength(2000);
    expect(answers[0]).toBe('2026-03-02T02:00:00Z'); // 00:00 + 1 h of business time → 10:00 local
    expect(answers[1]).toBe('2026-03-02T03:00:00Z'); // 01:00 + 2 h → 11:00
  });

  it('names a bad line (answers before it are printed) and a bad file, as usage errors', async () => {
    const { out, error } = await run(['elapsed', '--calendar', calendarFile], '2026-02-13T09:00:00+08:00 2026-02-14T12:00:00+08:00\n2026-02-13 nonsense\n');
    expect(out).toBe('37800\n');
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('line 2');
    const badDuration = await run(['due', '--calendar', calendarFile], '2026-02-13T09:00:00+08:00 P1W\n');
    expect((badDuration.error as Error).message).toMatch(/line 1: duration "P1W"/);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', timeZone: 'Mars/Base', week: {}, overrides: {} }));
    const badFile = await run(['due', '--calendar', bad, '--from', '2026-02-13T09:00:00Z', '--duration', 'PT1H']);
    expect(badFile.error).toBeInstanceOf(UsageError);
    expect((badFile.error as Error).message).toContain('timeZone');
  });
});

describe('pledge calendar exit code', () => {
  it('exits with 2 on a bad file', async () => {
    const { main } = await import('./main.js');
    const errors: string[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => void errors.push(a.join(' '));
    try {
      await main(['node', 'pledge', 'calendar', 'due', '--calendar', path.join(dir, 'missing.json'), '--from', '2026-02-13T09:00:00Z', '--duration', 'PT1H']);
    } finally {
      console.error = original;
    }
    expect(process.exitCode).toBe(2);
    expect(errors.join('\n')).toContain('missing.json');
    process.exitCode = undefined;
  });
});
