import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resetExitCodeAfterEach, runCli } from '../test/cli.js';
import { createApp } from '../core/app.js';
import { loadConfig } from '../core/config.js';
import { signIn } from '../modules/org/auth.js';
import { buildCli } from './main.js';

const run = runCli;
resetExitCodeAfterEach();

describe('pledge command', () => {
  it('migrates, creates an organization and a user who can sign in, and seeds the demo once', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pledge-cli-'));
    expect(await run('--data-dir', dir, 'migrate')).toContain('Migrations applied');
    expect(await run('--data-dir', dir, 'org', 'create', '--code', 'acme', '--name', '某某服务公司')).toContain('Organization acme created');
    const created = await run('--data-dir', dir, 'user', 'create', '--org', 'acme', '--username', 'wangwu', '--name', '王五', '--role', 'admin');
    expect(created).toContain('User wangwu (admin) created in acme/HQ');
    const password = /Initial password: (\S+)/.exec(created)![1]!;
    expect(await run('--data-dir', dir, 'user', 'create', '--org', 'nope', '--username', 'x1', '--name', 'x', '--role', 'agent')).toContain('No organization with code "nope"');
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
    expect(await run('--data-dir', dir, 'user', 'create', '--org', 'acme', '--username', 'wangwu', '--name', 'x', '--role', 'agent')).toContain('already taken');
    expect(await run('--data-dir', dir, 'seed-demo')).toContain('Demo organization created');
    expect(await run('--data-dir', dir, 'seed-demo')).toContain('already exists');
    expect(await run('--data-dir', dir, 'user', 'password', '--username', 'wangwu', '--password', 'Changed123')).toContain('Password of wangwu changed');
    expect(await run('--data-dir', dir, 'org', 'list')).toMatch(/acme\t某某服务公司[\s\S]*demo\t/);

    const app = await createApp({ ...loadConfig({ PLEDGE_DATA_DIR: dir }), passwordCost: 10 });
    const info = { now: () => new Date(), requestId: null, ip: null, locale: 'zh-CN' as const };
    await expect(signIn(app, { username: 'wangwu', password }, info)).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    await expect(signIn(app, { username: 'wangwu', password: 'Changed123' }, info)).resolves.toHaveProperty('token');
    await app.database.close();
  }, 120_000); // four CLI processes, each creating a database; the demo seed registers requests through every service

  it('has --help on every command', () => {
    const program = buildCli();
    const walk = (cmd: typeof program): string[] => [cmd.name(), ...cmd.commands.flatMap((c) => walk(c).map((n) => `${cmd.name()} ${n}`))];
    const names = walk(program);
    expect(names).toEqual(expect.arrayContaining(['pledge start', 'pledge migrate', 'pledge seed-demo', 'pledge user create', 'pledge backup', 'pledge restore']));
    for (const cmd of program.commands) {
      expect(cmd.helpInformation()).toContain('--help');
      for (const sub of cmd.commands) expect(sub.helpInformation()).toContain('--help');
    }
  });
});
