import { Admin, ConfigResourceTypes } from 'kafkajs';
import { collectTopicFacts, type DoctorAdmin } from '../doctor/collect-doctor-facts.util';
import type { TopicFacts } from '../doctor/doctor-facts.interface';
import { diffTopic } from './diff-topic.util';
import { desiredConfigs, planTopics } from './plan-topics.util';
import { PROVISIONING_MESSAGES as M } from './provisioning.messages';
import { TopicProvisioningError } from './topic-provisioning.error';
import type {
  PlannedTopic,
  ProvisionOptions,
  ProvisioningReport,
  TopicDrift,
  TopicSpec,
} from './topic-spec.interface';

/** The part of a kafkajs admin client provisioning uses. */
export type ProvisioningAdmin = DoctorAdmin &
  Pick<Admin, 'createTopics' | 'createPartitions' | 'alterConfigs'>;

const reason = (e: unknown): string => {
  const errors = (e as { errors?: Array<{ message?: string }> }).errors;
  return errors?.length
    ? errors.map((x) => x.message).join('; ')
    : e instanceof Error
      ? e.message
      : String(e);
};

async function createMissing(
  admin: ProvisioningAdmin,
  plans: PlannedTopic[],
  brokerCount: number,
): Promise<ProvisioningReport['created']> {
  const created = plans.map((p) => ({
    name: p.name,
    partitions: p.partitions,
    replicationFactor: p.replicationFactor,
    configs: desiredConfigs(p, p.replicationFactor),
  }));
  const tooHigh = created.find((c) => c.replicationFactor > brokerCount);
  if (tooHigh) {
    const m = M.rfTooHigh(tooHigh.replicationFactor, brokerCount);
    throw new TopicProvisioningError(tooHigh.name, m.problem, m.fix);
  }
  try {
    // `false` means another instance created some of them first (TOPIC_ALREADY_EXISTS only): same outcome.
    await admin.createTopics({
      waitForLeaders: true,
      topics: created.map((c) => ({
        topic: c.name,
        numPartitions: c.partitions,
        replicationFactor: c.replicationFactor,
        configEntries: Object.entries(c.configs).map(([name, value]) => ({ name, value })),
      })),
    });
  } catch (e) {
    const m = M.createFailed(reason(e));
    throw new TopicProvisioningError(created.map((c) => c.name).join(', '), m.problem, m.fix, e);
  }
  return created;
}

async function applyChanges(
  admin: ProvisioningAdmin,
  drifts: TopicDrift[],
  facts: Map<string, TopicFacts>,
): Promise<void> {
  const partitions = drifts.flatMap((d) =>
    d.changes
      .filter((c) => c.setting === 'partitions')
      .map((c) => ({ topic: d.topic, count: Number(c.desired) })),
  );
  const configs = drifts
    .map((d) => ({ topic: d.topic, changes: d.changes.filter((c) => c.setting !== 'partitions') }))
    .filter((d) => d.changes.length > 0);
  const names = drifts.map((d) => d.topic).join(', ');
  try {
    if (partitions.length > 0) await admin.createPartitions({ topicPartitions: partitions });
    if (configs.length > 0) {
      // AlterConfigs replaces a topic's whole override set: resend the overrides it has, or they revert to defaults.
      const resources = configs.map((d) => {
        const entries = {
          ...facts.get(d.topic)?.overrides,
          ...Object.fromEntries(d.changes.map((c) => [c.setting, c.desired])),
        };
        const configEntries = Object.entries(entries).map(([name, value]) => ({ name, value }));
        return { type: ConfigResourceTypes.TOPIC, name: d.topic, configEntries };
      });
      await admin.alterConfigs({ validateOnly: false, resources });
    }
  } catch (e) {
    const m = M.alterFailed(reason(e));
    throw new TopicProvisioningError(names, m.problem, m.fix, e);
  }
}

/**
 * Creates the missing topics of `specs` (each with its `.dlt` and `.retry.<delay>` topics) with safe defaults:
 * replication factor min(3, live brokers), min.insync.replicas = RF - 1 when RF >= 2, unclean election off.
 * Existing topics are compared with their specs; without `allowChanges` nothing about them is altered and the
 * differences are reported as pending. With it, partitions are raised and configs set; a replication factor
 * change stays pending (it needs a partition reassignment).
 */
export async function provisionTopics(
  admin: ProvisioningAdmin,
  specs: readonly TopicSpec[],
  options: ProvisionOptions = {},
): Promise<ProvisioningReport> {
  const brokerCount = (await admin.describeCluster()).brokers.length;
  const plans = planTopics(specs, brokerCount);
  if (plans.length === 0) return { created: [], altered: [], pending: [], unchanged: [] };
  const facts = await collectTopicFacts(
    admin,
    plans.map((p) => p.name),
  );
  const missing = plans.filter((p) => !facts.has(p.name));
  const created = missing.length > 0 ? await createMissing(admin, missing, brokerCount) : [];
  const unchanged: string[] = [];
  const altered: TopicDrift[] = [];
  const pending: TopicDrift[] = [];
  for (const plan of plans) {
    const existing = facts.get(plan.name);
    if (!existing) continue;
    const changes = diffTopic(plan, existing);
    if (changes.length === 0) unchanged.push(plan.name);
    else if (!options.allowChanges) pending.push({ topic: plan.name, changes });
    else {
      const doable = changes.filter((c) => c.applicable);
      const manual = changes.filter((c) => !c.applicable);
      if (doable.length > 0) altered.push({ topic: plan.name, changes: doable });
      if (manual.length > 0) pending.push({ topic: plan.name, changes: manual });
    }
  }
  if (altered.length > 0) await applyChanges(admin, altered, facts);
  return { created, altered, pending, unchanged };
}
