// A Hono middleware over a cognitoEdge handler, with no import of hono:
//   app.use("*", honoMiddleware(edge));  then c.get("cognito") in routes.
// The forwarded request (claims header set, client-sent one and the session
// cookie removed) is what `c.req.raw` becomes for the routes after it.
export function honoMiddleware(edge, { key = "cognito" } = {}) {
  return async function cognitoMiddleware(c, next) {
    const result = await edge.authenticate(c.req.raw, c.env, safeCtx(c));
    if (result.response) return result.response;
    c.set(key, result.auth);
    c.req.raw = result.request;
    await next();
    if (result.cookies.length) for (const s of result.cookies) c.res.headers.append("set-cookie", s);
  };
}

function safeCtx(c) {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}
