// The built panel (dist/) as a child process for crash tests: started like the test harness
// starts one in-process (options as JSON in argv[2]), it prints one `READY {url, tokens}` line.
// VELOPANEL_FAILPOINTS in its environment arms the failpoint it is meant to die at.
import { startTestPanel } from '../../dist/sdk/testing/harness.js';

const panel = await startTestPanel(JSON.parse(process.argv[2]));
process.stdout.write(`READY ${JSON.stringify({ url: panel.url, tokens: panel.tokens })}\n`);
