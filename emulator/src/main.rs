//! `cognito-emulator`: runs the local Cognito user pool (see `--help`).

use cognito_emulator::access::{registered_origins, Access};
use cognito_emulator::config::{load_seed, Options, DEFAULT_SEED, USAGE};
use cognito_emulator::jwt::Keys;
use cognito_emulator::store::{write_atomic, AppState, Durable};

fn main() {
    if let Err(e) = run() {
        eprintln!("cognito-emulator: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let Some(opts) = Options::parse(std::env::args().skip(1))? else {
        println!("{USAGE}");
        return Ok(());
    };
    cognito_emulator::util::set_clock_offset(opts.clock_offset);
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(serve(opts))
}

fn load_state(opts: &Options) -> Result<(Durable, Keys), String> {
    let seed = || -> Result<Durable, String> {
        match &opts.seed {
            Some(p) => load_seed(
                &std::fs::read_to_string(p).map_err(|e| format!("reading {}: {e}", p.display()))?,
            ),
            None => load_seed(DEFAULT_SEED),
        }
    };
    let Some(dir) = &opts.data_dir else {
        return Ok((seed()?, Keys::generate()?));
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let key_path = dir.join("signing-key.pem");
    let keys = match std::fs::read_to_string(&key_path) {
        Ok(pem) => Keys::from_pem(&pem)?,
        Err(_) => {
            let k = Keys::generate()?;
            write_atomic(&key_path, k.to_pem()?.as_bytes()).map_err(|e| e.to_string())?;
            k
        }
    };
    let state_path = dir.join("state.json");
    let durable = match std::fs::read(&state_path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| format!("{} is not valid state: {e}", state_path.display()))?,
        Err(_) => seed()?,
    };
    Ok((durable, keys))
}

async fn serve(opts: Options) -> Result<(), String> {
    let (durable, keys) = load_state(&opts)?;
    let listener = tokio::net::TcpListener::bind((opts.host.as_str(), opts.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.host, opts.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base = format!("http://{addr}");
    let summary = describe(&durable);
    let app = AppState::new(
        durable,
        keys,
        base.clone(),
        opts.issuer.clone(),
        opts.data_dir.clone(),
    );
    app.persist().map_err(|e| format!("writing state: {e}"))?;
    // The first line is machine-readable: tests and scripts parse the port.
    println!("listening on {base}");
    println!("{summary}");
    println!("outbox (codes that would be e-mailed/texted): {base}/_emulator/outbox");
    let access = access(&opts);
    println!(
        "browser pages allowed (CORS, outbox, admin operations): {}",
        allowed_summary(&app, &access)
    );
    let writer = tokio::spawn(app.clone().writer());
    let sweeper = tokio::spawn(app.clone().sweeper());
    let router = cognito_emulator::router_with_access(app.clone(), access);
    let result = cognito_emulator::faults::serve(listener, router, shutdown_signal())
        .await
        .map_err(|e| e.to_string());
    writer.abort();
    sweeper.abort();
    app.persist().map_err(|e| format!("writing state: {e}"))?;
    tracing::info!("stopped");
    result
}

/// The access policy from the flags. A specific `--host` that is not
/// loopback (a LAN address) is how clients reach the server, so it is
/// accepted as `Host` too; `0.0.0.0` / `::` name no host.
fn access(opts: &Options) -> Access {
    let mut host_aliases = opts.host_aliases.clone();
    if let Ok(alias) = cognito_emulator::access::parse_host_alias(&opts.host) {
        let unspecified = opts
            .host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_unspecified());
        let loopback = cognito_emulator::access::is_loopback_name(&alias);
        if !unspecified && !loopback && !host_aliases.contains(&alias) {
            host_aliases.push(alias);
        }
    }
    Access {
        allow_origins: opts.allow_origins.clone(),
        host_aliases,
    }
}

fn allowed_summary(app: &AppState, access: &Access) -> String {
    let mut all = registered_origins(app);
    for r in &access.allow_origins {
        let shown = match r {
            cognito_emulator::access::OriginRule::Exact(o) => o.clone(),
            cognito_emulator::access::OriginRule::LoopbackAnyPort { scheme, host } => {
                format!("{scheme}://{host}:*")
            }
        };
        // Once, when a flag repeats a registered origin (npm start does).
        if !all.contains(&shown) {
            all.push(shown);
        }
    }
    if all.is_empty() {
        "none (add --allow-origin ORIGIN)".into()
    } else {
        all.join(" ")
    }
}

fn describe(d: &Durable) -> String {
    let mut out = String::new();
    for p in d.pools.values() {
        out.push_str(&format!("pool {} ({})\n", p.id, p.name));
        for c in p.clients.values() {
            out.push_str(&format!(
                "  client {}{}{}\n",
                c.id,
                if c.secret.is_some() {
                    " (confidential, has a secret)"
                } else {
                    " (public)"
                },
                if c.callback_urls.is_empty() {
                    String::new()
                } else {
                    format!(" callbacks {}", c.callback_urls.join(" "))
                }
            ));
        }
        for u in p.users.values() {
            out.push_str(&format!("  user {} [{}]\n", u.username, u.status));
        }
    }
    if d.pools.values().any(|p| p.users.contains_key("demo")) {
        out.push_str("demo credentials: username demo, password Demo-Passw0rd!");
    }
    out.trim_end().to_string()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
