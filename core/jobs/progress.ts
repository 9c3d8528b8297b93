/** A job's row gets its progress at most this often; listeners in this process get every call. */
const PROGRESS_WRITE_MS = 250;

/** `null`: nothing new, just write what the record holds now. */
type Write = (update: { progress: number; message: string | null } | null, persist: boolean) => void;

/**
 * A job handle's `progress()`: every call goes to `write` at once, marked for the row at most
 * every 250 ms; a call inside the window is followed by a trailing row write when the window ends,
 * so the row (which other nodes sharing the store follow) never stays behind the last call.
 */
export function throttledProgress(write: Write): (percent: number, message?: string) => void {
  let lastWrite = 0;
  let trailing: NodeJS.Timeout | null = null;
  return (percent, message) => {
    const progress = Math.max(0, Math.min(100, Math.round(Number(percent) * 10) / 10));
    const t = Date.now();
    const persist = t - lastWrite >= PROGRESS_WRITE_MS;
    if (persist) lastWrite = t;
    write({ progress, message: message ?? null }, persist);
    if (!persist && !trailing) {
      trailing = setTimeout(
        () => {
          trailing = null;
          lastWrite = Date.now();
          write(null, true);
        },
        PROGRESS_WRITE_MS - (t - lastWrite),
      );
      trailing.unref();
    }
  };
}
