//! Two small async tools for a single-threaded runtime: a [`Latch`] that many callers can wait
//! on (single flight), and [`race`], which takes whichever of two futures finishes first
//! (every wait is bounded by a timeout).

use std::cell::RefCell;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

#[derive(Default)]
struct LatchState {
    open: bool,
    waiters: Vec<Waker>,
}

/// Closed until [`Latch::open`]; every clone waits on the same event.
#[derive(Clone, Default)]
pub struct Latch(Rc<RefCell<LatchState>>);

impl Latch {
    /// A closed latch.
    pub fn new() -> Self {
        Self::default()
    }

    /// An open latch (nothing to wait for).
    pub fn opened() -> Self {
        let latch = Self::new();
        latch.open();
        latch
    }

    /// Opens it and wakes every waiter.
    pub fn open(&self) {
        let waiters = {
            let mut state = self.0.borrow_mut();
            state.open = true;
            std::mem::take(&mut state.waiters)
        };
        for waker in waiters {
            waker.wake();
        }
    }

    /// Resolves once the latch is open.
    pub fn wait(&self) -> impl Future<Output = ()> + 'static {
        let state = self.0.clone();
        poll_fn(move |cx| {
            let mut state = state.borrow_mut();
            if state.open {
                Poll::Ready(())
            } else {
                state.waiters.push(cx.waker().clone());
                Poll::Pending
            }
        })
    }
}

/// Which of two raced futures finished first.
pub enum Either<A, B> {
    /// The first.
    Left(A),
    /// The second.
    Right(B),
}

/// Polls both futures; resolves with the first to finish (the other is dropped).
pub async fn race<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let mut a = pin!(a);
    let mut b = pin!(b);
    poll_fn(|cx| {
        if let Poll::Ready(value) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(value));
        }
        if let Poll::Ready(value) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(value));
        }
        Poll::Pending
    })
    .await
}
