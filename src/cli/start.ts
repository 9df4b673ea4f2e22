/** Starting a Pledge node: database, migrations, demo seed, HTTP server, event relay, and the workers (outbox, clock watcher, notification dispatcher). */
import { createApp } from '../core/app.js';
import type { Config } from '../core/config.js';
import { startEventRelay, type App } from '../core/context.js';
import { OutboxWorker } from '../core/outbox.js';
import { defaultTransports } from '../core/transports.js';
import { DEMO_PASSWORD, seedDemo } from '../demo/seed.js';
import { buildServer } from '../http/server.js';
import { ClockWatcher } from '../jobs/clock-watcher.js';
import { NotificationDispatcher } from '../jobs/notification-dispatcher.js';
import { SurveyWorker } from '../jobs/survey-worker.js';
import { KpiRollupWorker } from '../jobs/kpi-rollup.js';
import { MonthlyReportJob } from '../jobs/monthly-report.js';
import { ImapPoller } from '../jobs/imap-poller.js';
import { startInboundSmtp, type InboundSmtp } from '../modules/channels/email-smtp.js';
import { acquireLock } from './data-dir.js';

export interface Running {
  app: App;
  url: string;
  seeded: boolean;
  /** Drops every open HTTP connection (live streams included) as a restart or a proxy would; the server keeps listening. */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startPledge(config: Config, log: (line: string) => void = console.log): Promise<Running> {
  const started = Date.now();
  const releaseLock = config.databaseUrl ? () => {} : acquireLock(config.dataDir);
  try {
    const app = await createApp(config, { onEventError: (e) => log(`event subscriber failed: ${String(e)}`) });
    const seeded = config.seedDemo ? await seedDemo(app) : false;
    const server = await buildServer(app, { logger: config.logLevel === 'silent' ? false : { level: config.logLevel } });
    const stopRelay = await startEventRelay(app);
    const worker = new OutboxWorker(app, defaultTransports(config), { onError: (e) => server.log.error({ err: e }, 'outbox worker') });
    const watcher = new ClockWatcher(app, { onError: (e) => server.log.error({ err: e }, 'clock watcher') });
    const dispatcher = new NotificationDispatcher(app, { onError: (e) => server.log.error({ err: e }, 'notification dispatcher') });
    const surveyWorker = new SurveyWorker(app, { onError: (e) => server.log.error({ err: e }, 'survey worker') });
    const kpiRollup = new KpiRollupWorker(app, { onError: (e) => server.log.error({ err: e }, 'kpi rollup') });
    const monthlyReport = new MonthlyReportJob(app, { onError: (e) => server.log.error({ err: e }, 'monthly report') });
    const poller = new ImapPoller(app, { intervalMs: config.imapPollSeconds * 1000, maxBytes: config.smtpMaxBytes, onError: (e) => server.log.warn({ err: e }, 'imap poller') });
    if (config.worker) {
      worker.start();
      watcher.start();
      dispatcher.start();
      surveyWorker.start();
      kpiRollup.start();
      monthlyReport.start();
      poller.start();
    }
    await server.listen({ port: config.port, host: config.host });
    // Inbound mail by SMTP only when configured: it is a second listening port (see docs/email.md).
    let smtp: InboundSmtp | null = null;
    if (config.smtpPort !== undefined) {
      smtp = await startInboundSmtp(app, {
        port: config.smtpPort, host: config.smtpHost, allow: config.smtpAllow, maxBytes: config.smtpMaxBytes,
        onError: (e, session) => server.log.warn({ err: e, smtpSession: session?.id }, 'inbound smtp'),
      });
      log(`Inbound mail (SMTP) on ${config.smtpHost}:${smtp.port}`);
    }
    const address = server.server.address();
    const url = `http://localhost:${typeof address === 'object' && address ? address.port : config.port}`;
    const where = app.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL server';
    log(`Pledge is ready at ${url} (${where}${seeded ? ', demo data seeded' : ''}) in ${Date.now() - started} ms`);
    if (seeded) log(`Demo sign-in: admin / ${DEMO_PASSWORD} (all demo accounts are listed in the README)`);
    let closed = false;
    return {
      app,
      url,
      seeded,
      dropConnections: () => server.server.closeAllConnections(),
      async close() {
        if (closed) return;
        closed = true;
        await smtp?.close();
        await poller.stop();
        await worker.stop();
        await watcher.stop();
        await dispatcher.stop();
        await surveyWorker.stop();
        await kpiRollup.stop();
        await monthlyReport.stop();
        await server.close();
        await stopRelay();
        await app.bus.drain();
        await app.database.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
