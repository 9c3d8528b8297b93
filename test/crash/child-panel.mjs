// The built panel (dist/) as a child process for crash tests: started like the test harness
// starts one in-process (options as JSON in argv[2]), it prints one `READY {url, tokens}` line.
// VELOPANEL_FAILPOINTS in its environment arms the failpoint it is meant to die at.
import { startTestPanel } from '../../dist/sdk/testing/harness.js';

const panel = await startTestPanel(JSON.parse(process.argv[2]));
// `scratch`: the harness's own temp dir (the data lives in config.data_dir); the parent removes it.
process.stdout.write(`READY ${JSON.stringify({ url: panel.url, tokens: panel.tokens, scratch: panel.dataDir })}\n`);
