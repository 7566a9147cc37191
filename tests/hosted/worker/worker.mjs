// A module Worker using the storage-free hosted-UI exports, bundled by
// tests/hosted/workerd.test.mjs under the `workerd` export condition.
// POST /client-credentials {domain, clientId, clientSecret, scopes} → the
// token response; POST /verify {options, token} → the claims. Errors come
// back as {error: code}.
import { JwtVerifier, oauth } from "cognito-wasm";

const answer = (p) => p.then((v) => Response.json(v), (e) => Response.json({ error: e.code ?? String(e) }));

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const body = await request.json();
    if (url.pathname === "/client-credentials") return answer(oauth.clientCredentials(body));
    if (url.pathname === "/verify") return answer(Promise.resolve().then(() => new JwtVerifier(body.options).verify(body.token)));
    return new Response("not found", { status: 404 });
  },
};
