// The example's static pages (inline, so the Worker is one bundle).
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const homePage = () => `<!doctype html><meta charset="utf-8"><title>cognito-wasm edge example</title>
<h1>cognito-wasm/edge example</h1>
<p><a href="/app">Open the protected page</a> · <a href="/api/me">/api/me</a></p>`;

export const appPage = (claims) => `<!doctype html><meta charset="utf-8"><title>Protected</title>
<h1>Signed in as ${esc(claims?.username ?? "?")}</h1>
<p>Groups: ${esc((claims?.["cognito:groups"] ?? []).join(", ") || "none")}</p>
<p>This page never saw a token: the session cookie is encrypted and HttpOnly.</p>
<form method="post" action="/auth/sign-out"><button>Sign out</button></form>`;
