import type { Message, PartitionMetadata } from 'kafkajs';
import { StickyPartitioner } from './sticky-partitioner.util';

const metadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
    offlineReplicas: [],
  }));

describe('StickyPartitioner', () => {
  const setup = () => {
    const sticky = new StickyPartitioner();
    const partition = sticky.create();
    const place = (topic: string, message: Message) =>
      partition({ topic, partitionMetadata: metadata(6), message });
    return { sticky, place };
  };

  it('sends the keyless messages of one request to one partition, and the next request elsewhere', () => {
    const { sticky, place } = setup();
    sticky.beginRequest(['t']);
    const first = Array.from({ length: 10 }, () => place('t', { value: 'x' }));
    expect(new Set(first).size).toBe(1);
    sticky.beginRequest(['t']);
    const second = Array.from({ length: 10 }, () => place('t', { value: 'x' }));
    expect(new Set(second).size).toBe(1);
    expect(second[0]).not.toBe(first[0]);
  });

  it('spreads keyless requests over every partition in turn', () => {
    const { sticky, place } = setup();
    const used = Array.from({ length: 6 }, () => {
      sticky.beginRequest(['t']);
      return place('t', { value: 'x' });
    });
    expect(new Set(used).size).toBe(6);
  });

  it('keeps keyed and explicitly placed messages where the default partitioner puts them', () => {
    const { sticky, place } = setup();
    sticky.beginRequest(['t']);
    const keyed = place('t', { key: 'order-7', value: 'x' });
    sticky.beginRequest(['t']);
    expect(place('t', { key: 'order-7', value: 'y' })).toBe(keyed);
    expect(place('t', { partition: 4, value: 'z' })).toBe(4);
    expect(place('t', { partition: 2, value: 'z' })).toBe(2);
  });

  it('gives a resent message the partition of its first attempt', () => {
    const { sticky, place } = setup();
    sticky.beginRequest(['t']);
    const message: Message = { value: 'x' };
    const first = place('t', message);
    sticky.beginRequest(['t']);
    place('t', { value: 'other' });
    expect(place('t', message)).toBe(first);
    expect(sticky.partitionOf(message)).toBe(first);
  });
});
