import { Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Admin, Kafka, logLevel } from 'kafkajs';
import {
  DoctorService,
  UnsafeTopicConfigError,
  runDoctor,
  type DoctorFinding,
  type DoctorMode,
  type DoctorTopicTarget,
} from '../../libs/reliable-kafka/src/doctor';
import { EmbeddedKafka } from '@nrk/embedded-broker';
import { startKafkaTarget, uniqueName, type KafkaTarget } from '../support';

jest.setTimeout(60_000);

type TopicConfig = { partitions?: number; rf: number; minIsr?: number; unclean?: boolean };

/** The topics of this suite, each with its dead-letter topic (absent for `noDlt`). */
const names = {
  good: uniqueName('doctor-good'),
  rf1: uniqueName('doctor-rf1'),
  minIsr1: uniqueName('doctor-minisr1'),
  unclean: uniqueName('doctor-unclean'),
  minIsrEqRf: uniqueName('doctor-minisr-eq-rf'),
  noDlt: uniqueName('doctor-nodlt'),
  smallDlt: uniqueName('doctor-smalldlt'),
};
const dlt = (t: string): string => `${t}.dlt`;
const targets: DoctorTopicTarget[] = Object.values(names).map((topic) => ({
  topic,
  deadLetterTopic: dlt(topic),
}));

async function create(admin: Admin, topic: string, c: TopicConfig): Promise<void> {
  const configEntries = [{ name: 'unclean.leader.election.enable', value: String(c.unclean ?? false) }];
  if (c.minIsr !== undefined) configEntries.push({ name: 'min.insync.replicas', value: String(c.minIsr) });
  await admin.createTopics({
    topics: [{ topic, numPartitions: c.partitions ?? 3, replicationFactor: c.rf, configEntries }],
  });
}

/** Findings per topic, as [severity, setting, actual, recommended]. */
const summary = (findings: DoctorFinding[]): string[][] =>
  findings.map((f) => [f.severity, f.setting, f.actual, f.recommended]);

describe('doctor against a 3-broker cluster', () => {
  let target: KafkaTarget;
  let admin: Admin;

  beforeAll(async () => {
    target = await startKafkaTarget({ brokers: 3 });
    admin = new Kafka({ brokers: target.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const safe = { rf: 3, minIsr: 2 };
    await create(admin, names.good, safe);
    await create(admin, names.rf1, { rf: 1 });
    await create(admin, names.minIsr1, { rf: 3, minIsr: 1 });
    await create(admin, names.unclean, { ...safe, unclean: true });
    await create(admin, names.minIsrEqRf, { rf: 3, minIsr: 3 });
    await create(admin, names.noDlt, safe);
    await create(admin, names.smallDlt, safe);
    for (const t of Object.values(names)) {
      if (t === names.noDlt) continue;
      await create(admin, dlt(t), { ...safe, partitions: t === names.smallDlt ? 1 : 3 });
    }
  });

  afterAll(async () => {
    await admin?.disconnect();
    await target?.stop();
  });

  it('reports each deliberately bad topic with the right finding, and nothing for the good one', async () => {
    const report = await runDoctor(admin, { targets });
    expect(report.forTopic(names.good)).toEqual([]);
    expect(report.forTopic(dlt(names.good))).toEqual([]);
    expect(summary(report.forTopic(names.rf1))).toEqual([['error', 'replication.factor', '1', '3']]);
    expect(summary(report.forTopic(names.minIsr1))).toEqual([['error', 'min.insync.replicas', '1', '2']]);
    expect(summary(report.forTopic(names.unclean))).toEqual([
      ['error', 'unclean.leader.election.enable', 'true', 'false'],
    ]);
    expect(summary(report.forTopic(names.minIsrEqRf))).toEqual([
      ['warning', 'min.insync.replicas', '3', '2'],
    ]);
    expect(report.forTopic(names.minIsrEqRf)[0].reason).toContain(
      'one broker outage stops all acks=all writes',
    );
    expect(summary(report.forTopic(names.noDlt))).toEqual([]);
    expect(summary(report.forTopic(dlt(names.noDlt)))).toEqual([
      ['error', 'dead-letter topic', 'missing', '3 partitions'],
    ]);
    expect(summary(report.forTopic(dlt(names.smallDlt)))).toEqual([['warning', 'partitions', '1', '>= 3']]);
    expect(report.hasErrors).toBe(true);
    // Every finding says why in one line and how to fix it.
    for (const f of report.findings) {
      expect(f.reason).not.toContain('\n');
      expect(f.fix.length).toBeGreaterThan(0);
    }
  });

  it('reports a topic that does not exist without creating it', async () => {
    const missing = uniqueName('doctor-missing');
    const report = await runDoctor(admin, { targets: [{ topic: missing, deadLetterTopic: false }] });
    expect(summary(report.forTopic(missing))).toEqual([['error', 'topic', 'missing', 'exists']]);
    expect(await admin.listTopics()).not.toContain(missing);
  });

  it('reports the client settings it is given', async () => {
    const report = await runDoctor(admin, {
      targets: [{ topic: names.good, deadLetterTopic: dlt(names.good) }],
      producer: { acks: 1, idempotent: true },
      consumers: [
        {
          groupId: 'g',
          autoCommit: true,
          sessionTimeout: 30000,
          heartbeatInterval: 3000,
          rebalanceTimeout: 60000,
        },
      ],
    });
    const client = report.findings.filter(
      (f) => f.setting.startsWith('producer.') || f.setting.startsWith('consumer['),
    );
    expect(summary(client)).toEqual([
      ['error', 'consumer[g].autoCommit', 'true', 'false'],
      ['error', 'producer.acks', '1', '-1 (all)'],
    ]);
  });

  describe('modes, as an app would run them at bootstrap', () => {
    /** A provider that runs the doctor in onApplicationBootstrap, as the module does. */
    function appWith(mode: DoctorMode, topics: DoctorTopicTarget[]) {
      @Injectable()
      class DoctorAtBootstrap implements OnApplicationBootstrap {
        constructor(private readonly doctor: DoctorService) {}
        async onApplicationBootstrap(): Promise<void> {
          await this.doctor.check(admin, { targets: topics }, mode);
        }
      }
      @Module({ providers: [DoctorService, DoctorAtBootstrap] })
      class AppModule {}
      return Test.createTestingModule({ imports: [AppModule] }).compile();
    }

    it('fail: refuses to start with a message naming the topic, the setting and the fix', async () => {
      const app = await appWith('fail', [{ topic: names.minIsr1, deadLetterTopic: dlt(names.minIsr1) }]);
      let error: unknown;
      try {
        await app.init();
      } catch (e) {
        error = e;
      } finally {
        // close() re-awaits the failed init and rejects with the same error.
        await app.close().catch(() => undefined);
      }
      expect(error).toBeInstanceOf(UnsafeTopicConfigError);
      const err = error as UnsafeTopicConfigError;
      expect(err.topic).toBe(names.minIsr1);
      expect(err.setting).toBe('min.insync.replicas');
      expect(err.message).toContain(`topic "${names.minIsr1}" min.insync.replicas is 1 (recommended 2)`);
      expect(err.message).toContain(
        `Fix: kafka-configs.sh --alter --entity-type topics --entity-name ${names.minIsr1} --add-config min.insync.replicas=2`,
      );
    });

    it('fail: starts when the topics are safe', async () => {
      const app = await appWith('fail', [{ topic: names.good, deadLetterTopic: dlt(names.good) }]);
      await expect(app.init()).resolves.toBeDefined();
      await app.close();
    });

    it('warn: starts and logs each finding as a warning', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      try {
        const app = await appWith('warn', [{ topic: names.unclean, deadLetterTopic: dlt(names.unclean) }]);
        await app.init();
        await app.close();
        // The embedded cluster's broker defaults (RF 1, auto-create on) add a cluster-wide warning; look at the topic's.
        const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes(names.unclean));
        expect(lines).toEqual([
          expect.stringContaining(`topic "${names.unclean}" unclean.leader.election.enable is true`),
        ]);
      } finally {
        warn.mockRestore();
      }
    });

    it('off: starts without reading the cluster', async () => {
      const describe = jest.spyOn(admin, 'describeConfigs');
      try {
        const app = await appWith('off', [{ topic: names.rf1, deadLetterTopic: false }]);
        await app.init();
        await app.close();
        expect(describe).not.toHaveBeenCalled();
      } finally {
        describe.mockRestore();
      }
    });
  });

  it('reports partitions whose ISR fell below min.insync.replicas while brokers are down', async () => {
    // Its own cluster: kafkajs cannot read metadata while any partition of the cluster has no leader, and the
    // suite's RF 1 topics would lose theirs when brokers stop. Fault injection needs the embedded broker anyway.
    const cluster = await EmbeddedKafka.start({ brokers: 3 });
    const kafka = new Kafka({ brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING });
    const own = kafka.admin();
    try {
      await own.connect();
      const topic = uniqueName('doctor-isr');
      await create(own, topic, { rf: 3, minIsr: 2, partitions: 2 });
      expect(
        (await runDoctor(own, { targets: [{ topic, deadLetterTopic: false }] })).forTopic(topic),
      ).toEqual([]);
      await cluster.faults.killBroker(1);
      await cluster.faults.killBroker(2);
      // A fresh client, as an operator running the doctor during the outage would have.
      const survivor = new Kafka({
        brokers: [cluster.bootstrapServers[0]],
        logLevel: logLevel.NOTHING,
      }).admin();
      await survivor.connect();
      try {
        const report = await runDoctor(survivor, { targets: [{ topic, deadLetterTopic: false }] });
        expect(summary(report.forTopic(topic))).toEqual([['error', 'isr', '1', '>= 2']]);
        expect(report.forTopic(topic)[0].reason).toContain('partition(s) 0, 1 ');
      } finally {
        await survivor.disconnect();
      }
    } finally {
      await own.disconnect();
      await cluster.stop();
    }
  });
});
