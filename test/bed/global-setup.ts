// vitest globalSetup: start the real services that the selected spec files ask for with
// useServices(...), hand their connection details to the workers, stop them all at teardown.
//
// Env: VELOPANEL_BED_SERVICES=all|a,b  start these too · VELOPANEL_BED_DISABLE=a,b  pretend they
// are unavailable · VELOPANEL_BED_KEEP=1  keep temp dirs · CI=1  unavailable service fails its file ·
// VELOPANEL_BED_PEBBLE_HTTP_PORT=n  port pebble validates HTTP-01 on (default: a free one, published
// as bed.pebble.httpPort). The JSON of all connection details is at $VELOPANEL_BED_INFO.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject, TestSpecification } from 'vitest/node';
import { Bed } from './lifecycle.js';
import { bedTempDir, removeDir } from './proc.js';
import { neededServices, selectedFiles } from './select.js';
import './types.js';

function log(line: string): void {
  process.stderr.write(`[test-bed] ${line}\n`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = Date.now();
  const bed = new Bed();
  // JSON copy for processes that cannot inject() (e.g. a panel spawned by an e2e test)
  const stateDir = bedTempDir('state');
  const stateFile = join(stateDir, 'services.json');
  const publish = () => {
    project.provide('velopanelBed', bed.state);
    writeFileSync(stateFile, JSON.stringify(bed.state, null, 2), { mode: 0o600 });
  };
  try {
    const needed = neededServices(selectedFiles(project));
    await bed.start(needed);
    publish();
    process.env.VELOPANEL_BED_INFO = stateFile;
    if (needed.length) log(`${bed.summary()} — ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  } catch (e) {
    await bed.stopAll().catch(() => undefined);
    removeDir(stateDir);
    throw e;
  }

  // watch mode: a rerun may select files that need services not started yet
  project.onTestsRerun(async (specs: TestSpecification[]) => {
    const before = Object.keys(bed.state.services).length;
    await bed.start(neededServices(specs.map((s) => s.moduleId)));
    if (Object.keys(bed.state.services).length !== before) {
      publish();
      log(bed.summary());
    }
  });

  return async () => {
    const t1 = Date.now();
    const slowest = await bed.stopAll();
    removeDir(stateDir);
    if (Object.keys(bed.state.services).length)
      log(`stopped in ${((Date.now() - t1) / 1000).toFixed(1)}s (${slowest})`);
  };
}
