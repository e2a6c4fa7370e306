import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type PreparedRun,
  probeServices,
  type ServiceHub,
  serviceEndpoints,
} from '@concurrency-lab/services';
import { PROBE_TIMEOUT_MS, sharedProbe } from './health-probe.ts';
import { answerClientErrors } from './http/client-error.ts';
import { createLabApp } from './lab-app.ts';
import { ServedLab } from './served-lab.ts';
import { labNamespace, type ServerConfig } from './server-config.ts';

export interface LabServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** This process's replica id; op ids and so ledger rows carry it. */
  readonly replicaId: string;
  /** The labs served, by name (tests read their stores directly). */
  readonly labs: ReadonlyMap<string, ServedLab>;
  /**
   * Graceful stop: stops accepting connections, lets in-flight requests finish (at most
   * `graceMs`, then cuts the remaining connections), closes sessions and connection pools.
   * Does not close the hub: whoever created it does.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Prepares every configured lab in its fixed namespace (`<namespace>_<lab>`, kept after release so
 * that all replicas and later runs share it) and serves them over HTTP on `config.host:config.port`.
 */
export const startLabServer = async (config: ServerConfig, hub: ServiceHub): Promise<LabServer> => {
  const replicaId = `r${config.replicaIndex}-${randomBytes(3).toString('hex')}`;
  const prepared: PreparedRun[] = [];
  const labs = new Map<string, ServedLab>();
  let closing = false;
  let server: Server | undefined;
  const releaseAll = async () => {
    await Promise.allSettled([...labs.values()].map((served) => served.close()));
    await Promise.allSettled(prepared.map((run) => run.release()));
  };
  try {
    for (const { lab, options } of config.labs) {
      const run = await hub.prepare(lab, {
        options,
        namespace: labNamespace(config.namespace, lab.name),
        keep: true,
      });
      prepared.push(run);
      labs.set(
        lab.name,
        new ServedLab({
          lab,
          context: run.context,
          replicaId,
          replicaIndex: config.replicaIndex,
          raceWindowMs: config.raceWindowMs,
        }),
      );
    }
    // The URLs are taken once the services are up: the probe must never start one of its own.
    const endpoints = await serviceEndpoints(hub, new Set(config.labs.flatMap(({ lab }) => lab.needs)));
    const app = createLabApp({
      labs,
      adminToken: config.adminToken,
      replicas: config.replicas,
      replicaId,
      replicaIndex: config.replicaIndex,
      bodyLimitBytes: config.bodyLimitBytes,
      closing: () => closing,
      probe: sharedProbe(() => probeServices(endpoints, PROBE_TIMEOUT_MS)),
    });
    const { headersMs, requestMs, keepAliveMs } = config.timeouts;
    server = createServer(
      {
        headersTimeout: headersMs,
        requestTimeout: requestMs,
        keepAliveTimeout: keepAliveMs,
        // Node checks both timeouts on this interval (30 s by default), so a stalled request would
        // otherwise hold its socket up to 30 s past its timeout.
        connectionsCheckingInterval: Math.min(1_000, Math.floor(headersMs / 2)),
      },
      app,
    );
    answerClientErrors(server, config.timeouts);
    // A storm opens a thousand connections at once; the default backlog (511) would drop SYNs
    // and turn them into one-second retransmission stalls.
    server.listen({ port: config.port, host: config.host, backlog: 4096 });
    await once(server, 'listening');
  } catch (error) {
    server?.close();
    await releaseAll();
    throw error;
  }
  const bound = server;
  const { port } = bound.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    replicaId,
    labs,
    close: (graceMs = 10_000) => {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => bound.close(() => resolve()));
        // Idle keep-alive connections would otherwise hold close() open until they time out. A
        // request in flight when close() began keeps its connection alive after its response (its
        // headers were decided earlier), so idle connections are closed again until all are gone.
        bound.closeIdleConnections();
        const sweep = setInterval(() => bound.closeIdleConnections(), 50);
        const timer = setTimeout(() => bound.closeAllConnections(), graceMs);
        await stopped;
        clearInterval(sweep);
        clearTimeout(timer);
        await releaseAll();
      })();
      return closed;
    },
  };
};
