/**
 * Items with deadlines that arrive in deadline order (every send gets `now + deliveryTimeoutMs`): one timer for the
 * earliest, `onExpired` called for each item at its deadline. Items already done are skipped (`isDone`).
 */
export class DeadlineQueue<T> {
  private items: Array<{ item: T; deadline: number }> = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onExpired: (item: T) => void,
    private readonly isDone: (item: T) => boolean = () => false,
  ) {}

  add(item: T, deadline: number): void {
    // Most items are done long before their deadline: drop the done ones at the head as new ones come, so the
    // queue holds about what is open (and done sends can be collected), not a whole delivery timeout's worth.
    this.dropDoneHead();
    this.items.push({ item, deadline });
    if (!this.timer) this.arm();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.items = [];
    this.head = 0;
  }

  private dropDoneHead(): void {
    while (this.head < this.items.length && this.isDone(this.items[this.head].item)) this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private arm(): void {
    this.dropDoneHead();
    if (this.head >= this.items.length) {
      this.items = [];
      this.head = 0;
      this.timer = undefined;
      return;
    }
    const wait = Math.max(0, this.items[this.head].deadline - Date.now());
    this.timer = setTimeout(() => this.fire(), wait);
  }

  private fire(): void {
    const now = Date.now();
    while (this.head < this.items.length && this.items[this.head].deadline <= now) {
      const { item } = this.items[this.head++];
      if (!this.isDone(item)) this.onExpired(item);
    }
    this.arm();
  }
}
