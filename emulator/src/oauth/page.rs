//! The hosted UI's HTML pages (login, MFA, errors): plain server-rendered
//! forms, no scripts, everything escaped.

/// Escapes text for HTML element and attribute content.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

fn layout(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;justify-content:center}}
main{{background:#fff;margin-top:8vh;padding:2rem 2.5rem;border-radius:8px;box-shadow:0 1px 4px #0002;width:20rem}}
h1{{font-size:1.3rem;margin-top:0}} label{{display:block;margin:.8rem 0 .2rem}}
input{{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}}
button{{margin-top:1.2rem;width:100%;padding:.6rem;font-size:1rem;background:#ec7211;color:#fff;border:0;border-radius:4px}}
.error{{color:#b00020;background:#fde7e9;padding:.5rem;border-radius:4px}} small{{color:#666}}
</style></head><body><main>{body}</main></body></html>"#,
        title = esc(title),
    )
}

/// The username/password form.
pub fn login(tx: &str, client_name: &str, hint: &str, error: Option<&str>) -> String {
    let err = error
        .map(|e| format!(r#"<p class="error" id="error">{}</p>"#, esc(e)))
        .unwrap_or_default();
    layout(
        "Sign in",
        &format!(
            r#"<h1>Sign in</h1><small>to {client}</small>{err}
<form method="post" action="/login">
<input type="hidden" name="tx" value="{tx}">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" value="{hint}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" name="signin">Sign in</button>
</form>"#,
            client = esc(client_name),
            tx = esc(tx),
            hint = esc(hint),
        ),
    )
}

/// The MFA code form.
pub fn mfa(tx: &str, method: &str, error: Option<&str>) -> String {
    let err = error
        .map(|e| format!(r#"<p class="error" id="error">{}</p>"#, esc(e)))
        .unwrap_or_default();
    let what = match method {
        "SOFTWARE_TOKEN_MFA" => "the code from your authenticator app",
        "SMS_MFA" => "the code sent to your phone",
        _ => "the code sent to your e-mail",
    };
    layout(
        "Multi-factor authentication",
        &format!(
            r#"<h1>Multi-factor authentication</h1>{err}
<form method="post" action="/login/mfa">
<input type="hidden" name="tx" value="{tx}">
<label for="code">Enter {what}</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
<button type="submit" name="verify">Sign in</button>
</form>"#,
            tx = esc(tx),
        ),
    )
}

/// The new-password form (`NEW_PASSWORD_REQUIRED`).
pub fn new_password(tx: &str, error: Option<&str>) -> String {
    let err = error
        .map(|e| format!(r#"<p class="error" id="error">{}</p>"#, esc(e)))
        .unwrap_or_default();
    layout(
        "Change password",
        &format!(
            r#"<h1>Change password</h1><small>Please enter a new password.</small>{err}
<form method="post" action="/login/new-password">
<input type="hidden" name="tx" value="{tx}">
<label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" required>
<label for="confirm">Confirm password</label><input id="confirm" name="confirm" type="password" autocomplete="new-password" required>
<button type="submit" name="change">Send</button>
</form>"#,
            tx = esc(tx),
        ),
    )
}

/// An error page (for errors that cannot be redirected to the client).
pub fn error(message: &str) -> String {
    layout(
        "Error",
        &format!(
            r#"<h1>An error was encountered</h1><p class="error" id="error">{}</p>"#,
            esc(message)
        ),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(
            super::esc(r#"<a href="x">'&"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
        );
    }
}
