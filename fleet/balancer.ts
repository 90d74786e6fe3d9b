/**
 * A TCP round-robin in front of the fleet instances, as a BKD server would put HAProxy (TCP mode)
 * or a virtual IP in front of them: one address for every kiosk; TLS passes through untouched,
 * so mutual TLS ends at the instance. A backend that refuses a connection is skipped for the
 * next one. `make fleet-demo` and the fleet tests use it; production uses the site's own.
 */
import net from 'node:net';

export interface Balancer {
  port: number;
  /** Replaces the backends (an instance restarted on a new port). */
  setBackends(ports: number[]): void;
  /** Cuts every connection passing through now (a network outage: kept-alive connections end too). */
  cutConnections(): void;
  close(): Promise<void>;
}

export async function startBalancer(backends: number[], opts: { host?: string; port?: number } = {}): Promise<Balancer> {
  const host = opts.host ?? '127.0.0.1';
  let ports = [...backends];
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    // Small request/answer exchanges: Nagle's delay (with delayed ACKs) would add 40 ms to each.
    client.setNoDelay(true);
    client.on('close', () => sockets.delete(client));
    client.pause();
    const tryBackend = (left: number) => {
      if (left === 0 || ports.length === 0) return client.destroy();
      const port = ports[next++ % ports.length]!;
      const upstream = net.connect({ host, port, noDelay: true });
      sockets.add(upstream);
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.on('close', () => {
          sockets.delete(upstream);
          client.destroy();
        });
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.once('error', () => {
        sockets.delete(upstream);
        tryBackend(left - 1);
      });
    };
    tryBackend(ports.length);
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, host, resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    setBackends(p) {
      ports = [...p];
    },
    cutConnections() {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
