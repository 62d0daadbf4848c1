/** Back-pressure for a stub server streaming a big answer: resolves on 'drain', or at once when the client hangs up ('close'). */
import type { ServerResponse } from 'node:http';

export function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise<void>((r) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      r();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
