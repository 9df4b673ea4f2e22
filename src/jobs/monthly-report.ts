/**
 * The monthly report's schedule (docs/reports.md): every few minutes, for each organization whose local time has
 * passed the scheduled day and time of this month (default the 1st at 08:00) and which has no report of last
 * month, generates it and mails it to the managers through the outbox, in one transaction with the stored file.
 * Several nodes may run it: each month is claimed by one (generateScheduledReport). While the rollup job still has
 * days of that month to recompute, the report waits (up to `deferMs` after it is due), so its figures are final.
 */
import type { App } from '../core/context.js';
import { systemCtx } from '../core/context.js';
import { dueMonthlyReports, generateScheduledReport, pendingDaysOf } from '../modules/reports/service.js';
import { IntervalLoop } from './interval-loop.js';

export interface MonthlyReportJobOptions {
  intervalMs?: number;
  /** The job's clock (tests move it). */
  now?: () => Date;
  /** Only these organizations (tests share a database with other organizations). */
  orgIds?: readonly string[];
  /** How long after it is due a report waits for the rollups of its month to be up to date. */
  deferMs?: number;
  onError?: (error: unknown) => void;
}

export interface MonthlyReportRun {
  orgId: string;
  month: string;
  status: 'generated' | 'taken' | 'deferred' | 'failed';
  mailedTo?: string[];
}

export class MonthlyReportJob {
  private running: Promise<MonthlyReportRun[]> | null = null;
  private readonly loop: IntervalLoop;
  private readonly deferMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly app: App,
    private readonly options: MonthlyReportJobOptions = {},
  ) {
    this.loop = new IntervalLoop(() => this.runOnce(), options.intervalMs ?? 5 * 60_000, options.onError);
    this.deferMs = options.deferMs ?? 30 * 60_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Generates (and mails) every report due now; a run already under way on this node is joined, not repeated. */
  runOnce(): Promise<MonthlyReportRun[]> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<MonthlyReportRun[]> {
    const now = this.now();
    const db = this.app.database.db;
    const runs: MonthlyReportRun[] = [];
    for (const due of await dueMonthlyReports(db, now, this.options.orgIds)) {
      const base = { orgId: due.orgId, month: due.month };
      try {
        if (now.getTime() - due.dueAt.getTime() < this.deferMs && (await pendingDaysOf(db, due.orgId, due.month)) > 0) {
          runs.push({ ...base, status: 'deferred' });
          continue;
        }
        const outcome = await generateScheduledReport(systemCtx(this.app, due.orgId, { now: () => now }), due.month);
        runs.push(outcome.status === 'generated' ? { ...base, status: 'generated', mailedTo: outcome.mailedTo } : { ...base, status: 'taken' });
      } catch (error) {
        // One organization's failure (and its claim, which expires) does not hold up the others.
        this.options.onError?.(error);
        runs.push({ ...base, status: 'failed' });
      }
    }
    return runs;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.running?.catch(() => []);
  }
}
