// Entry point bench/run-all.sh picks up (bench/*/run.ts): the ESL ingest benchmark.
import { runIngestBench } from './ingest.ts';

await runIngestBench();
process.exit(0);
