import { Logger } from '@nestjs/common';
import type { DoctorAdmin } from './collect-doctor-facts.util';
import { DoctorService } from './doctor.service';

/** An admin whose every call fails, as when the cluster is unreachable. */
const unreachable = new Proxy({} as DoctorAdmin, {
  get: () => () => Promise.reject(new Error('Connection timeout')),
});

describe('DoctorService when the cluster cannot be read', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warn.mockRestore());

  it('fail: rethrows, so the app does not start unchecked', async () => {
    await expect(new DoctorService().check(unreachable, { targets: [] }, 'fail')).rejects.toThrow(
      'Connection timeout',
    );
  });

  it('warn: logs that nothing was checked and lets the app start', async () => {
    await expect(new DoctorService().check(unreachable, { targets: [] }, 'warn')).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('were not checked'));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Connection timeout'));
  });

  it('off: does not touch the admin', async () => {
    await expect(new DoctorService().check(unreachable, { targets: [] }, 'off')).resolves.toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });
});
