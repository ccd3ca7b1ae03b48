import { FaultInjector } from './faults/fault-injector';
import { ApiKey } from './protocol/api-keys';
import { ErrorCode } from './protocol/error-codes';
import { CliCommandError, runCliCommand } from './cli-commands';

function fakeFaults(): jest.Mocked<FaultInjector> {
  return {
    killBroker: jest.fn().mockResolvedValue(undefined),
    stopBroker: jest.fn().mockResolvedValue(undefined),
    restartBroker: jest.fn().mockResolvedValue(undefined),
    failNext: jest.fn(),
    dropResponses: jest.fn(),
    delayResponses: jest.fn(),
    moveLeader: jest.fn(),
    isolateFollower: jest.fn(),
    reconnectFollower: jest.fn(),
    setReplicationLag: jest.fn(),
    closeConnections: jest.fn(),
    clear: jest.fn(),
  } as unknown as jest.Mocked<FaultInjector>;
}

describe('runCliCommand', () => {
  it('maps each command onto the fault injector', async () => {
    const f = fakeFaults();
    const run = (line: string) => runCliCommand(f, line);
    await expect(run('kill 1')).resolves.toBe('ok');
    expect(f.killBroker).toHaveBeenCalledWith(1);
    await run('stop 2');
    expect(f.stopBroker).toHaveBeenCalledWith(2);
    await run('restart 1');
    expect(f.restartBroker).toHaveBeenCalledWith(1);
    await run('fail produce 19 5 2');
    expect(f.failNext).toHaveBeenCalledWith({
      apiKey: ApiKey.Produce,
      errorCode: ErrorCode.NOT_ENOUGH_REPLICAS,
      count: 5,
      brokerId: 2,
    });
    await run('fail join-group NOT_COORDINATOR');
    expect(f.failNext).toHaveBeenLastCalledWith({
      apiKey: ApiKey.JoinGroup,
      errorCode: ErrorCode.NOT_COORDINATOR,
      count: undefined,
      brokerId: undefined,
    });
    await run('drop 0 1');
    expect(f.dropResponses).toHaveBeenCalledWith({ apiKey: ApiKey.Produce, count: 1, brokerId: undefined });
    await run('delay fetch 500 3');
    expect(f.delayResponses).toHaveBeenCalledWith({
      apiKey: ApiKey.Fetch,
      ms: 500,
      count: 3,
      brokerId: undefined,
    });
    await run('move-leader orders 0 2');
    expect(f.moveLeader).toHaveBeenCalledWith('orders', 0, 2);
    await run('isolate orders 0 2');
    expect(f.isolateFollower).toHaveBeenCalledWith('orders', 0, 2);
    await run('reconnect orders 0 2');
    expect(f.reconnectFollower).toHaveBeenCalledWith('orders', 0, 2);
    await run('lag 2 200');
    expect(f.setReplicationLag).toHaveBeenCalledWith(2, 200);
    await run('lag 2 off');
    expect(f.setReplicationLag).toHaveBeenLastCalledWith(2, null);
    await run('close-connections');
    expect(f.closeConnections).toHaveBeenCalledWith(undefined);
    await run('  close-connections   1 ');
    expect(f.closeConnections).toHaveBeenLastCalledWith(1);
    await run('clear');
    expect(f.clear).toHaveBeenCalled();
  });

  it('ignores blank lines and comments', async () => {
    const f = fakeFaults();
    await expect(runCliCommand(f, '   ')).resolves.toBeNull();
    await expect(runCliCommand(f, '# kill 1')).resolves.toBeNull();
    expect(f.killBroker).not.toHaveBeenCalled();
  });

  it.each([
    ['boom', "unknown command 'boom'"],
    ['kill', 'usage: kill <broker>'],
    ['kill one', "broker must be a whole number, got 'one'"],
    ['fail produce', 'usage: fail'],
    ['fail produce 7777', 'unknown error code 7777'],
    ['fail warp-drive 19', "unknown api 'warp-drive'"],
    ['fail produce 19 0', 'count must be at least 1'],
    ['delay fetch soon', "ms must be a whole number, got 'soon'"],
    ['lag 1', 'usage: lag'],
  ])('refuses %j', async (line, message) => {
    const run = runCliCommand(fakeFaults(), line);
    await expect(run).rejects.toThrow(CliCommandError);
    await expect(runCliCommand(fakeFaults(), line)).rejects.toThrow(message);
  });
});
