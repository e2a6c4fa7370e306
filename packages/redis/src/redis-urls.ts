/** How many independent nodes the redlock lab uses when it starts its own (quorum: 3). */
export const REDLOCK_NODE_COUNT = 5;

const REDIS_URL = /^rediss?:\/\/\S+$/;

/** Checks one Redis URL from the environment; the message names the variable. */
export const checkRedisUrl = (url: string, variable: string): string => {
  if (!REDIS_URL.test(url)) {
    throw new Error(
      `${variable} must be a redis:// or rediss:// URL (for example redis://127.0.0.1:6379); got ${url}`,
    );
  }
  return url;
};

/**
 * The Redlock node URLs of a comma-separated list such as LAB_REDLOCK_URLS: at least three,
 * all different (one server named twice would vote twice and make the quorum a lie).
 */
export const parseRedlockUrls = (list: string, variable = 'LAB_REDLOCK_URLS'): string[] => {
  const urls = list
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '')
    .map((url) => checkRedisUrl(url, variable));
  if (urls.length < 3) {
    throw new Error(
      `${variable} must list at least 3 (normally ${REDLOCK_NODE_COUNT}) independent Redis URLs, comma-separated; got ${urls.length}`,
    );
  }
  if (new Set(urls).size !== urls.length) {
    throw new Error(`${variable} names the same Redis twice; Redlock needs independent nodes: ${list}`);
  }
  return urls;
};
