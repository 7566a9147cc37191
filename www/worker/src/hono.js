// The same protection as src/index.js, as Hono middleware. Run it with
// `npx wrangler dev src/hono.js` (same wrangler.toml vars and secrets).
import { Hono } from "hono";
import { cognitoEdge, honoMiddleware } from "cognito-wasm/edge";

const edge = cognitoEdge((env) => ({
  userPoolId: env.USER_POOL_ID,
  clientId: env.CLIENT_ID,
  clientSecret: env.CLIENT_SECRET,
  domain: env.COGNITO_DOMAIN,
  endpoint: env.COGNITO_ENDPOINT || undefined,
  cookieSecret: [env.COOKIE_SECRET, env.COOKIE_SECRET_OLD],
  publicPaths: ["/"],
  rules: [
    { path: "/api/admin*", api: true, groups: ["admins"] },
    { path: "/api/*", api: true },
  ],
}));

const app = new Hono();
app.use("*", honoMiddleware(edge));
app.get("/", (c) => c.html(`<h1>Hono + cognito-wasm/edge</h1><p><a href="/app">protected page</a></p>`));
app.get("/app", (c) => c.html(`<h1>Hello ${c.get("cognito")?.username ?? "?"}</h1>`));
app.get("/api/me", (c) =>
  c.json({ claims: c.get("cognito")?.claims ?? null, header: c.req.header("x-cognito-claims") ?? null, cookie: c.req.header("cookie") ?? null }),
);
app.get("/api/admin", (c) => c.json({ admin: c.get("cognito")?.username }));

export default app;
