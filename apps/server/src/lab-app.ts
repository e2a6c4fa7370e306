import express, { type Express } from 'express';
import type { HealthProbe } from './health-probe.ts';
import { closeConnectionsWhile } from './http/closing-connection.ts';
import { errorHandler } from './http/error-handler.ts';
import { jsonBodyReader } from './http/json-body.ts';
import { noRoute } from './http/no-route.ts';
import { addAdminRoutes } from './routes/admin-routes.ts';
import { addCheckRoute } from './routes/check-route.ts';
import { addHealthRoutes } from './routes/health-routes.ts';
import { addLabRoutes } from './routes/lab-routes.ts';
import { addLedgerRoute } from './routes/ledger-route.ts';
import type { ServedLabs } from './routes/route-context.ts';
import { type ServerLog, stderrLog } from './server-log.ts';

export interface LabAppOptions {
  /** The labs this replica serves, by name. */
  readonly labs: ServedLabs;
  /** Enables POST /admin/reset and is then required by it; undefined disables it. */
  readonly adminToken: string | undefined;
  /** How many replicas serve the same state; see checkWithLedger in the harness. */
  readonly replicas: number;
  readonly replicaId: string;
  readonly replicaIndex: number;
  readonly bodyLimitBytes: number;
  /** Where details of unexpected errors go (never to the client). Default: stderr. */
  readonly log?: ServerLog;
  /** True once the server is shutting down: responses then close their connection. */
  readonly closing?: () => boolean;
  /** The services' states that GET /health reports. Default: no services (labs that need none). */
  readonly probe?: HealthProbe;
}

/**
 * The HTTP face of the labs (JSON in, JSON out): the route groups of `routes/` between the
 * middleware of `http/`, in the order they apply. apps/server/README.md lists every route and status.
 */
export const createLabApp = (options: LabAppOptions): Express => {
  const { labs, adminToken, bodyLimitBytes } = options;
  const log = options.log ?? stderrLog;
  const replica = { id: options.replicaId, index: options.replicaIndex, of: options.replicas };
  const readJsonBody = jsonBodyReader(bodyLimitBytes);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  if (options.closing) app.use(closeConnectionsWhile(options.closing));
  addHealthRoutes(app, { labs, replica, probe: options.probe ?? (async () => ({})) });
  addLabRoutes(app, { labs, readJsonBody, log });
  addCheckRoute(app, { labs, replica });
  addLedgerRoute(app, { labs });
  addAdminRoutes(app, { labs, adminToken, replica, readJsonBody, log });
  app.use(noRoute);
  app.use(errorHandler({ bodyLimitBytes, log }));
  return app;
};
