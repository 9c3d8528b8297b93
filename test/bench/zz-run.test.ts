import { it } from 'vitest';
import { main } from './regenerate.bench.js';
it('bench', async () => { await main(); }, 1_500_000);
