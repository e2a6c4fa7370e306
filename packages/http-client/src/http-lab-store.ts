import type { Account, LedgerEntry, ScenarioName, State, StockItem } from '@concurrency-lab/model';
import {
  type BaseUrl,
  type HttpAnswer,
  type HttpPools,
  type HttpRequest,
  parseBaseUrl,
} from './http-pools.ts';

/** The server answered, but not with what was asked for: the status, its error code, and its message. */
export class HttpLabError extends Error {
  override readonly name = 'HttpLabError';
  readonly status: number;
  /** The server's `error` code (`unauthorized`, `unknown_lab`, …), when its body had one. */
  readonly error: string | undefined;

  constructor(message: string, status: number, error: string | undefined) {
    super(message);
    this.status = status;
    this.error = error;
  }
}

/** What `POST /admin/reset` answers. */
export interface HttpReset {
  readonly scenario: ScenarioName;
  readonly labs: readonly string[];
  readonly initialState: State;
}

/** What `GET /labs/:lab/check` answers: the server's checkers on the shared state and ledger. */
export interface HttpCheck {
  readonly lab: string;
  readonly scenario: ScenarioName;
  readonly valid: boolean | 'unknown';
  readonly violations: ReadonlyArray<{
    readonly kind: string;
    readonly count: number;
    readonly example: string;
  }>;
  readonly expectation: 'safe' | 'unsafe' | null;
  readonly matchesExpectation: boolean | null;
  readonly initialState: State;
  readonly finalState: State;
  readonly contention: { readonly conflicts: number; readonly retries: number; readonly lockWaitMs: number };
  /** How far the verdict reaches (see the server's README): ops this replica saw, ledger rows, … */
  readonly coverage: Readonly<Record<string, unknown>>;
}

export interface HttpLabStoreOptions {
  readonly baseUrl: string;
  readonly lab: string;
  /** The server's LAB_ADMIN_TOKEN; only `reset` needs it. */
  readonly adminToken?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const isState = (value: unknown): value is State =>
  isObject(value) && Array.isArray(value.accounts) && Array.isArray(value.items);

/**
 * What a run over HTTP needs of a served lab's state, as far as the server exposes it: seeding a
 * scenario, reading an account or an item, and the server's own check (with the final state).
 * Not a LabStore: the server seeds only named scenarios (httpRunStore adapts it for a run).
 */
export class HttpLabStore {
  readonly #pools: HttpPools;
  readonly #base: BaseUrl;
  readonly #lab: string;
  readonly #labPath: string;
  readonly #adminToken: string | undefined;

  constructor(pools: HttpPools, options: HttpLabStoreOptions) {
    this.#pools = pools;
    this.#base = parseBaseUrl(options.baseUrl);
    this.#lab = options.lab;
    this.#labPath = `/labs/${encodeURIComponent(options.lab)}`;
    this.#adminToken = options.adminToken;
  }

  async #send(request: HttpRequest, accept: readonly number[] = [200]): Promise<HttpAnswer> {
    const answer = await this.#pools.send(this.#base, request);
    if (accept.includes(answer.status)) return answer;
    return this.#refused(request, answer);
  }

  /** Throws the server's refusal as an HttpLabError that says what was asked and what it answered. */
  #refused(request: HttpRequest, answer: HttpAnswer): never {
    const body = isObject(answer.body) ? answer.body : {};
    const error = typeof body.error === 'string' ? body.error : undefined;
    const said = typeof body.message === 'string' ? body.message : answer.text.trim().slice(0, 200);
    const hint =
      answer.status === 401 || answer.status === 403
        ? ' (the adminToken option must be the server’s LAB_ADMIN_TOKEN)'
        : '';
    throw new HttpLabError(
      `${request.method} ${this.#base.text}${request.path} answered ${answer.status}${error ? ` ${error}` : ''}: ${said}${hint}`,
      answer.status,
      error,
    );
  }

  #unexpected(request: HttpRequest, answer: HttpAnswer, wanted: string): never {
    throw new HttpLabError(
      `${request.method} ${this.#base.text}${request.path} answered ${answer.status} without ${wanted}: ${answer.text.slice(0, 200)}`,
      answer.status,
      undefined,
    );
  }

  /** Seeds this lab with the scenario's initial state (`POST /admin/reset`) and clears the replica's history. */
  async reset(scenario: ScenarioName): Promise<HttpReset> {
    const token = this.#adminToken;
    if (token === undefined)
      throw new TypeError(
        `resetting ${this.#lab} on ${this.#base.text} needs the server's admin token: pass adminToken (its LAB_ADMIN_TOKEN)`,
      );
    const request: HttpRequest = {
      method: 'POST',
      path: '/admin/reset',
      json: { scenario, lab: this.#lab },
      bearer: token,
    };
    const answer = await this.#send(request);
    const body = isObject(answer.body) ? answer.body : {};
    if (!isState(body.initialState) || !Array.isArray(body.labs))
      this.#unexpected(request, answer, 'the initial state');
    return { scenario, labs: body.labs as string[], initialState: body.initialState };
  }

  /** The account, or undefined when the server says it does not exist. */
  async readAccount(id: number): Promise<Account | undefined> {
    const request: HttpRequest = { method: 'GET', path: `${this.#labPath}/accounts/${id}` };
    const answer = await this.#send(request, [200, 404]);
    const body = isObject(answer.body) ? answer.body : {};
    if (answer.status === 404) {
      // Only the subject is missing when the server says not_found; an unknown lab is an error.
      if (body.error === 'not_found') return undefined;
      this.#refused(request, answer);
    }
    if (!Number.isSafeInteger(body.id) || !Number.isSafeInteger(body.balance))
      this.#unexpected(request, answer, 'an account');
    return body as unknown as Account;
  }

  /** The item, or undefined when the server says it does not exist. */
  async readItem(sku: string): Promise<StockItem | undefined> {
    const request: HttpRequest = { method: 'GET', path: `${this.#labPath}/items/${encodeURIComponent(sku)}` };
    const answer = await this.#send(request, [200, 404]);
    const body = isObject(answer.body) ? answer.body : {};
    if (answer.status === 404) {
      if (body.error === 'not_found') return undefined;
      this.#refused(request, answer);
    }
    if (typeof body.sku !== 'string' || !Number.isSafeInteger(body.available))
      this.#unexpected(request, answer, 'an item');
    return body as unknown as StockItem;
  }

  /**
   * The server's checkers on the current state and ledger (`GET /labs/:lab/check`), against the
   * scenario given, or the one this replica was last reset to. `history: 'ledger'` judges from
   * the shared ledger alone (replicas behind one URL).
   */
  async check(
    options: { readonly scenario?: ScenarioName; readonly history?: 'local' | 'ledger' } = {},
  ): Promise<HttpCheck> {
    const query = new URLSearchParams();
    if (options.scenario) query.set('scenario', options.scenario);
    if (options.history) query.set('history', options.history);
    const suffix = query.size > 0 ? `?${query}` : '';
    const request: HttpRequest = { method: 'GET', path: `${this.#labPath}/check${suffix}` };
    const answer = await this.#send(request);
    const body = isObject(answer.body) ? answer.body : {};
    if (!('valid' in body) || !Array.isArray(body.violations) || !isState(body.finalState))
      this.#unexpected(request, answer, 'a verdict');
    return body as unknown as HttpCheck;
  }

  /**
   * Every ledger row of the lab (`GET /labs/:lab/ledger`), shared by all replicas; its op ids are
   * the server's (HttpExchange.serverOpId). The pools' maxResponseBytes bounds how many rows fit.
   */
  async readLedger(): Promise<LedgerEntry[]> {
    const request: HttpRequest = { method: 'GET', path: `${this.#labPath}/ledger` };
    const answer = await this.#send(request);
    const rows = isObject(answer.body) ? answer.body.rows : undefined;
    if (!Array.isArray(rows)) this.#unexpected(request, answer, 'the ledger rows');
    return rows.map(
      (row: Record<string, unknown>) => ({ ...row, at: new Date(String(row.at)) }) as LedgerEntry,
    );
  }

  /** The whole final state, as the server's check reads it. */
  async readState(scenario?: ScenarioName): Promise<State> {
    return (await this.check(scenario ? { scenario } : {})).finalState;
  }
}
