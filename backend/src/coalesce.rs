//! Request coalescing: concurrent requests for the same kind of read share one statement.
//!
//! PostgreSQL's cost for a small many-join read is mostly starting the executor, not the rows,
//! so under load answering eight guardians' "Mina barn" with one statement costs the database a
//! third of what eight statements do. Nothing waits for a batch to fill: a request goes out at
//! once when a worker is free, and requests only share a statement when they arrive while every
//! worker is busy, so a quiet portal answers exactly as before. Nothing outlives a batch — no
//! rows are kept between requests — so instances stay stateless.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, Mutex};

/// A request and where its answer goes.
type Pending<Req, Resp> = (Req, oneshot::Sender<Resp>);

/// A request that got no answer: the batch it was in failed without answering it (a panic).
#[derive(Debug, thiserror::Error)]
#[error("the batched read did not answer")]
pub struct Unanswered;

/// Hands requests to `workers` tasks, each of which takes everything waiting (up to
/// `max_batch`) and answers it with one call of the batch function.
pub struct Coalescer<Req, Resp> {
    queue: mpsc::Sender<Pending<Req, Resp>>,
}

impl<Req, Resp> Clone for Coalescer<Req, Resp> {
    fn clone(&self) -> Self {
        Self {
            queue: self.queue.clone(),
        }
    }
}

impl<Req, Resp> Coalescer<Req, Resp>
where
    Req: Send + 'static,
    Resp: Send + 'static,
{
    /// Starts the workers; they end when the last handle is dropped. `answer` must return one
    /// answer per request, in the requests' order. Must be called inside a Tokio runtime.
    pub fn spawn<F, Fut>(workers: usize, max_batch: usize, answer: F) -> Self
    where
        F: Fn(Vec<Req>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Vec<Resp>> + Send + 'static,
    {
        let workers = workers.max(1);
        let max_batch = max_batch.max(1);
        let (queue, receiver) = mpsc::channel(workers * max_batch * 4);
        let receiver = Arc::new(Mutex::new(receiver));
        let answer = Arc::new(answer);
        for _ in 0..workers {
            let receiver = receiver.clone();
            let answer = answer.clone();
            tokio::spawn(async move {
                while let Some(batch) = next_batch(&receiver, max_batch).await {
                    let (requests, replies): (Vec<Req>, Vec<oneshot::Sender<Resp>>) =
                        batch.into_iter().unzip();
                    // Its own task, so that a panic in one batch fails only that batch's
                    // requests (their replies are dropped) and not the worker.
                    let answers = tokio::spawn(answer(requests)).await.unwrap_or_default();
                    for (reply, answer) in replies.into_iter().zip(answers) {
                        // The caller may have gone (the client hung up); nothing to do then.
                        let _ = reply.send(answer);
                    }
                }
            });
        }
        Self { queue }
    }

    /// Queues `request` and waits for its answer.
    pub async fn call(&self, request: Req) -> Result<Resp, Unanswered> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((request, reply))
            .await
            .map_err(|_| Unanswered)?;
        answer.await.map_err(|_| Unanswered)
    }
}

/// Waits for one request, then takes whatever else is already waiting, up to `max_batch`.
async fn next_batch<T>(receiver: &Mutex<mpsc::Receiver<T>>, max_batch: usize) -> Option<Vec<T>> {
    let mut receiver = receiver.lock().await;
    let first = receiver.recv().await?;
    let mut batch = Vec::with_capacity(max_batch);
    batch.push(first);
    while batch.len() < max_batch {
        match receiver.try_recv() {
            Ok(next) => batch.push(next),
            Err(_) => break,
        }
    }
    Some(batch)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn each_caller_gets_the_answer_to_its_own_request() {
        let coalescer = Coalescer::spawn(2, 8, |requests: Vec<u32>| async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            requests.into_iter().map(|r| r * 10).collect::<Vec<_>>()
        });
        let calls = (0..100u32).map(|i| {
            let c = coalescer.clone();
            tokio::spawn(async move { (i, c.call(i).await) })
        });
        for call in calls {
            let (i, answer) = call.await.expect("task");
            assert_eq!(answer.expect("answered"), i * 10);
        }
    }

    #[tokio::test]
    async fn requests_arriving_while_the_workers_are_busy_share_a_batch() {
        let batches = Arc::new(AtomicUsize::new(0));
        let counted = batches.clone();
        let coalescer = Coalescer::spawn(1, 50, move |requests: Vec<u32>| {
            let counted = counted.clone();
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                requests
            }
        });
        let calls: Vec<_> = (0..40u32)
            .map(|i| {
                let c = coalescer.clone();
                tokio::spawn(async move { c.call(i).await })
            })
            .collect();
        for call in calls {
            call.await.expect("task").expect("answered");
        }
        let batches = batches.load(Ordering::SeqCst);
        assert!(batches < 40, "40 requests took {batches} batches");
    }

    #[tokio::test]
    async fn a_batch_that_panics_fails_its_requests_and_the_worker_goes_on() {
        let coalescer = Coalescer::spawn(1, 1, |requests: Vec<u32>| async move {
            assert!(requests[0] != 13, "unlucky");
            requests
        });
        assert!(coalescer.call(13).await.is_err());
        assert_eq!(coalescer.call(14).await.expect("answered"), 14);
    }
}
