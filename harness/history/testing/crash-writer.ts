/**
 * Child process for the crash test:
 * `node bin/run-ts.js harness/history/testing/crash-writer.ts <db> [firstSendId]`.
 * Writes sends with ids firstSendId, firstSendId+1, ... (and an observed row each) continuously and prints
 * `flushed <n> checkpoints <c>` after every flush that committed rows, where n is the number of sends this
 * process has committed so far. Runs until killed.
 */
import { HistoryWriter } from '../history-writer.ts';
import { sampleObserved, sampleSend } from './sample-rows.ts';

const path = process.argv[2];
if (!path) {
  console.error('usage: crash-writer.ts <history.duckdb>');
  process.exit(64);
}

const writer = await HistoryWriter.open(path, {
  flushIntervalMs: 25,
  // small, so that background checkpoints run (and may be interrupted) during the test
  checkpointWalBytes: 64 * 1024,
  onFlush: (stats) => process.stdout.write(`flushed ${stats.committed.sends} checkpoints ${stats.checkpoints}\n`),
  onError: (error) => {
    console.error(error.toLine());
    process.exit(1);
  },
});

let next = Number(process.argv[3] ?? 0);
// about 4,000 sends/s of 1 KB each
const keepWriting = setInterval(() => {
  for (let i = 0; i < 20; i++) {
    // Sends go to the journal beside the file; observed rows fill DuckDB's WAL, so checkpoints run too.
    writer.recordObserved(sampleObserved(next));
    writer.recordSend(sampleSend(next++));
  }
}, 5);
process.on('SIGTERM', () => {
  clearInterval(keepWriting);
  void writer.close();
});
