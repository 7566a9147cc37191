// cognito-wasm/edge: protect a site or an API from a fetch handler (Cloudflare
// Workers, Deno, Node ≥ 20), built only on the package's public API
// (`JwtVerifier`, `oauth`, `CognitoError`). The browser holds one opaque,
// encrypted, HttpOnly session cookie; tokens stay at the edge.
// See pkg/edge.d.ts for the options and README "Edge / Workers".
import { seal, open, randomId } from "./crypto.js";
import { jwksFetch } from "./jwks.js";

const MAX_COOKIE = 3800; // bytes of value per cookie, under the ~4096 limit with attributes
const MAX_CHUNKS = 8;
const TX_TTL = 600; // seconds a hosted-UI sign-in may take
const REFRESH_KEEP_MS = 10_000; // late requests carrying the pre-refresh cookie reuse the result

/** Builds `cognitoEdge` over one copy of the package's API. */
export function createEdge({ JwtVerifier, oauth, srp, CognitoError, init }) {
  const fail = (message, code = "InvalidArgument") => new CognitoError(message, code);

  // ---------------- options ----------------
  function patternOf(p) {
    if (p instanceof RegExp) return (path) => p.test(path);
    if (typeof p === "function") return p;
    if (typeof p !== "string" || !p.startsWith("/")) throw fail("edge: a path pattern must be a string starting with /, a RegExp or a function");
    if (p.endsWith("*")) {
      const prefix = p.slice(0, -1);
      return (path) => path.startsWith(prefix);
    }
    return (path) => path === p;
  }

  function normalize(o) {
    if (!o || typeof o !== "object") throw fail("cognitoEdge needs an options object (or a function of env returning one)");
    for (const k of ["userPoolId", "clientId"]) {
      if (typeof o[k] !== "string" || !o[k]) throw fail(`edge: option ${k} is required`, "EmptyArgument");
    }
    const secrets = (Array.isArray(o.cookieSecret) ? o.cookieSecret : [o.cookieSecret]).filter((s) => s !== undefined && s !== null && s !== "");
    if (!secrets.length) throw fail("edge: option cookieSecret is required (a Worker secret, at least 32 characters)", "EmptyArgument");
    for (const s of secrets) if (typeof s !== "string" || s.length < 32) throw fail("edge: every cookieSecret must be a string of at least 32 characters");
    const endpoint = o.endpoint?.replace(/\/+$/, "");
    const domain = (o.domain ?? endpoint)?.replace(/\/+$/, "");
    const region = o.userPoolId.split("_")[0];
    const issuer = o.issuer ?? (endpoint ? `${endpoint}/${o.userPoolId}` : `https://cognito-idp.${region}.amazonaws.com/${o.userPoolId}`);
    const cookieDomain = o.cookie?.domain;
    const cookiePath = o.cookie?.path ?? "/";
    // `__Host-` needs Secure, Path=/ and no Domain; otherwise `__Secure-`.
    const prefix = !cookieDomain && cookiePath === "/" ? "__Host-" : "__Secure-";
    const rules = (o.rules ?? []).map((r) => {
      if (!r || typeof r !== "object" || r.path === undefined) throw fail("edge: every rule needs a path");
      return { ...r, match: patternOf(r.path) };
    });
    const publicPaths = (o.publicPaths ?? []).map(patternOf);
    return {
      ...o,
      secrets,
      domain,
      endpoint,
      issuer,
      jwksUri: o.jwksUri ?? `${issuer}/.well-known/jwks.json`,
      callbackPath: o.callbackPath ?? "/auth/callback",
      signOutPath: o.signOutPath ?? "/auth/sign-out",
      signInPath: o.passwordSignIn ? (o.signInPath ?? "/auth/sign-in") : null,
      apiEndpoint: (o.endpoint ?? `https://cognito-idp.${region}.amazonaws.com`).replace(/\/+$/, "") + "/",
      pendingName: `${prefix}cognito-signin`,
      sessionName: o.cookie?.name ?? `${prefix}cognito-session`,
      txName: `${prefix}cognito-tx`,
      cookieDomain,
      cookiePath,
      sessionLifetime: o.sessionLifetime ?? 30 * 86400,
      refreshMargin: o.refreshMargin ?? 30,
      claimsHeader: (o.claimsHeader ?? "x-cognito-claims").toLowerCase(),
      scopes: o.scopes ?? ["openid", "email", "profile"],
      rules,
      publicPaths,
      bearer: o.bearer ?? true,
      bearerTokenUse: o.bearerTokenUse === undefined ? "access" : o.bearerTokenUse,
      bearerClientIds: o.bearerClientIds ?? [o.clientId],
      jwksPenalty: o.jwks?.penalty ?? 60,
      jwksMaxAge: o.jwks?.maxAge ?? 86400,
    };
  }

  // ---------------- cookies ----------------
  function parseCookies(header) {
    const out = new Map();
    for (const part of (header ?? "").split(";")) {
      const i = part.indexOf("=");
      if (i < 0) continue;
      const k = part.slice(0, i).trim();
      if (k && !out.has(k)) out.set(k, part.slice(i + 1).trim());
    }
    return out;
  }

  function cookieString(c, name, value, maxAge) {
    let s = `${name}=${value}; Path=${c.cookiePath}; HttpOnly; Secure; SameSite=Lax; Max-Age=${maxAge}`;
    if (c.cookieDomain) s += `; Domain=${c.cookieDomain}`;
    return s;
  }

  /** Set-Cookie strings for a sealed value, chunked; stale chunks cleared. */
  function chunkCookies(c, name, sealed, maxAge, cookies) {
    const parts = [];
    for (let i = 0; i < sealed.length; i += MAX_COOKIE) parts.push(sealed.slice(i, i + MAX_COOKIE));
    if (parts.length > MAX_CHUNKS) throw fail("edge: the session is too large for cookies", "SessionTooLarge");
    const out = [cookieString(c, name, `${parts.length}.${parts[0]}`, maxAge)];
    for (let i = 1; i < parts.length; i++) out.push(cookieString(c, `${name}.${i}`, parts[i], maxAge));
    for (let i = parts.length; i < MAX_CHUNKS; i++) if (cookies.has(`${name}.${i}`)) out.push(cookieString(c, `${name}.${i}`, "", 0));
    return out;
  }

  function clearCookies(c, name, cookies) {
    const out = [];
    for (const k of cookies.keys()) if (k === name || k.startsWith(`${name}.`)) out.push(cookieString(c, k, "", 0));
    return out;
  }

  function readChunked(name, cookies) {
    const first = cookies.get(name);
    const m = first && /^([1-8])\.(.*)$/.exec(first);
    if (!m) return null;
    let v = m[2];
    for (let i = 1; i < Number(m[1]); i++) {
      const p = cookies.get(`${name}.${i}`);
      if (p === undefined) return null;
      v += p;
    }
    return v;
  }

  // ---------------- tokens ----------------
  function claimsOf(jwt) {
    try {
      const p = jwt.split(".")[1];
      return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(p.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0))));
    } catch {
      return null;
    }
  }

  function headerSafeJson(v) {
    return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (ch) => "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0"));
  }

  const groupsOf = (claims) => (Array.isArray(claims?.["cognito:groups"]) ? claims["cognito:groups"] : []);
  const scopesOf = (claims) => (typeof claims?.scope === "string" ? claims.scope.split(" ").filter(Boolean) : []);

  // ---------------- responses ----------------
  function json(status, body, headers = {}, cookies = []) {
    const h = new Headers({ "content-type": "application/json", "cache-control": "no-store", ...headers });
    for (const s of cookies) h.append("set-cookie", s);
    return new Response(JSON.stringify(body), { status, headers: h });
  }
  function redirect(location, cookies = []) {
    const h = new Headers({ location, "cache-control": "no-store" });
    for (const s of cookies) h.append("set-cookie", s);
    return new Response(null, { status: 302, headers: h });
  }
  function page(status, text, cookies = []) {
    const h = new Headers({ "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    for (const s of cookies) h.append("set-cookie", s);
    return new Response(text, { status, headers: h });
  }
  function bearerError(status, error, description, extra = "") {
    const challenge = error ? `Bearer error="${error}", error_description="${description}"${extra}` : "Bearer";
    return json(status, error ? { error, error_description: description } : { error: "unauthorized", error_description: description }, {
      "www-authenticate": challenge,
    });
  }

  function wantsHtml(request) {
    return (request.method === "GET" || request.method === "HEAD") && (request.headers.get("accept") ?? "").includes("text/html");
  }

  // ---------------- per-isolate state ----------------
  const refreshes = new Map(); // `${sessionId}:${exp}` → { promise, at }
  const usedStates = new Map(); // state → expiry (ms), callbacks already consumed here

  return function cognitoEdge(optionsOrFactory) {
    const configs = new WeakMap();
    const verifiers = new Map();
    const jwksStats = { network: 0 };
    let envSeen;
    let waitUntil;
    let ready;

    function config(env) {
      if (typeof optionsOrFactory !== "function") {
        if (!configs.has(normalize)) configs.set(normalize, normalize(optionsOrFactory));
        return configs.get(normalize);
      }
      const key = env && typeof env === "object" ? env : normalize;
      if (!configs.has(key)) configs.set(key, normalize(optionsOrFactory(env)));
      return configs.get(key);
    }
    // Validate static options now: bad input fails at once.
    if (typeof optionsOrFactory !== "function") config();

    function store(c) {
      const j = c.jwks?.store;
      if (j === false) return null;
      if (j && typeof j === "object" && typeof j.get === "function") return { kind: "kv", kv: j };
      if (typeof j === "string") {
        const kv = envSeen?.[j];
        return kv && typeof kv.get === "function" ? { kind: "kv", kv } : null;
      }
      const cache = globalThis.caches?.default;
      return cache ? { kind: "cache", cache } : null;
    }

    function edgeFetch(c) {
      return jwksFetch({
        jwksUri: c.jwksUri,
        penalty: c.jwksPenalty,
        maxAge: c.jwksMaxAge,
        store: () => store(c),
        baseFetch: c.fetch ?? ((...a) => fetch(...a)),
        waitUntil: (p) => waitUntil?.(p),
        stats: jwksStats,
      });
    }

    /** One JwtVerifier per configuration and token use, for the isolate's life. */
    function verifier(c, tokenUse, clientId) {
      const key = `${c.userPoolId}|${tokenUse}|${JSON.stringify(clientId)}|${c.issuer}`;
      let v = verifiers.get(key);
      if (!v) {
        v = new JwtVerifier({
          userPoolId: c.userPoolId,
          clientId,
          tokenUse,
          issuer: c.issuer,
          jwksUri: c.jwksUri,
          graceSeconds: c.graceSeconds ?? 0,
          fetch: edgeFetch(c),
        });
        verifiers.set(key, v);
      }
      return v;
    }

    /**
     * Bearer verification with a per-isolate verdict cache: a token that
     * verified is accepted again, until its `exp` (+ grace), without redoing
     * the signature (a client sends the same access token many times). Only
     * successes are kept; at most `verdictCache` tokens (default 1000, 0: off).
     */
    const verdicts = new Map();
    async function verifyBearer(c, token) {
      const v = verifier(c, c.bearerTokenUse, c.bearerClientIds);
      const max = c.verdictCache ?? 1000;
      const key = `${c.issuer}|${c.bearerTokenUse}|${c.bearerClientIds}|${token}`;
      const hit = verdicts.get(key);
      if (hit) {
        verdicts.delete(key);
        if ((hit.exp + (c.graceSeconds ?? 0)) * 1000 > Date.now()) {
          verdicts.set(key, hit);
          return structuredClone(hit);
        }
      }
      const claims = await v.verify(token);
      if (max > 0) {
        if (verdicts.size >= max) verdicts.delete(verdicts.keys().next().value);
        verdicts.set(key, structuredClone(claims));
      }
      return claims;
    }

    function oauthBase(c) {
      if (!c.domain) throw fail("edge: option domain (the hosted-UI domain) is required for browser sign-in", "EmptyArgument");
      return { domain: c.domain, clientId: c.clientId, clientSecret: c.clientSecret, ...(c.fetch ? { fetch: c.fetch } : {}) };
    }

    function ruleFor(c, path) {
      if (path === c.callbackPath || path === c.signOutPath || path === c.signInPath) return { public: true };
      if (c.publicPaths.some((m) => m(path))) return { public: true };
      return c.rules.find((r) => r.match(path)) ?? { signedIn: true };
    }

    // ---------- session ----------
    async function makeSession(c, tokens, previous) {
      const access = await verifier(c, "access", c.clientId).verify(tokens.accessToken);
      if (tokens.idToken) await verifier(c, "id", c.clientId).verify(tokens.idToken);
      const now = Date.now();
      return {
        ...(previous?.api || tokens.api ? { api: 1 } : {}),
        sid: previous?.sid ?? randomId(),
        at: tokens.accessToken,
        it: tokens.idToken ?? previous?.it ?? null,
        rt: tokens.refreshToken ?? previous?.rt ?? null,
        exp: Math.min(access.exp * 1000, now + (tokens.expiresIn ?? Infinity) * 1000),
        since: previous?.since ?? now,
      };
    }

    async function sessionCookies(c, session, cookies) {
      const until = session.since + c.sessionLifetime * 1000;
      const sealed = await seal(c.secrets, c.sessionName, session, until);
      return chunkCookies(c, c.sessionName, sealed, Math.max(0, Math.floor((until - Date.now()) / 1000)), cookies);
    }

    async function readSession(c, cookies) {
      const v = readChunked(c.sessionName, cookies);
      if (!v) return null;
      const s = await open(c.secrets, c.sessionName, v);
      return s && typeof s.at === "string" && typeof s.exp === "number" ? s : null;
    }

    /** One refresh per session per isolate, however many requests arrive. */
    function refresh(c, session) {
      const key = `${session.sid}:${session.exp}`;
      const now = Date.now();
      for (const [k, v] of refreshes) if (v.at && now - v.at > REFRESH_KEEP_MS) refreshes.delete(k);
      let r = refreshes.get(key);
      if (!r) {
        r = { at: 0, promise: null };
        r.promise = (async () => {
          try {
            const t = session.api ? await apiRefresh(c, session) : await oauth.refresh({ ...oauthBase(c), refreshToken: session.rt });
            return await makeSession(c, t, session);
          } finally {
            r.at = Date.now();
          }
        })();
        refreshes.set(key, r);
      }
      return r.promise;
    }

    // ---------- password sign-in (SRP in the Worker), opt-in ----------
    /** One Cognito JSON-API call; rejects with a CognitoError named by `__type`. */
    async function cognitoCall(c, op, body) {
      const f = c.fetch ?? fetch;
      let r;
      try {
        r = await f(c.apiEndpoint, {
          method: "POST",
          headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${op}` },
          body: JSON.stringify(body),
        });
      } catch {
        const e = new CognitoError("Cognito could not be reached", "NetworkError");
        e.transient = true;
        throw e;
      }
      let j = null;
      try {
        j = await r.json();
      } catch {
        // not JSON
      }
      if (!r.ok || !j) {
        const type = String(j?.__type ?? "").split("#").pop() || `HTTP${r.status}`;
        const e = new CognitoError(typeof j?.message === "string" ? j.message : `Cognito answered ${r.status}`, type);
        e.status = r.status;
        if (r.status >= 500 || type === "TooManyRequestsException") e.transient = true;
        throw e;
      }
      return j;
    }

    const tokensOf = (result) => ({
      api: true,
      accessToken: result.AccessToken,
      idToken: result.IdToken,
      refreshToken: result.RefreshToken,
      expiresIn: result.ExpiresIn,
    });

    async function apiRefresh(c, session) {
      const username = claimsOf(session.at)?.username;
      const AuthParameters = { REFRESH_TOKEN: session.rt };
      if (c.clientSecret && username) AuthParameters.SECRET_HASH = srp.secretHash(username, c.clientId, c.clientSecret);
      const r = await cognitoCall(c, "InitiateAuth", { AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: c.clientId, AuthParameters });
      return tokensOf(r.AuthenticationResult ?? {});
    }

    const MFA_ANSWER = { SOFTWARE_TOKEN_MFA: "SOFTWARE_TOKEN_MFA_CODE", SMS_MFA: "SMS_MFA_CODE", EMAIL_OTP: "EMAIL_OTP_CODE", SMS_OTP: "SMS_OTP_CODE" };

    async function readForm(request) {
      const type = request.headers.get("content-type") ?? "";
      try {
        if (type.startsWith("application/json")) {
          const j = await request.json();
          return j && typeof j === "object" ? j : null;
        }
        if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
          return Object.fromEntries([...(await request.formData())].filter(([, v]) => typeof v === "string"));
        }
      } catch {
        return null;
      }
      return null;
    }

    /**
     * `POST <signInPath>` with `{ username, password }`: USER_SRP_AUTH run
     * here (the password never leaves the Worker), then `{ code }` or
     * `{ newPassword }` for a challenge, the pending step in a sealed 5-minute
     * cookie. Answers JSON: `{ done: true, redirect }` with the session
     * cookie, or `{ done: false, next }`, or `{ error, message }`.
     */
    async function passwordSignIn(c, request, url, cookies) {
      if (request.method !== "POST") return json(405, { error: "method_not_allowed", message: "POST the sign-in form" }, { allow: "POST" });
      const origin = request.headers.get("origin");
      if (origin && origin !== url.origin) return json(403, { error: "forbidden", message: "cross-origin sign-in" });
      const form = await readForm(request);
      if (!form) return json(400, { error: "InvalidArgument", message: "send the form as JSON or application/x-www-form-urlencoded" });
      const returnTo = typeof form.returnTo === "string" && form.returnTo.startsWith("/") && new URL(form.returnTo, url).origin === url.origin ? form.returnTo : "/";
      const clearPending = cookies.has(c.pendingName) ? [cookieString(c, c.pendingName, "", 0)] : [];
      const fail = (status, e, extra = []) =>
        json(status, { error: e?.code ?? "error", message: e?.message ?? "sign-in failed" }, {}, [...clearPending, ...extra]);
      try {
        let r;
        if (typeof form.username === "string" && typeof form.password === "string") {
          if (!form.username || !form.password) return fail(400, { code: "EmptyArgument", message: "username and password are required" });
          const ephemeral = srp.createEphemeral();
          const AuthParameters = { USERNAME: form.username, SRP_A: ephemeral.publicA };
          if (c.clientSecret) AuthParameters.SECRET_HASH = srp.secretHash(form.username, c.clientId, c.clientSecret);
          const init = await cognitoCall(c, "InitiateAuth", { AuthFlow: "USER_SRP_AUTH", ClientId: c.clientId, AuthParameters });
          if (init.ChallengeName !== "PASSWORD_VERIFIER") {
            ephemeral.dispose();
            return fail(400, { code: "UnexpectedChallenge", message: `unexpected challenge ${init.ChallengeName ?? "none"}` });
          }
          const ChallengeResponses = srp.answerPasswordVerifier({
            ephemeral,
            userPoolId: c.userPoolId,
            password: form.password,
            challengeParameters: init.ChallengeParameters,
            username: form.username,
            clientId: c.clientId,
            clientSecret: c.clientSecret,
          });
          r = await cognitoCall(c, "RespondToAuthChallenge", { ChallengeName: "PASSWORD_VERIFIER", ClientId: c.clientId, Session: init.Session, ChallengeResponses });
        } else {
          const pending = cookies.has(c.pendingName) ? await open(c.secrets, c.pendingName, cookies.get(c.pendingName)) : null;
          if (!pending) return fail(400, { code: "NoSignInPending", message: "no sign-in step is pending (or it expired): start again" });
          const ChallengeResponses = { USERNAME: pending.username };
          if (MFA_ANSWER[pending.challenge] && typeof form.code === "string" && form.code) ChallengeResponses[MFA_ANSWER[pending.challenge]] = form.code;
          else if (pending.challenge === "NEW_PASSWORD_REQUIRED" && typeof form.newPassword === "string" && form.newPassword) ChallengeResponses.NEW_PASSWORD = form.newPassword;
          else return json(400, { error: "InvalidArgument", message: `answer ${pending.challenge}` });
          if (c.clientSecret) ChallengeResponses.SECRET_HASH = srp.secretHash(pending.username, c.clientId, c.clientSecret);
          r = await cognitoCall(c, "RespondToAuthChallenge", { ChallengeName: pending.challenge, ClientId: c.clientId, Session: pending.session, ChallengeResponses });
        }
        if (r.AuthenticationResult) {
          const session = await makeSession(c, tokensOf(r.AuthenticationResult), null);
          const set = [...clearPending, ...(await sessionCookies(c, session, cookies))];
          return json(200, { done: true, redirect: returnTo }, {}, set);
        }
        if (!r.ChallengeName || !(MFA_ANSWER[r.ChallengeName] || r.ChallengeName === "NEW_PASSWORD_REQUIRED")) {
          return fail(400, { code: "UnsupportedChallenge", message: `${r.ChallengeName ?? "no result"}: use the hosted UI` });
        }
        const username = r.ChallengeParameters?.USERNAME ?? r.ChallengeParameters?.USER_ID_FOR_SRP ?? form.username;
        const sealed = await seal(c.secrets, c.pendingName, { session: r.Session, username, challenge: r.ChallengeName }, Date.now() + 300_000);
        return json(200, { done: false, next: r.ChallengeName, codeDelivery: r.ChallengeParameters?.CODE_DELIVERY_DESTINATION }, {}, [cookieString(c, c.pendingName, sealed, 300)]);
      } catch (e) {
        return fail(e?.transient ? 503 : e?.status === 400 || e?.code === "NotAuthorizedException" ? 401 : 400, e);
      }
    }

    // ---------- endpoints ----------
    async function startSignIn(c, request, url, cookies) {
      const redirectUri = c.redirectUri ?? new URL(c.callbackPath, url).href;
      const { url: authorize, state, transaction } = oauth.buildAuthorizeUrl({ ...oauthBase(c), redirectUri, scopes: c.scopes });
      const returnTo = url.pathname + url.search;
      const name = `${c.txName}.${state.slice(0, 16).replace(/[^A-Za-z0-9_-]/g, "")}`;
      const sealed = await seal(c.secrets, name, { transaction, returnTo, redirectUri }, Date.now() + TX_TTL * 1000);
      return redirect(authorize, [cookieString(c, name, sealed, TX_TTL)]);
    }

    async function callback(c, request, url, cookies) {
      const state = url.searchParams.get("state") ?? "";
      const name = `${c.txName}.${state.slice(0, 16).replace(/[^A-Za-z0-9_-]/g, "")}`;
      const clear = cookies.has(name) ? [cookieString(c, name, "", 0)] : [];
      const now = Date.now();
      for (const [k, exp] of usedStates) if (exp < now) usedStates.delete(k);
      if (!state || usedStates.has(state)) return page(400, "This sign-in link was already used or is not valid. Start again.", clear);
      const tx = cookies.has(name) ? await open(c.secrets, name, cookies.get(name)) : null;
      if (!tx) return page(400, "No sign-in is in progress in this browser (or it expired). Start again.", clear);
      usedStates.set(state, now + TX_TTL * 1000);
      let tokens;
      try {
        tokens = await oauth.exchangeCode({
          ...oauthBase(c),
          url: url.href,
          transaction: tx.transaction,
          userPoolId: c.userPoolId,
          issuer: c.issuer,
          jwksUri: c.jwksUri,
          fetch: edgeFetch(c),
        });
      } catch (e) {
        return page(400, `Sign-in failed (${e?.code ?? "error"}). Start again.`, clear);
      }
      let session;
      try {
        session = await makeSession(c, tokens, null);
      } catch (e) {
        return page(400, `Sign-in failed (${e?.code ?? "error"}).`, clear);
      }
      // Back where the sign-in started: same origin only (no open redirect).
      let target = new URL("/", url);
      if (typeof tx.returnTo === "string" && tx.returnTo.startsWith("/")) {
        const t = new URL(tx.returnTo, url);
        if (t.origin === url.origin) target = t;
      }
      return redirect(target.href, [...clear, ...(await sessionCookies(c, session, cookies))]);
    }

    async function signOut(c, request, url, cookies) {
      const session = await readSession(c, cookies);
      if (session?.rt) {
        // RFC 7009 revocation (not in the public oauth API): HTTP Basic for a
        // confidential client, client_id in the body for a public one.
        const headers = { "content-type": "application/x-www-form-urlencoded" };
        const body = new URLSearchParams({ token: session.rt });
        if (c.clientSecret) headers.authorization = "Basic " + btoa(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`);
        else body.set("client_id", c.clientId);
        try {
          const f = c.fetch ?? fetch;
          const r = await f(`${c.domain}/oauth2/revoke`, { method: "POST", headers, body });
          await r.body?.cancel();
        } catch {
          // The cookies are cleared anyway; the refresh token expires on its own.
        }
      }
      const clear = clearCookies(c, c.sessionName, cookies);
      const logoutUri = c.logoutUri ?? new URL("/", url).href;
      const to = c.domain
        ? `${c.domain}/logout?${new URLSearchParams({ client_id: c.clientId, logout_uri: logoutUri })}`
        : logoutUri;
      return redirect(to, clear);
    }

    // ---------- the protected request ----------
    function checkRule(rule, claims) {
      if (rule.groups?.length && !groupsOf(claims).some((g) => rule.groups.includes(g))) return "group";
      if (rule.scopes?.length && !scopesOf(claims).some((s) => rule.scopes.includes(s))) return "scope";
      return null;
    }

    function forward(c, request, cookies, auth) {
      const h = new Headers(request.headers);
      h.delete(c.claimsHeader);
      // Our cookies never reach the origin.
      if (cookies.size) {
        const kept = [...cookies].filter(([k]) => !(k === c.sessionName || k.startsWith(`${c.sessionName}.`) || k.startsWith(`${c.txName}.`)));
        if (kept.length) h.set("cookie", kept.map(([k, v]) => `${k}=${v}`).join("; "));
        else h.delete("cookie");
      }
      if (auth?.source === "session" || (auth?.source === "bearer" && c.bearerDropAuthorization)) h.delete("authorization");
      if (auth) h.set(c.claimsHeader, headerSafeJson(auth.claims));
      return new Request(request, { headers: h });
    }

    /** `{ response }` (final) or `{ request, auth, cookies }` (go on). */
    async function authenticate(request, env, ctx) {
      if (env !== undefined) envSeen = env;
      if (ctx?.waitUntil) waitUntil = (p) => ctx.waitUntil(p);
      if (init && !ready) ready = init();
      if (ready) await ready;
      const c = config(env);
      const url = new URL(request.url);
      const cookies = parseCookies(request.headers.get("cookie"));
      if (url.pathname === c.callbackPath) return { response: await callback(c, request, url, cookies) };
      if (url.pathname === c.signOutPath) {
        const origin = request.headers.get("origin");
        if (request.method === "POST" && origin && origin !== url.origin) return { response: json(403, { error: "forbidden", error_description: "cross-origin sign-out" }) };
        return { response: await signOut(c, request, url, cookies) };
      }
      if (c.signInPath && url.pathname === c.signInPath) return { response: await passwordSignIn(c, request, url, cookies) };
      const rule = ruleFor(c, url.pathname);

      const authz = request.headers.get("authorization");
      if (authz && /^bearer\s/i.test(authz) && c.bearer) {
        const token = authz.slice(7).trim();
        let claims;
        try {
          claims = await verifyBearer(c, token);
        } catch (e) {
          if (rule.public) return { request: forward(c, request, cookies, null), auth: null, cookies: [] };
          return { response: bearerError(401, "invalid_token", e?.code ?? "JwtInvalid") };
        }
        const denied = checkRule(rule, claims);
        if (denied) {
          const extra = rule.scopes?.length ? `, scope="${rule.scopes.join(" ")}"` : "";
          return { response: bearerError(403, "insufficient_scope", denied === "group" ? "not in a required group" : "missing a required scope", extra) };
        }
        const auth = { source: "bearer", claims, username: claims.username ?? claims["cognito:username"], groups: groupsOf(claims), scopes: scopesOf(claims) };
        return { request: forward(c, request, cookies, auth), auth, cookies: [] };
      }

      let session = await readSession(c, cookies);
      let setCookies = [];
      if (!session && cookies.has(c.sessionName)) setCookies = clearCookies(c, c.sessionName, cookies); // unreadable: drop it
      if (session && Date.now() + c.refreshMargin * 1000 >= session.exp) {
        if (!session.rt) session = null;
        else {
          try {
            session = await refresh(c, session);
            setCookies = await sessionCookies(c, session, cookies);
          } catch (e) {
            if (!e?.transient) {
              // The refresh token was refused (revoked, expired): signed out.
              session = null;
              setCookies = clearCookies(c, c.sessionName, cookies);
            } else if (Date.now() >= session.exp) {
              // Cognito unreachable and the access token expired: keep the
              // session for a later try.
              return { response: json(503, { error: "temporarily_unavailable", error_description: "the session could not be refreshed; try again" }, { "retry-after": "5" }) };
            }
            // Otherwise the access token is still valid: use it, refresh later.
          }
        }
      }
      if (!session) {
        if (rule.public) return { request: forward(c, request, cookies, null), auth: null, cookies: setCookies };
        if (wantsHtml(request) && !rule.api) {
          const r = await startSignIn(c, request, url, cookies);
          for (const s of setCookies) r.headers.append("set-cookie", s);
          return { response: r };
        }
        const r = bearerError(401, null, "sign-in required");
        for (const s of setCookies) r.headers.append("set-cookie", s);
        return { response: r };
      }
      // Cookie sessions and cross-site writes: SameSite=Lax already keeps the
      // cookie off cross-site POSTs; refuse a foreign Origin as well.
      const origin = request.headers.get("origin");
      if (!["GET", "HEAD", "OPTIONS"].includes(request.method) && origin && origin !== url.origin) {
        return { response: json(403, { error: "forbidden", error_description: "cross-origin request with a session cookie" }) };
      }
      const claims = claimsOf(session.at) ?? {};
      const idClaims = session.it ? claimsOf(session.it) : null;
      const denied = checkRule(rule, claims);
      if (denied) {
        const r = json(403, { error: "forbidden", error_description: denied === "group" ? "not in a required group" : "missing a required scope" });
        for (const s of setCookies) r.headers.append("set-cookie", s);
        return { response: r };
      }
      const auth = { source: "session", claims, idClaims, username: claims.username, groups: groupsOf(claims), scopes: scopesOf(claims) };
      return { request: forward(c, request, cookies, auth), auth, cookies: setCookies };
    }

    const results = new WeakMap();

    /** Adds the Set-Cookie headers of a result to a response. */
    function finish(result, response) {
      if (!result?.cookies?.length) return response;
      const r = new Response(response.body, response);
      for (const s of result.cookies) r.headers.append("set-cookie", s);
      return r;
    }

    async function handler(request, env, ctx) {
      const result = await authenticate(request, env, ctx);
      if (result.response) return result.response;
      const next = typeof optionsOrFactory === "function" ? config(env).next : optionsOrFactory.next;
      if (next) return finish(result, await next(result.request, env, ctx, result.auth));
      results.set(request, result);
      return null;
    }
    handler.authenticate = authenticate;
    handler.finish = finish;
    /** After `handler` returned null: the forwarded request and auth of `request`. */
    handler.context = (request) => results.get(request) ?? null;
    /** After `handler` returned null: `response` with any refreshed session cookie. */
    handler.respond = (request, response) => finish(results.get(request), response);
    handler.stats = jwksStats;
    return handler;
  };
}
