/** The `pledge` command: parses argv and calls services. */
import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { eq } from 'drizzle-orm';
import { createApp } from '../core/app.js';
import { loadConfig, type Config } from '../core/config.js';
import { systemCtx } from '../core/context.js';
import { branches, organizations } from '../core/db/schema.js';
import { AppError, isAppError } from '../core/errors.js';
import { message } from '../core/i18n.js';
import { ROLES, type Role } from '../core/policy.js';
import { DEMO_PASSWORD, seedDemo } from '../demo/seed.js';
import { setPasswordAsSystem } from '../modules/org/auth.js';
import { createStaff, findStaffByUsername } from '../modules/org/staff.js';
import { createOrganization } from '../modules/org/structure.js';
import { addCalendarCommand, UsageError } from './calendar-command.js';
import { addKpiCommand } from './kpi-command.js';
import { acquireLock, backup, restore } from './data-dir.js';
import { startPledge } from './start.js';

type Opts = Record<string, string | undefined>;

function configFrom(opts: Opts): Config {
  const env = { ...process.env };
  if (opts.dataDir) env.PLEDGE_DATA_DIR = opts.dataDir;
  if (opts.port) env.PORT = opts.port;
  return loadConfig(env);
}

/** Runs a command against the database (not the HTTP server), holding the data-folder lock when embedded. */
async function withApp<T>(config: Config, fn: (app: Awaited<ReturnType<typeof createApp>>) => Promise<T>): Promise<T> {
  const release = config.databaseUrl ? () => {} : acquireLock(config.dataDir);
  try {
    const app = await createApp(config);
    try {
      return await fn(app);
    } finally {
      await app.bus.drain();
      await app.database.close();
    }
  } finally {
    release();
  }
}

async function orgByCode(app: Awaited<ReturnType<typeof createApp>>, code: string) {
  const [org] = await app.database.db.select().from(organizations).where(eq(organizations.code, code));
  if (!org) throw new Error(`No organization with code "${code}" (see: pledge org list)`);
  return org;
}

export function buildCli(): Command {
  const program = new Command('pledge')
    .description('Pledge: service commitments, measured, enforced and audited.')
    .showHelpAfterError()
    .option('--data-dir <dir>', 'data folder of the embedded database (env PLEDGE_DATA_DIR, default ./data)');
  const cfg = () => configFrom(program.opts<Opts>());

  program
    .command('start')
    .description('start the server (migrates the database; seeds demo data into a new embedded database)')
    .option('-p, --port <port>', 'HTTP port (env PORT, default 3000)')
    .action(async (opts: Opts) => {
      const running = await startPledge(configFrom({ ...program.opts<Opts>(), ...opts }));
      const stop = () => {
        void running.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  program
    .command('migrate')
    .description('apply database migrations and exit')
    .action(async () => {
      await withApp(cfg(), async (app) => console.log(`Migrations applied (${app.database.kind}).`));
    });

  program
    .command('seed-demo')
    .description('create the demo organization (no-op when it exists)')
    .action(async () => {
      await withApp(cfg(), async (app) => {
        const created = await seedDemo(app);
        console.log(created ? `Demo organization created. Sign in as admin / ${DEMO_PASSWORD}.` : 'The demo organization already exists.');
      });
    });

  const org = program.command('org').description('organizations of this installation');
  org
    .command('create')
    .description('create an organization with its head office')
    .requiredOption('--code <code>', 'short unique code, e.g. acme')
    .requiredOption('--name <name>', 'organization name')
    .option('--time-zone <zone>', 'IANA time zone', 'Asia/Shanghai')
    .option('--head-office <name>', 'name of the head office', '总部')
    .action(async (opts: Opts) => {
      await withApp(cfg(), async (app) => {
        const result = await createOrganization(
          { app, now: () => new Date(), requestId: null, ip: null, locale: 'zh-CN' },
          { code: opts.code!, name: opts.name!, timeZone: opts.timeZone, headOffice: { code: 'HQ', name: opts.headOffice ?? '总部' } },
        );
        console.log(`Organization ${result.organization.code} created (head office branch code HQ).`);
      });
    });
  org
    .command('list')
    .description('list organizations')
    .action(async () => {
      await withApp(cfg(), async (app) => {
        const rows = await app.database.db.select().from(organizations).orderBy(organizations.code);
        for (const r of rows) console.log(`${r.code}\t${r.name}\t${r.timeZone}`);
      });
    });

  const user = program.command('user').description('staff accounts');
  user
    .command('create')
    .description('create a staff account')
    .requiredOption('--org <code>', 'organization code')
    .requiredOption('--username <username>', 'sign-in name')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
    .option('--branch <code>', 'branch code (default: the head office)')
    .option('--email <email>', 'e-mail address')
    .option('--password <password>', 'initial password (default: generated and printed)')
    .action(async (opts: Opts) => {
      await withApp(cfg(), async (app) => {
        const organization = await orgByCode(app, opts.org!);
        const ctx = systemCtx(app, organization.id);
        const branchRows = await app.database.db.select().from(branches).where(eq(branches.orgId, organization.id));
        const branch = opts.branch ? branchRows.find((b) => b.code === opts.branch) : branchRows.find((b) => b.kind === 'head_office');
        if (!branch) throw new Error(`No branch with code "${opts.branch}" in ${organization.code}`);
        const password = opts.password ?? `${randomBytes(9).toString('base64url')}7a`;
        const staff = await createStaff(ctx, {
          username: opts.username, displayName: opts.name, role: opts.role as Role, branchId: branch.id, email: opts.email ?? null, password,
        });
        console.log(`User ${staff.username} (${staff.role}) created in ${organization.code}/${branch.code}.`);
        if (!opts.password) console.log(`Initial password: ${password}`);
      });
    });
  user
    .command('password')
    .description('set a new password for a staff account (also unlocks it)')
    .requiredOption('--username <username>', 'sign-in name')
    .requiredOption('--password <password>', 'new password')
    .action(async (opts: Opts) => {
      await withApp(cfg(), async (app) => {
        const row = await findStaffByUsername(app.database.db, opts.username!);
        if (!row) throw new Error(`No user "${opts.username}"`);
        await setPasswordAsSystem(app, row.id, row.orgId, opts.password!);
        console.log(`Password of ${row.username} changed.`);
      });
    });

  program
    .command('backup')
    .description('write a backup of the embedded database to one file (stop the server first)')
    .argument('<file>', 'backup file to write, e.g. pledge-2026-11-23.tar.gz')
    .action(async (file: string) => {
      const config = cfg();
      if (config.databaseUrl) throw new AppError('backup.server_database');
      const manifest = await backup(config.dataDir, file);
      console.log(`Backup written to ${file}${manifest.includesSecret ? ' (it contains the encryption key: keep it as safe as the data)' : ''}.`);
    });

  program
    .command('restore')
    .description('restore a backup file into an empty data folder')
    .argument('<file>', 'backup file written by `pledge backup`')
    .action(async (file: string) => {
      const config = cfg();
      if (config.databaseUrl) throw new AppError('backup.server_database');
      await restore(file, config.dataDir);
      console.log(`Restored into ${config.dataDir}. Start Pledge with: pledge start --data-dir ${config.dataDir}`);
    });

  addCalendarCommand(program);
  addKpiCommand(program, cfg, withApp);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`pledge: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    const text = isAppError(error) ? message('en-US', error.code, error.params) : error instanceof Error ? error.message : String(error);
    console.error(`pledge: ${text}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv);
