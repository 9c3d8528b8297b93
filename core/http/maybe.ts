/** A value now or later: the request path stays synchronous until a step really waits. */
export type Maybe<T> = T | Promise<T>;

/** True for a promise or any thenable. */
export function isPromise<T>(v: Maybe<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** `f(v)` now when `v` is a value, after it settles when it is a promise (no microtask otherwise). */
export function andThen<T, R>(v: Maybe<T>, f: (value: T) => Maybe<R>): Maybe<R> {
  return isPromise(v) ? v.then(f) : f(v);
}
