// cognito-wasm/edge: protect a site or an API from a fetch handler
// (Cloudflare Workers, Deno, Node ≥ 20). Hand-written; keep in sync with
// pkg/edge/core.js.

/** A path pattern: `"/exact"`, `"/prefix*"`, a RegExp, or a predicate on the pathname. */
export type PathPattern = string | RegExp | ((pathname: string) => boolean);

/** A per-path rule; the first whose `path` matches applies (default: signed in). */
export interface EdgeRule {
  path: PathPattern;
  /** Anyone may pass; claims are passed on when there is a valid session or token. */
  public?: boolean;
  /** An API route: without a session, 401 JSON instead of a redirect to sign in. */
  api?: boolean;
  /** At least one of these `cognito:groups` (else 403). */
  groups?: string[];
  /** At least one of these scopes in the access token (else 403). */
  scopes?: string[];
}

/** A KV namespace as Workers bind it (only `get` and `put` are used). */
export interface KvLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
}

/** What a request that may go on carries: the verified claims and where they came from. */
export interface EdgeAuth {
  /** `"session"`: the encrypted cookie; `"bearer"`: an `Authorization: Bearer` token. */
  source: "session" | "bearer";
  /** The access token's claims (or the Bearer token's, ID or access per `bearerTokenUse`). */
  claims: Record<string, unknown> & { sub: string };
  /** Cookie sessions: the ID token's claims. */
  idClaims?: Record<string, unknown> | null;
  username?: string;
  groups: string[];
  scopes: string[];
}

export interface CognitoEdgeOptions {
  /** `<region>_<id>`. */
  userPoolId: string;
  /** The app client (a confidential one: the Worker keeps its secret). */
  clientId: string;
  /** From a Worker secret binding. Sent with HTTP Basic to the token and revoke endpoints. */
  clientSecret?: string;
  /** The hosted-UI domain (`https://<prefix>.auth.<region>.amazoncognito.com`, a custom domain, or the emulator). Default: `endpoint`. */
  domain?: string;
  /** An emulator or proxy: the issuer is `<endpoint>/<userPoolId>`. */
  endpoint?: string;
  /** The `iss` to require, when neither Cognito's nor `<endpoint>/<userPoolId>`. */
  issuer?: string;
  /** Default `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string;
  /**
   * The key(s) cookies are sealed with (AES-256-GCM, key by HKDF-SHA256), at
   * least 32 characters each, from a Worker secret. A list: the first seals,
   * all open (rotation: put the new secret first, keep the old one a while).
   * Empty entries are ignored.
   */
  cookieSecret: string | Array<string | undefined | null>;
  /** Default `/auth/callback`; `<origin><callbackPath>` must be a callback URL of the app client. */
  callbackPath?: string;
  /** Default `/auth/sign-out` (GET or POST). */
  signOutPath?: string;
  /**
   * Opt-in: `POST <signInPath>` (default `/auth/sign-in`) with `{ username,
   * password, returnTo? }` (JSON or a form) runs USER_SRP_AUTH in the Worker
   * against the Cognito API (`endpoint`, or the region's), then `{ code }`
   * (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SMS_OTP) or `{ newPassword }`
   * (NEW_PASSWORD_REQUIRED) for a challenge, the pending step in a sealed
   * 5-minute cookie. Answers JSON: `{ done: true, redirect }` with the
   * session cookie, `{ done: false, next }`, or `{ error, message }` (401
   * for Cognito's NotAuthorizedException, 403 cross-site, 503 unreachable).
   * Such sessions refresh with REFRESH_TOKEN_AUTH.
   */
  passwordSignIn?: boolean;
  signInPath?: string;
  /** Instead of `<origin><callbackPath>`. */
  redirectUri?: string;
  /** Where Cognito's `/logout` sends the user; default `<origin>/`; must be a sign-out URL of the app client. */
  logoutUri?: string;
  /** Scopes asked of the hosted UI; default `openid email profile`. */
  scopes?: string[];
  /** Paths anyone may open (no claims passed when signed out). */
  publicPaths?: PathPattern[];
  rules?: EdgeRule[];
  /**
   * The session cookie: name (default `__Host-cognito-session`, or
   * `__Secure-cognito-session` with a domain or a path other than `/`),
   * domain, path (default `/`). Always HttpOnly, Secure, SameSite=Lax;
   * chunked as `<name>`, `<name>.1`, … past ~3.8 KB.
   */
  cookie?: { name?: string; domain?: string; path?: string };
  /** Seconds a session lasts from sign-in, refreshes included (default 30 days; Cognito's refresh token may end it sooner). */
  sessionLifetime?: number;
  /** Refresh when the access token expires within this many seconds (default 30). */
  refreshMargin?: number;
  /** Tolerated clock skew on Bearer tokens' `exp`/`nbf`, seconds (default 0). */
  graceSeconds?: number;
  /** The header the origin receives the verified claims in, as JSON (default `x-cognito-claims`); a client-sent one is always removed. */
  claimsHeader?: string;
  /** Accept `Authorization: Bearer` (default true). */
  bearer?: boolean;
  /** Which token a Bearer must be: `"access"` (default), `"id"`, or `null` for either. */
  bearerTokenUse?: "access" | "id" | null;
  /** Clients whose Bearer tokens are accepted (default `[clientId]`). */
  bearerClientIds?: string[] | null;
  /**
   * Bearer verdicts kept per isolate: a token that verified is accepted
   * again until its `exp` without redoing the signature (default 1000
   * tokens, least recently used dropped; 0 turns it off). Only successes.
   */
  verdictCache?: number;
  /** Remove the `Authorization` header of a verified Bearer request before passing it on (default false). */
  bearerDropAuthorization?: boolean;
  /**
   * JWKS caching across isolates: `store` is a KV namespace, the name of a
   * KV binding in `env`, `false` (memory only) or, by default, the Cache API
   * (`caches.default`; a no-op on `*.workers.dev`, use KV there). `penalty`:
   * seconds between network refetches for unknown `kid`s (default 60);
   * `maxAge`: seconds a stored JWKS is used (default 86400).
   */
  jwks?: { store?: KvLike | string | false; penalty?: number; maxAge?: number };
  /** A `fetch` for the token, revoke and JWKS requests. */
  fetch?: typeof fetch;
  /**
   * Where an allowed request goes: the forwarded request (claims header set,
   * the session cookie and any client-sent claims header removed). Without
   * it the handler resolves to `null` for allowed requests.
   */
  next?: (request: Request, env: any, ctx: any, auth: EdgeAuth | null) => Response | Promise<Response>;
}

/** The outcome of {@link EdgeHandler.authenticate}. */
export type EdgeResult =
  | { response: Response; request?: undefined; auth?: undefined; cookies?: undefined }
  | { response?: undefined; request: Request; auth: EdgeAuth | null; cookies: string[] };

/**
 * `(request, env, ctx)` → a Response (redirect, callback, sign-out, 401/403,
 * or `next`'s answer with any refreshed session cookie), or `null`: allowed,
 * and no `next` option; then `handler.context(request)` has the forwarded
 * request and claims and `handler.respond(request, response)` adds a
 * refreshed session cookie to your response.
 */
export interface EdgeHandler {
  (request: Request, env?: any, ctx?: { waitUntil(promise: Promise<unknown>): void }): Promise<Response | null>;
  authenticate(request: Request, env?: any, ctx?: { waitUntil(promise: Promise<unknown>): void }): Promise<EdgeResult>;
  /** Adds a result's Set-Cookie headers to a response. */
  finish(result: EdgeResult, response: Response): Response;
  context(request: Request): EdgeResult | null;
  respond(request: Request, response: Response): Response;
  /** JWKS network fetches this handler made (for tests and benches). */
  readonly stats: { network: number };
}

/**
 * Builds the handler. `options` may be a function of the Worker's `env`
 * (secrets and vars live there); it is called once per `env`. Static
 * options are checked at once: `CognitoError` `EmptyArgument` /
 * `InvalidArgument`.
 */
export declare function cognitoEdge(options: CognitoEdgeOptions | ((env: any) => CognitoEdgeOptions)): EdgeHandler;

/** The least of Hono's context this adapter uses (hono is not imported). */
export interface HonoLikeContext {
  req: { raw: Request };
  env: any;
  executionCtx?: { waitUntil(promise: Promise<unknown>): void };
  res: Response;
  set(key: string, value: unknown): void;
}

/** Hono middleware: `app.use("*", honoMiddleware(edge))`, then `c.get("cognito")` (an {@link EdgeAuth} or null). */
export declare function honoMiddleware(
  edge: EdgeHandler,
  options?: { key?: string },
): (c: HonoLikeContext, next: () => Promise<void>) => Promise<Response | void>;
