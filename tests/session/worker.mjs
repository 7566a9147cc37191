// A module Worker for tests/session/workerd.test.mjs: signs in against the
// emulator, moves its clock past expiry, and calls getTokens() 100 times at
// once. Body: { endpoint, userPoolId, clientId, username, password }.
import { CognitoAuth } from "cognito-wasm";

export default {
  async fetch(request) {
    const o = await request.json();
    const realNow = Date.now;
    try {
      const auth = new CognitoAuth({ userPoolId: o.userPoolId, clientId: o.clientId, endpoint: o.endpoint });
      const events = [];
      for (const t of ["signedIn", "tokenRefresh", "tokenRefreshFailure", "sessionExpired", "signedOut"]) auth.on(t, () => events.push(t));
      const step = await auth.signIn({ username: o.username, password: o.password });
      Date.now = () => realNow() + 3600_000; // the access token has expired
      const all = await Promise.all(Array.from({ length: 100 }, () => auth.getTokens()));
      Date.now = realNow;
      await auth.signOut();
      return Response.json({
        done: step.done,
        first: step.tokens.accessToken,
        distinct: new Set(all.map((t) => t.accessToken)).size,
        refreshed: all[0].accessToken,
        events,
      });
    } catch (e) {
      return Response.json({ error: e.code ?? String(e), message: e.message }, { status: 500 });
    } finally {
      Date.now = realNow;
    }
  },
};
