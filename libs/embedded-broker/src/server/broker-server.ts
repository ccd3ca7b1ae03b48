import { createServer, Server, Socket } from 'node:net';
import { BrokerInfo } from '../cluster/cluster';
import { Connection } from './connection';
import { BrokerRuntime } from './broker-runtime';

/** The TCP listener of one broker. Stopping it closes every connection, as a dead broker process would. */
export class BrokerServer {
  private server: Server | null = null;
  private readonly connections = new Set<Connection>();

  constructor(
    readonly info: BrokerInfo,
    private readonly runtime: BrokerRuntime,
  ) {}

  get listening(): boolean {
    return this.server !== null;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((socket: Socket) => {
      const conn = new Connection(socket, this.runtime);
      this.connections.add(conn);
      socket.on('close', () => this.connections.delete(conn));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.info.port, this.info.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    if (addr && typeof addr === 'object') this.info.port = addr.port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    this.closeConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  closeConnections(): void {
    for (const c of this.connections) c.close();
    this.connections.clear();
  }
}
