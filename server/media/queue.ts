// A small FIFO semaphore: image work runs at most `limit` jobs at a time, so that a burst of
// uploads queues here (each job already uses libvips' own thread pool) instead of taking every
// core and all the memory while API reads wait (ANCHORS.md item 6).
export class WorkQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  get pending(): number {
    return this.waiting.length;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await job();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}
