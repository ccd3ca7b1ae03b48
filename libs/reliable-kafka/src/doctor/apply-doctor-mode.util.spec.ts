import { applyDoctorMode } from './apply-doctor-mode.util';
import type { DoctorFinding } from './doctor-finding.interface';
import { DoctorReport } from './doctor-report';
import { UnsafeTopicConfigError } from './unsafe-topic-config.error';

const minIsr: DoctorFinding = {
  severity: 'error',
  topic: 'orders',
  setting: 'min.insync.replicas',
  actual: '1',
  recommended: '2',
  reason: 'acks=all is then satisfied by the leader alone',
  fix: 'kafka-configs.sh --alter --entity-type topics --entity-name orders --add-config min.insync.replicas=2',
};
const warning: DoctorFinding = { ...minIsr, severity: 'warning', setting: 'isr', reason: 'under-replicated' };
const info: DoctorFinding = {
  ...minIsr,
  severity: 'info',
  setting: 'replication.factor',
  reason: 'dev only',
};

function logger() {
  const lines: Array<['warn' | 'log', string]> = [];
  return { lines, warn: (m: string) => lines.push(['warn', m]), log: (m: string) => lines.push(['log', m]) };
}

describe('applyDoctorMode', () => {
  const report = new DoctorReport([minIsr, warning, info]);

  it('off: neither logs nor throws', () => {
    const l = logger();
    applyDoctorMode(report, 'off', l);
    expect(l.lines).toEqual([]);
  });

  it('warn: logs errors and warnings as warnings and infos as logs, never throws', () => {
    const l = logger();
    applyDoctorMode(report, 'warn', l);
    expect(l.lines).toEqual([
      [
        'warn',
        expect.stringMatching(
          /^\[doctor error\] topic "orders" min\.insync\.replicas is 1 \(recommended 2\).*Fix: kafka-configs/,
        ),
      ],
      ['warn', expect.stringMatching(/^\[doctor warning\] topic "orders" isr is 1 .*under-replicated/)],
      ['log', expect.stringMatching(/^\[doctor info\] topic "orders" replication\.factor .*dev only/)],
    ]);
  });

  it('fail: throws UnsafeTopicConfigError naming the topic, the setting and the fix', () => {
    const l = logger();
    let thrown: unknown;
    try {
      applyDoctorMode(report, 'fail', l);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(UnsafeTopicConfigError);
    const err = thrown as UnsafeTopicConfigError;
    expect(err.name).toBe('UnsafeTopicConfigError');
    expect(err).toMatchObject({
      topic: 'orders',
      setting: 'min.insync.replicas',
      fix: minIsr.fix,
      findings: [minIsr],
    });
    expect(err.message).toContain('topic "orders" min.insync.replicas is 1 (recommended 2)');
    expect(err.message).toContain(`Fix: ${minIsr.fix}`);
    // Warnings and infos are logged before refusing to start; the error itself is in the exception.
    expect(l.lines.map(([level]) => level)).toEqual(['warn', 'log']);
  });

  it('fail: does not throw without errors', () => {
    expect(() => applyDoctorMode(new DoctorReport([warning]), 'fail', logger())).not.toThrow();
  });
});
