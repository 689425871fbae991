// A real S3-compatible server for the s3 storage provider's tests: s3rver (a dev dependency, so it is
// there wherever `npm ci` ran — CI included — and the tests never skip), run as a child process on a
// free port with its own data directory, like an object store beside the application.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort, ROOT } from './process.js';

/** s3rver's built-in account: the only credentials it signs with. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TestS3 {
  endpoint: string;
  bucket: string;
  client: S3Client;
  /** The environment that points Folio's s3 provider at this server. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts the server, creates `bucket` once it answers, and answers when both are done. */
export async function startTestS3(bucket: string): Promise<TestS3> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const directory = await mkdtemp(path.join(tmpdir(), 'folio-s3-'));
  const bin = path.join(ROOT, 'node_modules', 's3rver', 'bin', 's3rver.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, '-d', directory, '-a', '127.0.0.1', '-p', String(port), '-s'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: CREDENTIALS });
  const stop = async () => {
    client.destroy();
    child.kill();
    await rm(directory, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      const env = {
        S3_BUCKET: bucket,
        S3_REGION: 'us-east-1',
        S3_ENDPOINT: endpoint,
        S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      };
      return { endpoint, bucket, client, env, stop };
    } catch {
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await stop();
  throw new Error(`the S3 test server did not start on ${endpoint}: ${stderr.trim() || 'no output'}`);
}
