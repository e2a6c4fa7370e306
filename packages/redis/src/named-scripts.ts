import { readFileSync } from 'node:fs';
import { FAIL_REASONS, type FailReason, fail, type Outcome } from '@concurrency-lab/model';
import type { Redis } from 'ioredis';

/**
 * A Lua script and how many of its leading arguments are keys (the rest are ARGV); without a
 * number, each call passes it first (a script over as many keys as the call has, e.g. a basket's items).
 */
export interface LuaScript {
  readonly lua: string;
  readonly numberOfKeys?: number;
}

/** Reads a Lua file, typically one beside the caller: `luaScript(new URL('./x.lua', import.meta.url), 2)`. */
export const luaScript = (file: URL, numberOfKeys?: number): LuaScript => ({
  lua: readFileSync(file, 'utf8'),
  ...(numberOfKeys === undefined ? {} : { numberOfKeys }),
});

/**
 * Defines each script as a command of its name on `redis` (once per connection): ioredis sends
 * EVALSHA, and EVAL once when the server answers NOSCRIPT (after a restart or SCRIPT FLUSH). `C` is
 * the commands' signatures; the cast is the one place that tells the compiler defineCommand added them.
 */
export const withScripts = <C extends object>(
  redis: Redis,
  scripts: Readonly<Record<keyof C, LuaScript>>,
) => {
  for (const [name, script] of Object.entries(scripts) as Array<[string, LuaScript]>) {
    if (typeof (redis as unknown as Record<string, unknown>)[name] !== 'function') {
      redis.defineCommand(name, script);
    }
  }
  return redis as Redis & C;
};

/** A script's refusal: nothing changed, for the reason given. */
export type FailReply = readonly ['fail', string];

/** The `fail` outcome of a script's refusal; a reason the model does not know is an error, not a guess. */
export const scriptFailure = (reply: FailReply): Outcome<never> => {
  const reason = reply[1];
  if (!(FAIL_REASONS as readonly string[]).includes(reason)) {
    throw new Error(`a Lua script replied with an unknown failure reason: ${JSON.stringify(reply)}`);
  }
  return fail(reason as FailReason);
};
