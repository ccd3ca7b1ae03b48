import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The order placed event carried by Kafka. */
export interface OrderPlaced {
  orderId: string;
  runId: string;
  amountCents: number;
  /** Demo only: the handler throws the first time it sees this order. */
  failOnce: boolean;
}

/**
 * One row per processed order message. Deliberately no unique constraint on `orderId`: a duplicated effect must be
 * visible (two rows), not hidden by the database, so the summary can prove there is none.
 */
@Entity('orders')
export class OrderEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ name: 'run_id', type: 'text' })
  runId!: string;

  @Column({ name: 'order_id', type: 'text' })
  orderId!: string;

  @Column({ name: 'amount_cents', type: 'int' })
  amountCents!: number;

  @Column({ name: 'message_id', type: 'text' })
  messageId!: string;

  @Column({ name: 'kafka_partition', type: 'int' })
  partition!: number;

  @Column({ name: 'kafka_offset', type: 'text' })
  offset!: string;
}
