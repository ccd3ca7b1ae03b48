/**
 * Hands out producer ids for the whole cluster (Kafka allocates them in blocks through the controller; one
 * process needs only a counter). Ids start above zero so a zero in a request is visibly wrong.
 */
export class ProducerIdAllocator {
  private next: number;

  constructor(first = 1000) {
    this.next = first;
  }

  allocate(): number {
    return this.next++;
  }
}
