import type { DoctorFinding } from './doctor-finding.interface';
import type { ConsumerFacts, ProducerFacts } from './doctor-facts.interface';
import { DOCTOR_MESSAGES as M } from './doctor.messages';

/** acks all and idempotence on. */
export function checkProducer(p: ProducerFacts): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  if (p.acks !== -1)
    out.push({
      severity: 'error',
      setting: 'producer.acks',
      actual: String(p.acks),
      recommended: '-1 (all)',
      ...M.acksNotAll(),
    });
  if (!p.idempotent) {
    out.push({
      severity: 'warning',
      setting: 'producer.idempotent',
      actual: 'false',
      recommended: 'true',
      ...M.idempotenceOff(),
    });
  }
  return out;
}

/** Auto-commit off; heartbeats well inside the session; handlers shorter than the rebalance timeout. */
export function checkConsumer(c: ConsumerFacts): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const at = (name: string): string => `consumer[${c.groupId}].${name}`;
  if (c.autoCommit) {
    out.push({
      severity: 'error',
      setting: at('autoCommit'),
      actual: 'true',
      recommended: 'false',
      ...M.autoCommitOn(c.groupId),
    });
  }
  const maxHeartbeat = Math.floor(c.sessionTimeout / 3);
  if (c.heartbeatInterval >= c.sessionTimeout / 3) {
    out.push({
      severity: 'warning',
      setting: at('heartbeatInterval'),
      actual: `${c.heartbeatInterval} ms`,
      recommended: `< ${maxHeartbeat} ms (sessionTimeout ${c.sessionTimeout} / 3)`,
      ...M.heartbeatTooSlow(c.groupId, maxHeartbeat),
    });
  }
  if (c.maxProcessingTimeMs !== undefined && c.maxProcessingTimeMs >= c.rebalanceTimeout) {
    out.push({
      severity: 'warning',
      setting: at('rebalanceTimeout'),
      actual: `${c.rebalanceTimeout} ms`,
      recommended: `> ${c.maxProcessingTimeMs} ms (handler timeout)`,
      ...M.handlerOutlastsRebalance(c.groupId),
    });
  }
  return out;
}
