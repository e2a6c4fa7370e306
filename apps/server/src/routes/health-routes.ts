import { expectationFor, SCENARIO_NAMES, type ServiceName } from '@concurrency-lab/model';
import type { IRouter } from 'express';
import type { HealthProbe } from '../health-probe.ts';
import { send } from '../http/send-reply.ts';
import type { ReplicaIdentity, ServedLabs } from './route-context.ts';

export interface HealthRoutesOptions {
  readonly labs: ServedLabs;
  readonly replica: ReplicaIdentity;
  /** The state of every service the served labs need. */
  readonly probe: HealthProbe;
}

/**
 * What this replica is and serves, read without touching any lab's state: `GET /health` with the
 * state of each service the served labs need (503 while one is down), and `GET /labs` with each
 * lab's options and its expected verdict per scenario with this many replicas.
 */
export const addHealthRoutes = (router: IRouter, { labs, replica, probe }: HealthRoutesOptions): void => {
  const replicas = replica.of;
  router.get('/health', async (_req, res) => {
    const services = await probe();
    const down = (Object.keys(services) as ServiceName[]).filter((name) => services[name]?.state === 'down');
    const labNames = [...labs.keys()];
    if (down.length === 0) {
      send(res, { status: 200, body: { status: 'ok', replica, labs: labNames, services } });
      return;
    }
    const stopped = [...labs.values()]
      .filter(({ lab }) => lab.needs.some((need) => down.includes(need)))
      .map(({ lab }) => lab.name);
    send(res, {
      status: 503,
      body: {
        status: 'unavailable',
        message: `${down.join(', ')} ${down.length > 1 ? 'are' : 'is'} down: ${stopped.join(', ')} cannot serve until ${down.length > 1 ? 'they are' : 'it is'} back`,
        replica,
        labs: labNames,
        services,
      },
      headers: { 'Retry-After': '1' },
    });
  });

  router.get('/labs', (_req, res) => {
    res.json({
      replica,
      labs: [...labs.values()].map(({ lab, context }) => ({
        name: lab.name,
        title: lab.title,
        summary: lab.summary,
        needs: lab.needs,
        options: context.options,
        expect: Object.fromEntries(
          SCENARIO_NAMES.flatMap((scenario) => {
            const expectation = expectationFor(lab, scenario, { options: context.options, replicas });
            return expectation ? [[scenario, expectation]] : [];
          }),
        ),
      })),
    });
  });
};
