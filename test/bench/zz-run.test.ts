import { it } from 'vitest';
import { main } from './regenerate.bench.js';
it('bench', async () => { console.log('RESULT ' + JSON.stringify(await main())); }, 900_000);
