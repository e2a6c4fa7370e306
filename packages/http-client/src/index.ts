export type { AnswerShape } from './answer-outcome.ts';
export {
  BALANCE_ANSWER,
  basketAnswer,
  outcomeOfAnswer,
  RESERVATION_ANSWER,
  serverOpIdOf,
  TRANSFER_ANSWER,
} from './answer-outcome.ts';
export type { HttpExchange, HttpSessionOptions } from './http-lab-session.ts';
export { openHttpSession } from './http-lab-session.ts';
export type { HttpCheck, HttpLabStoreOptions, HttpReset } from './http-lab-store.ts';
export { HttpLabError, HttpLabStore } from './http-lab-store.ts';
export type { BaseUrl, HttpAnswer, HttpClientOptions, HttpRequest } from './http-pools.ts';
export {
  HTTP_CLIENT_DEFAULTS,
  HttpPools,
  HttpTransportError,
  parseBaseUrl,
  resolveHttpClientOptions,
} from './http-pools.ts';
export type { HttpRunStoreOptions } from './http-run-store.ts';
export { httpRunStore } from './http-run-store.ts';
export type { HttpScenarioRun } from './http-scenario-run.ts';
export { runScenarioOverHttp } from './http-scenario-run.ts';
