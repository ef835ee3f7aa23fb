//! One entry point for `main` and the tests: `Application::build(settings)` connects, migrates,
//! binds (port 0 picks a free one) and returns the running application with its port.

use std::sync::Arc;

use poem::listener::{Acceptor, AcceptorExt, Listener, TcpAcceptor, TcpListener};
use poem::{EndpointExt, Route, Server};
use sea_orm::DatabaseConnection;

use crate::clock::Clock;
use crate::http::embed::{self, WidgetEndpoint};
use crate::http::middleware::{edge, EdgeHeaders, InvalidFrameAncestor};
use crate::http::pwa::{self, WebAppEndpoint};
use crate::http::spa::{SpaAssets, SpaEndpoint, SpaError};
use crate::settings::Settings;
use crate::state::AppState;
use crate::{api, db};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Spa(#[from] SpaError),
    #[error(transparent)]
    Embed(#[from] InvalidFrameAncestor),
    #[error(transparent)]
    Key(#[from] crate::bankid::keys::KeyError),
    #[error(transparent)]
    Municipality(#[from] crate::municipality::MunicipalityError),
    #[error(transparent)]
    Delivery(#[from] crate::notices::DeliveryError),
    #[error(transparent)]
    Source(#[from] crate::ss12000::Ss12000Error),
}

pub struct Application {
    port: u16,
    state: AppState,
    delivery: crate::notices::Delivery,
    source: Option<std::sync::Arc<crate::sync::Source>>,
    acceptor: poem::listener::BoxAcceptor,
    endpoint: poem::endpoint::BoxEndpoint<'static>,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let db = db::connect(&settings.database).await?;
        db::migrate(&db).await?;
        Self::build_with(settings, db, Clock::system()).await
    }

    /// For tests that share a connection or set the clock.
    pub async fn build_with(
        settings: Settings,
        db: DatabaseConnection,
        clock: Clock,
    ) -> Result<Self, StartupError> {
        let addr = settings.server.listen;
        let acceptor = TcpListener::bind(addr)
            .into_acceptor()
            .await
            .map_err(|source| StartupError::Bind { addr, source })?;
        Self::assemble(settings, db, clock, acceptor.boxed()).await
    }

    /// On a socket bound already, for a test that must give the portal's address to someone
    /// else (the BankID provider) before the portal starts: a port only looked up and released
    /// could be taken by another test in between.
    pub async fn build_on(
        listener: std::net::TcpListener,
        settings: Settings,
        db: DatabaseConnection,
        clock: Clock,
    ) -> Result<Self, StartupError> {
        let addr = settings.server.listen;
        let acceptor = listener
            .set_nonblocking(true)
            .and_then(|()| TcpAcceptor::from_std(listener))
            .map_err(|source| StartupError::Bind { addr, source })?;
        Self::assemble(settings, db, clock, acceptor.boxed()).await
    }

    async fn assemble(
        settings: Settings,
        db: DatabaseConnection,
        clock: Clock,
        acceptor: poem::listener::BoxAcceptor,
    ) -> Result<Self, StartupError> {
        crate::municipality::check_all(&db).await?;
        // A wrong SMTP address stops the start, not the first notice of the day.
        let delivery = crate::notices::Delivery::from_settings(&settings)?;
        let source = crate::sync::Source::from_settings(&settings)?;
        let settings = Arc::new(settings);
        let static_dir = settings.server.static_dir.clone();
        let assets = tokio::task::spawn_blocking(move || SpaAssets::load(&static_dir))
            .await
            .unwrap_or_else(|_| Ok(SpaAssets::empty()))?;
        let portal_key = crate::bankid::keys::PortalKey::load_or_generate(
            &settings.bankid.signing_key_path,
            settings.bankid.generate_key_if_missing,
        )?;
        let children = crate::people::children_reader(
            db.clone(),
            settings.session.clone(),
            clock.clone(),
            settings.database.max_connections,
        );
        let start = crate::family_start::start_reader(
            db.clone(),
            settings.session.clone(),
            clock.clone(),
            settings.database.max_connections,
        );
        let state = AppState {
            db,
            settings: settings.clone(),
            clock,
            portal_key,
            bankid_provider: Default::default(),
            children,
            start,
        };
        let endpoint = routes(&state, assets)?;
        let port = acceptor
            .local_addr()
            .first()
            .and_then(|a| a.as_socket_addr().map(|s| s.port()))
            .unwrap_or(settings.server.listen.port());
        Ok(Self {
            port,
            state,
            delivery,
            source,
            acceptor,
            endpoint,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // Periodic jobs (offers lapsing) run while the server does; dropped with it.
        let _jobs = crate::jobs::spawn(
            self.state.clone(),
            self.delivery.clone(),
            self.source.clone(),
        );
        Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(
                self.endpoint,
                async {
                    let _ = tokio::signal::ctrl_c().await;
                },
                Some(std::time::Duration::from_secs(10)),
            )
            .await
    }
}

fn routes(
    state: &AppState,
    assets: SpaAssets,
) -> Result<poem::endpoint::BoxEndpoint<'static>, StartupError> {
    let headers = Arc::new(EdgeHeaders::new(
        &state.settings.embed.frame_ancestors,
        assets.inline_script_hashes(),
        state.settings.is_https(),
        state.settings.server.expose_policy_decisions,
    )?);
    let assets = Arc::new(assets);
    let api = api::service(state, assets.clone());
    let spec = api.spec_endpoint();
    let explorer = api.swagger_ui();
    let web_app = WebAppEndpoint::new(state.clone(), assets.clone());
    let mut route = Route::new()
        .at("/api/openapi.json", spec)
        .nest("/api/docs", explorer)
        .nest("/api", api);
    for path in pwa::PATHS {
        route = route.at(*path, web_app.clone());
    }
    let route = route
        .at(
            embed::PARENT_SCRIPT_PATH,
            poem::endpoint::make_sync(embed::parent_script),
        )
        .nest(
            "/widget",
            WidgetEndpoint::new(state.clone(), assets.clone()),
        )
        .nest("/", SpaEndpoint::new(assets, Some(state.clone())));
    let state = state.clone();
    Ok(route
        .with(poem::middleware::CookieJarManager::new())
        // A bug must cost one request a 500, not the connection.
        .with(poem::middleware::CatchPanic::new())
        .around(move |ep, req| {
            let headers = headers.clone();
            let state = state.clone();
            async move { edge(ep, req, headers, state).await }
        })
        .boxed())
}
