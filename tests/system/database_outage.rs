//! PostgreSQL restarts under load (PostgreSQL only: the test stops and starts a cluster of its
//! own). Measured before the fix: queries in flight answered 500 ("terminating connection due
//! to administrator command"), and new requests hung 5 s before a 503.

use std::time::{Duration, Instant};

use skolportal_tests::app::TestOptions;
use skolportal_tests::pg::OwnCluster;
use skolportal_tests::{Backend, TestApp};

#[tokio::test]
async fn a_restarting_database_gives_quick_503s_never_500_and_service_comes_back() {
    if Backend::from_env() != Backend::Postgres {
        eprintln!("skipped: this test restarts a PostgreSQL server");
        return;
    }
    let cluster = OwnCluster::start();
    let app = TestApp::spawn_with(TestOptions {
        production_pool: true,
        database_url: Some(cluster.url()),
        ..Default::default()
    })
    .await;
    // Four guardians, each in four browsers: sixteen requests in flight at any time.
    let mut clients = Vec::new();
    for user in ["anna", "erik", "maria", "karin"] {
        for _ in 0..4 {
            clients.push(app.login(user).await);
        }
    }

    let stop_at = Instant::now() + Duration::from_secs(10);
    let mut load = Vec::new();
    for client in clients {
        load.push(tokio::spawn(async move {
            let mut seen = Vec::new();
            while Instant::now() < stop_at {
                let started = Instant::now();
                let response = client.get("/api/children").await;
                let status = response.status().as_u16();
                let retry_after = response.headers().contains_key("retry-after");
                seen.push((Instant::now(), status, started.elapsed(), retry_after));
            }
            seen
        }));
    }

    tokio::time::sleep(Duration::from_secs(2)).await;
    let stopping = tokio::task::spawn_blocking(move || {
        cluster.stop();
        std::thread::sleep(Duration::from_secs(2));
        cluster.start_again();
        cluster
    });
    let _cluster = stopping.await.unwrap();
    let back_at = Instant::now();

    let mut answers = Vec::new();
    for task in load {
        answers.extend(task.await.unwrap());
    }
    let count = |code: u16| answers.iter().filter(|a| a.1 == code).count();
    let slowest = answers.iter().map(|a| a.2).max().unwrap();
    eprintln!(
        "{} answers: {} × 200, {} × 503, slowest {slowest:?}",
        answers.len(),
        count(200),
        count(503)
    );
    assert_eq!(count(500), 0, "answers of 500 while the database restarted");
    assert!(count(503) > 0, "the restart was not noticed");
    assert_eq!(answers.len(), count(200) + count(503), "only 200 and 503");
    assert!(
        answers.iter().filter(|a| a.1 == 503).all(|a| a.3),
        "a 503 without Retry-After"
    );
    assert!(
        slowest < Duration::from_secs(2),
        "slowest answer {slowest:?}"
    );
    // Service is back within seconds of the database: the last answers are all 200.
    let after: Vec<_> = answers
        .iter()
        .filter(|a| a.0 > back_at + Duration::from_secs(3))
        .collect();
    assert!(!after.is_empty(), "no answers after the database came back");
    assert!(
        after.iter().all(|a| a.1 == 200),
        "not served again 3 s after the database came back"
    );
}
