/** Panel roles: admin (everything), reseller (its own accounts), user (one hosting account). */
export type Role = 'admin' | 'reseller' | 'user';

/**
 * The authenticated caller of a request. `scopes` is null for a login session (full rights of the
 * role) and the granted list for an API token.
 */
export interface Principal {
  userId: number;
  username: string;
  role: Role;
  /** For a reseller: its own id. For a user: the reseller owning its account, if any. */
  resellerId: number | null;
  /** For a `user` login: the resource it is bound to (e.g. `account:7`). */
  subject: string | null;
  scopes: string[] | null;
  /** Id of the API token used, when the request used one. */
  tokenId: number | null;
  /**
   * Set on a session an admin or reseller opened as this login ("open as this account"): who is
   * really acting. Such a session may not change how the login signs in (see `RouteAccess.credentials`).
   */
  impersonator?: { userId: number; username: string } | null;
}

/**
 * A resource a route acts on, as the owning plugin describes it, so the kernel can check
 * ownership the same way for every plugin.
 */
export interface OwnedResource {
  /** Stable reference, e.g. `account:7`. A `user` principal may act only when it equals its subject. */
  ref: string;
  /** The reseller owning it (null when owned by the admin). */
  resellerId: number | null;
}
