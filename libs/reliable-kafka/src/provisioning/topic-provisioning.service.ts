import { Injectable, Logger } from '@nestjs/common';
import { provisionTopics, type ProvisioningAdmin } from './provision-topics.util';
import { PROVISIONING_MESSAGES as M } from './provisioning.messages';
import type { ProvisionOptions, ProvisioningReport, TopicSpec } from './topic-spec.interface';

/**
 * Provisions the module's `topics` at startup and logs what it did. The module calls
 * {@link TopicProvisioningService.provision} in `onApplicationBootstrap`, before the doctor and before any
 * consumer or producer connects.
 */
@Injectable()
export class TopicProvisioningService {
  private readonly logger = new Logger('ReliableKafkaTopics');

  /** `admin` must be connected; the caller disconnects it. Throws `TopicProvisioningError` on failure. */
  async provision(
    admin: ProvisioningAdmin,
    specs: readonly TopicSpec[],
    options: ProvisionOptions = {},
  ): Promise<ProvisioningReport> {
    const report = await provisionTopics(admin, specs, options);
    for (const c of report.created)
      this.logger.log(M.created(c.name, c.partitions, c.replicationFactor, c.configs));
    for (const a of report.altered) this.logger.log(M.altered(a.topic, a.changes));
    for (const p of report.pending)
      this.logger.warn(M.pending(p.topic, p.changes, options.allowChanges ?? false));
    return report;
  }
}
