/**
 * The one base for objects that own resources (listeners, emitters, views, timers): `own` adds
 * what the object must release, `dispose` releases it once, newest first, and later calls do
 * nothing. No `vscode` import (vscode.Disposable is any `{ dispose() }`), so it is unit tested in Node.
 */

/** Anything with a dispose method: vscode.Disposable, an EventEmitter, a TreeView, another Disposable. */
export interface DisposableLike {
  dispose(): unknown;
}

export class Disposable implements DisposableLike {
  private readonly owned: DisposableLike[] = [];
  private disposedFlag = false;

  /** True once dispose() ran: late callbacks (a fetch that settles after it) check it. */
  protected get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** Takes ownership of `d`, disposed with this object; `d` itself is returned. Disposed at once after dispose(). */
  protected own<T extends DisposableLike>(d: T): T {
    if (this.disposedFlag) d.dispose();
    else this.owned.push(d);
    return d;
  }

  /** Takes ownership of several at once (listeners registered in a constructor). */
  protected ownAll(...ds: DisposableLike[]): void {
    for (const d of ds) this.own(d);
  }

  /** A cleanup function, run on dispose like an owned disposable. */
  protected onDispose(cleanup: () => void): void {
    this.own({ dispose: cleanup });
  }

  /** Releases everything owned, newest first (what was created last may use what came before); once. */
  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    const errors: unknown[] = [];
    for (const d of this.owned.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} disposables failed`);
  }
}
