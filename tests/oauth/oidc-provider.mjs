// oidc-provider (npm), a certified OpenID provider, mounted on Amazon
// Cognito's hosted-UI paths with PKCE required, for tests/oauth_oidc_provider.rs.
// Listens on a free port on 127.0.0.1 and prints {"port": N} on stdout.
// The test kills it when done.
import http from "node:http";
import Provider from "oidc-provider";

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [
      {
        client_id: "spa",
        token_endpoint_auth_method: "none",
        redirect_uris: ["https://app.example/cb"],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
      },
      {
        client_id: "m2m",
        // Characters that RFC 6749 §2.3.1 form-encodes inside HTTP Basic (all
        // VSCHAR, RFC 6749 Appendix A.2, which oidc-provider enforces).
        client_secret: "m2m secret/+:%&=~-0123456789abcdef0123456789",
        token_endpoint_auth_method: "client_secret_basic",
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
      },
    ],
    routes: {
      authorization: "/oauth2/authorize",
      token: "/oauth2/token",
      userinfo: "/oauth2/userInfo",
      revocation: "/oauth2/revoke",
      jwks: "/.well-known/jwks.json",
      end_session: "/logout",
    },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
    },
    scopes: ["openid", "email", "offline_access", "api:read"],
    claims: { openid: ["sub"], email: ["email"] },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: `${id}@example.com` }),
    }),
    cookies: { keys: ["test-only-cookie-key"] },
  });
  server.on("request", provider.callback());
  process.stdout.write(JSON.stringify({ port }) + "\n");
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
