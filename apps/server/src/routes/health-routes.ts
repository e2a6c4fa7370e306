import { expectationFor, SCENARIO_NAMES } from '@concurrency-lab/model';
import type { IRouter } from 'express';
import type { ReplicaIdentity, ServedLabs } from './route-context.ts';

export interface HealthRoutesOptions {
  readonly labs: ServedLabs;
  readonly replica: ReplicaIdentity;
}

/**
 * What this replica is and serves, read without touching any lab's state: `GET /health`, and
 * `GET /labs` with each lab's options and its expected verdict per scenario with this many replicas.
 */
export const addHealthRoutes = (router: IRouter, { labs, replica }: HealthRoutesOptions): void => {
  const replicas = replica.of;
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', replica, labs: [...labs.keys()] });
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
