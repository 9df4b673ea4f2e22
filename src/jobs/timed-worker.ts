/**
 * A job that acts when instants stored in the database come due (clock warnings and breaches, notifications
 * held until duty hours). It sleeps until the earliest pending instant, wakes early when an earlier one is
 * scheduled anywhere (an event that reaches every node through LISTEN/NOTIFY), re-checks at least every
 * `maxSleepMs` as a safety net, and drains in batches, one run at a time. Subclasses say what a batch does
 * and how to find the next instant; claiming rows with `FOR UPDATE SKIP LOCKED` keeps several nodes apart.
 */
import type { App } from '../core/context.js';
import { Drainer } from '../core/drain.js';

export interface TimedWorkerOptions {
  now?: () => Date;
  batchSize?: number;
  maxSleepMs?: number;
  onError?: (error: unknown) => void;
}

export abstract class TimedWorker {
  private timer: NodeJS.Timeout | null = null;
  private wakeAt: number | null = null;
  private stopped = true;
  private unsubscribe: (() => void) | null = null;
  protected readonly now: () => Date;
  protected readonly batchSize: number;
  private readonly maxSleepMs: number;
  private readonly drainer = new Drainer(async () => {
    const handled = await this.runBatch();
    return { handled, more: handled >= this.batchSize };
  });

  /** @param wakeEvent the event whose `data.at` announces a newly scheduled instant */
  constructor(
    protected readonly app: App,
    private readonly wakeEvent: string,
    protected readonly options: TimedWorkerOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.batchSize = options.batchSize ?? 200;
    this.maxSleepMs = options.maxSleepMs ?? 30_000;
  }

  /** Handles at most `batchSize` due items in one transaction; returns how many. */
  protected abstract runBatch(): Promise<number>;

  /** The earliest instant something pending comes due, or null. */
  abstract nextInstant(): Promise<Date | null>;

  /** Handles everything that is due now; returns how many items. */
  runOnce(): Promise<number> {
    return this.drainer.run();
  }

  private schedule(at: number) {
    if (this.stopped) return;
    const now = this.now().getTime();
    const target = Math.min(at, now + this.maxSleepMs);
    if (this.timer && this.wakeAt !== null && this.wakeAt <= target) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = target;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wakeAt = null;
      void this.cycle();
    }, Math.max(0, target - now));
  }

  private async cycle(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.runOnce();
      const next = await this.nextInstant();
      this.schedule(next ? next.getTime() : Number.POSITIVE_INFINITY);
    } catch (error) {
      this.options.onError?.(error);
      this.schedule(this.now().getTime() + 1000);
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.app.bus.subscribe(this.wakeEvent, (event) => {
      const at = typeof event.data?.at === 'string' ? Date.parse(event.data.at) : NaN;
      if (!Number.isNaN(at)) this.schedule(at);
    });
    void this.cycle();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.drainer.current?.catch(() => 0);
  }
}
