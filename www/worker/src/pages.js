// The example's static pages (inline, so the Worker is one bundle).
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const homePage = () => `<!doctype html><meta charset="utf-8"><title>cognito-wasm edge example</title>
<h1>cognito-wasm/edge example</h1>
<p><a href="/app">Open the protected page</a> (hosted UI) · <a href="/api/me">/api/me</a></p>
<h2>Or sign in here (SRP runs in the Worker; no token reaches this page)</h2>
<form id="f"><input name="username" placeholder="username" autocomplete="username">
<input name="password" type="password" placeholder="password" autocomplete="current-password">
<input name="code" placeholder="code (MFA)" hidden><button>Sign in</button></form><p id="m"></p>
<script>
f.onsubmit = async (e) => {
  e.preventDefault();
  const body = Object.fromEntries(new FormData(f));
  if (!f.code.hidden) { delete body.username; delete body.password; }
  const r = await (await fetch("/auth/sign-in", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...body, returnTo: "/app" }) })).json();
  if (r.done) location.href = r.redirect;
  else if (r.next) { f.code.hidden = false; m.textContent = "Enter the code (" + r.next + ")"; }
  else m.textContent = r.message;
};
</script>`;

export const appPage = (claims) => `<!doctype html><meta charset="utf-8"><title>Protected</title>
<h1>Signed in as ${esc(claims?.username ?? "?")}</h1>
<p>Groups: ${esc((claims?.["cognito:groups"] ?? []).join(", ") || "none")}</p>
<p>This page never saw a token: the session cookie is encrypted and HttpOnly.</p>
<form method="post" action="/auth/sign-out"><button>Sign out</button></form>`;
