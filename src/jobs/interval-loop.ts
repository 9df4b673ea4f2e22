/**
 * Runs a job every `intervalMs` after the previous run ends (never two runs at once), until stopped; a failed
 * run is reported and the loop goes on. Shared by the jobs that poll on a fixed interval (KPI rollups, the monthly
 * report); jobs that wait for stored instants use TimedWorker instead.
 */
export class IntervalLoop {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private current: Promise<unknown> | null = null;

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError?: (error: unknown) => void,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.current = this.run()
        .catch((error: unknown) => this.onError?.(error))
        .finally(() => {
          this.current = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    tick();
  }

  /** Stops the loop and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }
}
