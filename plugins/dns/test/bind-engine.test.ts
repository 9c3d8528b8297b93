// The BIND engine (zone files + rndc) against a real named: the same dns-servers conformance
// suite the PowerDNS engine passes, unchanged.
import { describe } from 'vitest';
import { BindEngine } from '../engines/bind.js';
import { dnsServerSuite, testExec } from '../../../sdk/testing/index.js';
import { useServices } from '../../../test/bed/index.js';
import { dig } from '../../../test/bed/helpers/pdns.js';

const bed = useServices('named');

describe.skipIf(bed.skip)('BIND engine', () => {
  dnsServerSuite.run('bind', () => ({
    engine: new BindEngine({ zoneDir: bed.named.zoneDir, rndc: bed.named.rndc, exec: testExec() }),
    resolve: (name, type) => dig(bed.named, name, type),
  }));
});
