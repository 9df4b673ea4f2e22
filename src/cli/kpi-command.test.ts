import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resetExitCodeAfterEach, runCli } from '../test/cli.js';

const run = runCli;
resetExitCodeAfterEach();

describe('pledge kpi rebuild', () => {
  it('recomputes a range for one organization or all; refuses bad days and unknown organizations', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pledge-kpi-'));
    await run('--data-dir', dir, 'migrate');
    await run('--data-dir', dir, 'org', 'create', '--code', 'acme', '--name', '某某服务公司');
    expect(await run('--data-dir', dir, 'kpi', 'rebuild', '--from', '2026-11-01', '--to', '2026-11-30', '--org', 'acme')).toBe('acme\t30 days\t0 rows');
    expect(process.exitCode).toBeUndefined();
    expect(await run('--data-dir', dir, 'kpi', 'rebuild', '--from', '2026-10-01', '--to', '2026-10-31')).toBe('acme\t31 days\t0 rows');
    expect(await run('--data-dir', dir, 'kpi', 'rebuild', '--from', '2026-11', '--to', '2026-11-30')).toContain('YYYY-MM-DD');
    expect(process.exitCode).toBe(2);
    process.exitCode = undefined;
    expect(await run('--data-dir', dir, 'kpi', 'rebuild', '--from', '2026-11-01', '--to', '2026-11-30', '--org', 'nope')).toContain('no organization with code "nope"');
    expect(process.exitCode).toBe(2);
    process.exitCode = undefined;
    expect(await run('--data-dir', dir, 'kpi', 'rebuild', '--from', '2026-12-01', '--to', '2026-11-30')).toMatch(/after to|from/);
    expect(process.exitCode).toBe(1);
  }, 120_000);
});
