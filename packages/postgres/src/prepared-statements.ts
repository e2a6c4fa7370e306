import { createHash } from 'node:crypto';

// Only the statements a run repeats thousands of times are worth a server-side plan; DDL and the
// migrator's one-off statements stay unnamed, so a schema change never meets a stale plan.
const REPEATED_STATEMENT = /^\s*(select|insert|update|delete|with)\b/i;

// Past this many distinct texts on one connection, statements go unnamed again: a query built with
// literals inlined would otherwise prepare a new plan on the server per call.
const MAX_PER_CONNECTION = 256;

const names = new Map<string, string>();

/** A stable name for `text`, the same in every connection (node-postgres refuses one name for two texts). */
const nameOf = (text: string): string => {
  let name = names.get(text);
  if (name === undefined) {
    name = `lab_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    // The cache only saves hashing; a bound keeps a stream of one-off texts from growing it forever.
    if (names.size >= 4096) names.clear();
    names.set(text, name);
  }
  return name;
};

/**
 * Which of a connection's parameterised statements are sent as named prepared statements: parsed and
 * planned once per connection instead of on every call, which is most of a hot-row statement's client
 * cost (kysely sends each query as text with parameters, node-postgres as an unnamed statement).
 */
export class PreparedStatements {
  readonly #prepared = new Set<string>();

  /** The name to send `text` under, or undefined to send it unnamed. */
  nameFor(text: string, values: unknown): string | undefined {
    if (!Array.isArray(values) || values.length === 0 || !REPEATED_STATEMENT.test(text)) return undefined;
    const name = nameOf(text);
    if (this.#prepared.has(name)) return name;
    if (this.#prepared.size >= MAX_PER_CONNECTION) return undefined;
    this.#prepared.add(name);
    return name;
  }
}
