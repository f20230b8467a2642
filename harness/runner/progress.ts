/** Progress of a diagnose run: a bar with ETA on a TTY, plain lines otherwise. */
export function progressPrinter(stream: NodeJS.WriteStream, total: number): (p: { done: number; failed: number }) => void {
  const start = Date.now();
  let lastPlain = -1;
  return ({ done, failed }) => {
    const elapsed = (Date.now() - start) / 1000;
    const eta = done > 0 ? Math.max(0, (elapsed / done) * (total - done)) : NaN;
    const etaText = Number.isFinite(eta) ? `${eta.toFixed(1)}s` : '?';
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} runs, ${failed} failed, ETA ${etaText} `);
      if (done === total) stream.write('\n');
      return;
    }
    const step = Math.max(1, Math.floor(total / 10));
    if (done === total || done - lastPlain >= step) {
      lastPlain = done;
      stream.write(`progress: ${done}/${total} runs done, ${failed} failed, ETA ${etaText}\n`);
    }
  };
}
