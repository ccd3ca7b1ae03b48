import { DOCTOR_EXIT, parseDoctorArgs, runDoctorCli } from './doctor-cli.util';

describe('doctor CLI arguments', () => {
  it('parses brokers (repeated or comma-separated), topics and flags', () => {
    expect(
      parseDoctorArgs(['--brokers', 'a:1,b:2', '-b', 'c:3', '--topic', 'x', '-t', 'y', '--json', '--no-dlt']),
    ).toEqual({
      brokers: ['a:1', 'b:2', 'c:3'],
      topics: ['x', 'y'],
      json: true,
      deadLetter: false,
      help: false,
    });
    expect(parseDoctorArgs(['--brokers', 'localhost:9092'])).toMatchObject({
      topics: [],
      json: false,
      deadLetter: true,
    });
  });

  it.each([
    [[], 'missing --brokers'],
    [['--brokers', 'nohostport'], 'expects HOST:PORT'],
    [['--brokers', 'a:1', '--bogus'], 'Unknown option'],
    [['--brokers', 'a:1', 'positional'], 'positional'],
    [['--brokers'], 'argument missing'],
    [['--brokers', 'a:1', '--topic', ' '], '--topic needs'],
  ])('rejects %j', (argv, message) => {
    expect(parseDoctorArgs(argv)).toEqual(expect.stringContaining(message));
  });

  it('exits 2 with the usage on bad arguments, without connecting', async () => {
    const err: string[] = [];
    const code = await runDoctorCli(['--json'], { out: () => undefined, err: (t) => err.push(t) });
    expect(code).toBe(DOCTOR_EXIT.usage);
    expect(err.join('')).toContain('Usage: npm run doctor');
  });

  it('prints the usage with --help and exits 0', async () => {
    const out: string[] = [];
    expect(await runDoctorCli(['--help'], { out: (t) => out.push(t), err: () => undefined })).toBe(0);
    expect(out.join('')).toContain('--brokers');
  });
});
