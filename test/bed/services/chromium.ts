// Chromium: nothing stays running. The bed only proves the binary launches through playwright-core;
// tests start their own browser with helpers/browser.ts.
import { chromium } from 'playwright-core';
import type { ChromiumInfo, Running } from '../types.js';

export const CHROMIUM_BIN = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function startChromium(): Promise<Running<ChromiumInfo>> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
  let version: string;
  try {
    version = browser.version();
  } finally {
    await browser.close();
  }
  return { info: { executablePath: CHROMIUM_BIN, args: CHROMIUM_ARGS, version }, stop: async () => undefined };
}
