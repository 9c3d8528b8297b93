// Runs s3rver in its own node process so it outlives any one test file (started by s3.ts).
// argv: port directory bucket. Exits on SIGTERM/SIGINT and when the parent's IPC channel closes.
import S3rver from 's3rver';

const [port, directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  port: Number(port),
  address: '127.0.0.1',
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});
const quit = () => process.exit(0);
process.on('SIGTERM', quit);
process.on('SIGINT', quit);
process.on('disconnect', quit);
process.channel?.unref();
await server.run();
console.log(`s3rver listening on 127.0.0.1:${port}`);
