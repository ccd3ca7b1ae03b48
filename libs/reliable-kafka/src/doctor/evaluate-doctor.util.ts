import type { DoctorFinding } from './doctor-finding.interface';
import type { DoctorFacts } from './doctor-facts.interface';
import { DoctorReport } from './doctor-report';
import { checkConsumer, checkProducer } from './client-rules.util';
import { checkCluster } from './cluster-rules.util';
import { checkDeadLetterTopic } from './dead-letter-rules.util';
import { DOCTOR_MESSAGES as M } from './doctor.messages';
import { checkTopic } from './topic-rules.util';
import { checkDedupStore } from './dedup-rules.util';

/** Runs every rule over collected facts. Pure: no I/O, so it is tested without a broker. */
export function evaluateDoctor(facts: DoctorFacts): DoctorReport {
  const findings: DoctorFinding[] = [...checkCluster(facts.cluster)];
  const checked = new Set<string>();
  const checkOnce = (name: string): void => {
    const t = facts.topics.get(name);
    if (!t || checked.has(name)) return;
    checked.add(name);
    findings.push(...checkTopic(t, facts.cluster));
  };
  for (const target of facts.targets) {
    const source = facts.topics.get(target.topic);
    if (!source) {
      if (!checked.has(target.topic)) {
        checked.add(target.topic);
        const text = M.topicMissing(target.topic);
        findings.push({
          severity: 'error',
          topic: target.topic,
          setting: 'topic',
          actual: 'missing',
          recommended: 'exists',
          ...text,
        });
      }
      continue;
    }
    checkOnce(target.topic);
    if (target.deadLetterTopic === false) continue;
    findings.push(
      ...checkDeadLetterTopic(source, target.deadLetterTopic, facts.topics.get(target.deadLetterTopic)),
    );
    // Dead letters must be as durable as the messages they came from.
    checkOnce(target.deadLetterTopic);
  }
  if (facts.producer) findings.push(...checkProducer(facts.producer));
  for (const c of facts.consumers) findings.push(...checkConsumer(c));
  if (facts.dedup) findings.push(...checkDedupStore(facts.dedup));
  return new DoctorReport(dedupe(findings));
}

/** Two targets may share a dead-letter topic; report each problem once. */
function dedupe(findings: DoctorFinding[]): DoctorFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.severity}|${f.topic ?? ''}|${f.setting}|${f.actual}|${f.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
