// The BIND engine (zone files + rndc) against a real named: the same dns-servers conformance
// suite the PowerDNS engine passes, unchanged.
import { describe } from 'vitest';
import { SystemExec } from '../../../core/exec.js';
import { BindEngine } from '../engines/bind.js';
import { dnsServerSuite } from '../../../sdk/testing/index.js';
import { useServices } from '../../../test/bed/index.js';
import { dig } from '../../../test/bed/helpers/pdns.js';

const bed = useServices('named');

describe.skipIf(bed.skip)('BIND engine', () => {
  dnsServerSuite.run('bind', () => ({
    engine: new BindEngine({ zoneDir: bed.named.zoneDir, rndc: bed.named.rndc, exec: new SystemExec() }),
    resolve: (name, type) => dig(bed.named, name, type),
  }));
});
