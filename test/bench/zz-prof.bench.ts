import { it } from 'vitest';
import { main } from './regenerate.bench.js';
it('x', async () => { await main(); });
