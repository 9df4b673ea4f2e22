/**
 * `pledge kpi rebuild --from YYYY-MM-DD --to YYYY-MM-DD [--org CODE]`: recomputes the daily rollups of a range
 * of local days from the raw tables (every organization, or one), through the figures service.
 */
import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import type { createApp } from '../core/app.js';
import type { Config } from '../core/config.js';
import { systemCtx } from '../core/context.js';
import { organizations } from '../core/db/schema.js';
import { rebuildKpis } from '../modules/figures/service.js';
import { UsageError } from './calendar-command.js';

type AppOf = Awaited<ReturnType<typeof createApp>>;
type WithApp = <T>(config: Config, fn: (app: AppOf) => Promise<T>) => Promise<T>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function addKpiCommand(program: Command, cfg: () => Config, withApp: WithApp): void {
  const kpi = program.command('kpi').description('figures (indicators) kept in daily rollups');
  kpi
    .command('rebuild')
    .description('recompute the daily rollups of a range of local days from the raw data')
    .requiredOption('--from <day>', 'first local day, YYYY-MM-DD')
    .requiredOption('--to <day>', 'last local day, YYYY-MM-DD (inclusive)')
    .option('--org <code>', 'only this organization')
    .action(async (opts: { from: string; to: string; org?: string }) => {
      if (!DAY.test(opts.from) || !DAY.test(opts.to)) throw new UsageError('--from and --to are local days, YYYY-MM-DD');
      await withApp(cfg(), async (app) => {
        const orgs = opts.org
          ? await app.database.db.select().from(organizations).where(eq(organizations.code, opts.org))
          : await app.database.db.select().from(organizations).orderBy(organizations.code);
        if (opts.org && orgs.length === 0) throw new UsageError(`no organization with code "${opts.org}" (see: pledge org list)`);
        for (const org of orgs) {
          const result = await rebuildKpis(systemCtx(app, org.id), { from: opts.from, to: opts.to });
          console.log(`${org.code}\t${result.days} days\t${result.rows} rows`);
        }
      });
    });
}
