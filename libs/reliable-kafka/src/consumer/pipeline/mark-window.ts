/**
 * A lane's dedup marks in flight. A successful chunk's ids are marked done in the background so the next call
 * need not wait for that round trip, but only one mark may be outstanding when a call starts: the lane's next
 * call after that waits for the older mark to land. So when the store stops answering (a hang, not a refusal)
 * a lane starts at most one more call on ids it claimed earlier, then waits with the store, instead of running
 * through everything it claimed ahead with none of it recorded as done.
 */
export class MarkWindow {
  private readonly pending: Promise<boolean>[] = [];

  /** Notes a chunk's mark, when it has one landing in the background. */
  add(marking: Promise<boolean> | undefined): void {
    if (marking) this.pending.push(marking);
  }

  /** Resolves true once at most one mark is in flight; false when a mark was given up (the batch stops). */
  async roomForCall(): Promise<boolean> {
    while (this.pending.length > 1) {
      const oldest = this.pending.shift() as Promise<boolean>;
      if (!(await oldest)) return false;
    }
    return true;
  }
}
