// Type-checked by tests/edge/types.test.mjs (tsc --noEmit) against
// pkg/edge.d.ts through the package's `exports`; never executed.
import { cognitoEdge, honoMiddleware, type CognitoEdgeOptions, type EdgeAuth, type EdgeHandler } from "cognito-wasm/edge";

interface Env {
  CLIENT_SECRET: string;
  COOKIE_SECRET: string;
  COOKIE_SECRET_OLD?: string;
}

const options = (env: Env): CognitoEdgeOptions => ({
  userPoolId: "us-east-1_abc",
  clientId: "client",
  clientSecret: env.CLIENT_SECRET,
  domain: "https://example.auth.us-east-1.amazoncognito.com",
  cookieSecret: [env.COOKIE_SECRET, env.COOKIE_SECRET_OLD],
  publicPaths: ["/", /^\/assets\//],
  rules: [{ path: "/api/*", api: true, scopes: ["email"] }, { path: (p) => p.startsWith("/admin"), groups: ["admins"] }],
  cookie: { domain: "example.com" },
  passwordSignIn: true,
  jwks: { store: "JWKS_KV", penalty: 60 },
  next: (request: Request, _env: Env, _ctx: unknown, auth: EdgeAuth | null) =>
    new Response(`${request.url} ${auth?.username ?? ""} ${auth?.groups.join(",") ?? ""}`),
});

const edge: EdgeHandler = cognitoEdge(options);

export default {
  async fetch(request: Request, env: Env, ctx: { waitUntil(p: Promise<unknown>): void }): Promise<Response> {
    const r: Response | null = await edge(request, env, ctx);
    if (r) return r;
    const ctxResult = edge.context(request);
    const claims: Record<string, unknown> | undefined = ctxResult?.auth?.claims;
    return edge.respond(request, new Response(JSON.stringify(claims ?? null)));
  },
};

export async function manual(request: Request): Promise<Response> {
  const bare = cognitoEdge({ userPoolId: "us-east-1_abc", clientId: "c", cookieSecret: "x".repeat(32) });
  const result = await bare.authenticate(request);
  if (result.response) return result.response;
  const forwarded: Request = result.request;
  return bare.finish(result, await fetch(forwarded));
}

export const middleware = honoMiddleware(edge, { key: "auth" });
const n: number = edge.stats.network;
void n;
