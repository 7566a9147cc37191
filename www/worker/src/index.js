// Example Worker: a static page and an API, protected by cognito-wasm/edge.
// The browser gets one encrypted HttpOnly session cookie; the page and the
// API (this Worker's own code here, or an origin behind it) receive the
// verified claims in the `x-cognito-claims` header, never the cookie.
//
//   /             public home page
//   /app          protected page (hosted-UI sign-in, cookie session)
//   /api/public   public API (claims if signed in)
//   /api/me       claims as the API sees them (cookie session or Bearer)
//   /api/admin    needs the `admins` group
//   /api/mail     needs the `email` scope
//   /auth/callback, /auth/sign-out, /auth/sign-in (POST)   handled by cognito-wasm/edge
import { cognitoEdge } from "cognito-wasm/edge";
import { appPage, homePage } from "./pages.js";

const edge = cognitoEdge((env) => ({
  userPoolId: env.USER_POOL_ID,
  clientId: env.CLIENT_ID,
  clientSecret: env.CLIENT_SECRET, // `wrangler secret put CLIENT_SECRET`
  domain: env.COGNITO_DOMAIN, // https://<prefix>.auth.<region>.amazoncognito.com, or the emulator
  endpoint: env.COGNITO_ENDPOINT || undefined, // the emulator only: issuer base
  jwksUri: env.JWKS_URI || undefined, // default <issuer>/.well-known/jwks.json
  cookieSecret: [env.COOKIE_SECRET, env.COOKIE_SECRET_OLD], // current first; old ones still open cookies
  refreshMargin: env.REFRESH_MARGIN === undefined ? undefined : Number(env.REFRESH_MARGIN),
  passwordSignIn: true, // POST /auth/sign-in: SRP in the Worker, for the home page's own form
  publicPaths: ["/", "/favicon.ico"],
  rules: [
    { path: "/api/public", public: true }, // signed in or not; claims passed on when there are any
    { path: "/api/admin*", api: true, groups: ["admins"] },
    { path: "/api/mail*", api: true, scopes: ["email"] },
    { path: "/api/*", api: true },
  ],
  jwks: { store: env.JWKS_KV ? "JWKS_KV" : undefined }, // KV if bound, else the Cache API
  // What an allowed request reaches: an origin (`fetch(request)`) or, here, this Worker.
  next: (request) => app(request),
}));

function app(request) {
  const url = new URL(request.url);
  const raw = request.headers.get("x-cognito-claims");
  const claims = raw ? JSON.parse(raw) : null;
  if (url.pathname === "/") return html(homePage(claims));
  if (url.pathname === "/app") return html(appPage(claims));
  if (url.pathname.startsWith("/api/")) {
    return Response.json({
      path: url.pathname,
      claims,
      // What the origin saw: no session cookie, no client-sent claims header.
      cookie: request.headers.get("cookie"),
    });
  }
  return new Response("not found", { status: 404 });
}

const html = (body) => new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } });

export default { fetch: edge };
