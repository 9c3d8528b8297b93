import type * as Acme from 'acme-client';

let loading: Promise<typeof Acme> | null = null;

/** acme-client (with axios) is slow to load, so it is imported on first use rather than at panel start. */
export function acmeLibrary(): Promise<typeof Acme> {
  return (loading ??= import('acme-client'));
}
