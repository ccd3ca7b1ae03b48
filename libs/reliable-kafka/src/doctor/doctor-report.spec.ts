import type { DoctorFinding } from './doctor-finding.interface';
import { DoctorReport } from './doctor-report';

const f = (
  severity: DoctorFinding['severity'],
  topic: string | undefined,
  setting: string,
): DoctorFinding => ({
  severity,
  topic,
  setting,
  actual: 'a',
  recommended: 'r',
  reason: `reason of ${setting}`,
  fix: `fix of ${setting}`,
});

describe('DoctorReport', () => {
  const report = new DoctorReport([
    f('info', 't', 'x'),
    f('warning', 'b', 'y'),
    f('error', 'z', 'min.insync.replicas'),
    f('error', undefined, 'producer.acks'),
  ]);

  it('orders findings by severity, then topic, then setting', () => {
    expect(report.findings.map((x) => `${x.severity}:${x.topic ?? ''}:${x.setting}`)).toEqual([
      'error::producer.acks',
      'error:z:min.insync.replicas',
      'warning:b:y',
      'info:t:x',
    ]);
    expect(report.hasErrors).toBe(true);
    expect(report.forTopic('z')).toHaveLength(1);
  });

  it('renders JSON with a summary', () => {
    const json = JSON.parse(JSON.stringify(report));
    expect(json.ok).toBe(false);
    expect(json.summary).toEqual({ errors: 2, warnings: 1, infos: 1 });
    expect(json.findings[1]).toMatchObject({
      topic: 'z',
      setting: 'min.insync.replicas',
      reason: 'reason of min.insync.replicas',
    });
  });

  it('renders a table with a header, one line per finding and a summary', () => {
    const lines = report.toTable().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SEVERITY\s+TOPIC\s+SETTING\s+ACTUAL\s+RECOMMENDED\s+REASON \/ FIX$/);
    expect(lines).toHaveLength(2 + 4 + 1);
    expect(lines[3]).toMatch(
      /^error\s+z\s+min\.insync\.replicas\s+a\s+r\s+reason of min\.insync\.replicas\. Fix: fix of min\.insync\.replicas$/,
    );
    expect(lines[2]).toMatch(/^error\s+-\s+producer\.acks/);
    expect(lines[6]).toBe('2 error(s), 1 warning(s), 1 info(s)');
  });

  it('says so when there are no findings', () => {
    const empty = new DoctorReport([]);
    expect(empty.hasErrors).toBe(false);
    expect(empty.toTable()).toContain('No findings');
    expect(empty.toJSON()).toEqual({ ok: true, summary: { errors: 0, warnings: 0, infos: 0 }, findings: [] });
  });
});
