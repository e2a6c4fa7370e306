import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium, or LAB_CHROMIUM when set (playwright's own browser download cannot work here). */
export const CHROMIUM_PATH = process.env.LAB_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium without any of its own network traffic: without the background
 * networking flags it tries to reach update and sync services, which a closed network refuses.
 */
export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: run scripts/install-chromium.sh, or set LAB_CHROMIUM to one`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
};
