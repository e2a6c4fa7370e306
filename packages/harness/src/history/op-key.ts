// A client may name its operation with a key (the `Lab-Op-Key` header over HTTP). The server's op id
// then carries the key after a dot, and so does the ledger row the change writes: the client can find
// its operation's row even when the answer never reached it (a replica killed mid-request).

/** The HTTP header that carries an operation's key (header names are case-insensitive). */
export const OP_KEY_HEADER = 'lab-op-key';

/** What a key may be: short, and nothing a log line or an id would need to escape. */
export const OP_KEY_ACCEPTED = '1 to 100 characters, each a letter, a digit, _ or -';
const OP_KEY = /^[A-Za-z0-9_-]{1,100}$/;

/** True when `key` is a key a server accepts. */
export const isOpKey = (key: string): boolean => OP_KEY.test(key);

/** The id of an op that `id` names and the client keyed with `key` (unchanged without one). */
export const keyedOpId = (id: string, key: string | undefined): string =>
  key === undefined ? id : `${id}.${key}`;

/** The client's key in a server's op id, or undefined when the client gave none (ids have no dot otherwise). */
export const opKeyOf = (id: string): string | undefined => {
  const dot = id.indexOf('.');
  return dot < 0 ? undefined : id.slice(dot + 1);
};
