/**
 * The survey worker: records the stated default of surveys nobody answered in time (if the organization
 * chose it), sends the one reminder, and expires surveys. Like the clock watcher it sleeps until the earliest
 * pending instant, wakes early when a survey is issued anywhere (`survey.issued`), and re-checks at least
 * every `maxSleepMs`; rows are claimed with SKIP LOCKED so several nodes never act twice.
 */
import { systemCtx, transact, type App } from '../core/context.js';
import { nextSurveyDuty, runSurveyDuties, SURVEYS_SCHEDULED } from '../modules/evaluations/surveys.js';
import { TimedWorker, type TimedWorkerOptions } from './timed-worker.js';

const NO_ORG = '00000000-0000-0000-0000-000000000000';

export class SurveyWorker extends TimedWorker {
  constructor(app: App, options: TimedWorkerOptions = {}) {
    super(app, SURVEYS_SCHEDULED, { maxSleepMs: 5 * 60_000, ...options });
  }

  protected async runBatch(): Promise<number> {
    const now = this.now();
    return transact(systemCtx(this.app, NO_ORG, { now: () => now }), (t) => runSurveyDuties(t, now, this.batchSize));
  }

  nextInstant(): Promise<Date | null> {
    return nextSurveyDuty(this.app.database.db);
  }
}
