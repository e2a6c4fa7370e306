import type { IRouter } from 'express';
import { type ServedLabs, servedLabOr404 } from './route-context.ts';

/**
 * `GET /labs/:lab/ledger`: every ledger row of the served lab (shared by all replicas), so that a
 * client that drove the lab over HTTP can run the harness's own ledger checks on its history.
 */
export const addLedgerRoute = (router: IRouter, { labs }: { readonly labs: ServedLabs }): void => {
  router.get('/labs/:lab/ledger', async (req, res) => {
    const served = servedLabOr404(labs, String(req.params.lab), res);
    if (!served) return;
    res.json({ lab: served.lab.name, rows: await served.store.readLedger() });
  });
};
