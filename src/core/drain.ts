/**
 * Runs a batch job until it has nothing left, one run at a time. A call while a run is going does not
 * start a second one: it asks the current run to go round once more (work may have arrived after its last
 * batch) and waits for it. Shared by the outbox worker and the timed workers (clock watcher, notification dispatcher).
 */
export class Drainer {
  private running: Promise<number> | null = null;
  private again = false;

  /** @param batch handles one batch and returns its size, and whether more may be waiting. */
  constructor(private readonly batch: () => Promise<{ handled: number; more: boolean }>) {}

  /** Runs batches until one says nothing more is waiting; resolves to how many items were handled. */
  async run(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let handled = 0;
      do {
        this.again = false;
        for (;;) {
          const { handled: n, more } = await this.batch();
          handled += n;
          if (!more) break;
        }
      } while (this.again);
      return handled;
    })();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  /** The run in progress, if any (for a clean stop). */
  get current(): Promise<number> | null {
    return this.running;
  }
}
