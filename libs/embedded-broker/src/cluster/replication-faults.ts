/** Replication faults: followers cut off from their leader, and per-broker replication lag. */
export class ReplicationFaults {
  private readonly isolated = new Set<string>();
  private readonly lag = new Map<number, number>();

  private static key(topic: string, partition: number, brokerId: number): string {
    return `${topic}\u0000${partition}\u0000${brokerId}`;
  }

  isolate(topic: string, partition: number, brokerId: number): void {
    this.isolated.add(ReplicationFaults.key(topic, partition, brokerId));
  }

  reconnect(topic: string, partition: number, brokerId: number): void {
    this.isolated.delete(ReplicationFaults.key(topic, partition, brokerId));
  }

  isIsolated(topic: string, partition: number, brokerId: number): boolean {
    return this.isolated.size > 0 && this.isolated.has(ReplicationFaults.key(topic, partition, brokerId));
  }

  setLag(brokerId: number, ms: number | null): void {
    if (ms === null) this.lag.delete(brokerId);
    else this.lag.set(brokerId, ms);
  }

  lagFor(brokerId: number): number | undefined {
    return this.lag.get(brokerId);
  }
}
