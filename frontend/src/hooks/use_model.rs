use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, Pending};
use crate::app::Route;

/// A page's state as one plain value, changed only by messages. [`Model::update`] is ordinary
/// synchronous code (tested natively); the requests it asks for ([`Model::Task`]) are described
/// by [`Model::run`], and their answers come back as the next message.
///
/// Used by the larger forms (schedule, pick-up persons, day sheet) instead of one `use_state`
/// per field and one `spawn_local` future per request: every `use_state` type and every future
/// is its own generic code in the wasm, and the SPA has a size budget. Here all requests go
/// through the one non-generic [`crate::api::Request::send`].
pub trait Model: 'static {
    type Msg: 'static;
    type Task;

    /// Applies a message; returns a request to make, if any.
    fn update(&mut self, msg: Self::Msg) -> Option<Self::Task>;

    /// The request a task makes and what its answer becomes: `api::something(…).then(Msg::…)`.
    fn run(task: Self::Task) -> Pending<Self::Msg>;
}

/// A component's model, for reading while rendering and for sending messages from callbacks.
pub struct ModelHandle<M: Model> {
    model: Rc<RefCell<M>>,
    redraw: UseForceUpdateHandle,
}

impl<M: Model> Clone for ModelHandle<M> {
    fn clone(&self) -> Self {
        Self {
            model: self.model.clone(),
            redraw: self.redraw.clone(),
        }
    }
}

impl<M: Model> ModelHandle<M> {
    /// The model now. Only for rendering: do not keep it while sending a message.
    pub fn get(&self) -> Ref<'_, M> {
        self.model.borrow()
    }

    /// The model for a change that needs no new render (such as forgetting where focus was to
    /// go, once it has gone there).
    pub fn peek_mut(&self) -> RefMut<'_, M> {
        self.model.borrow_mut()
    }

    /// Applies `msg`, renders again and starts the request it asks for.
    pub fn send(&self, msg: M::Msg) {
        let task = self.model.borrow_mut().update(msg);
        self.redraw.force_update();
        if let Some(task) = task {
            self.start(task);
        }
    }

    /// Makes a request; its answer is sent as a message.
    pub fn start(&self, task: M::Task) {
        let (request, answer) = M::run(task);
        let handle = self.clone();
        spawn_local(async move {
            let text = request.send().await;
            handle.send(answer(text));
        });
    }

    /// A callback that sends the message `make` builds from the event.
    pub fn callback<E: 'static>(&self, make: impl Fn(E) -> M::Msg + 'static) -> Callback<E> {
        let handle = self.clone();
        Callback::from(move |event: E| handle.send(make(event)))
    }
}

/// The model of the calling component, made by `init` on the first render; `first` is sent to it
/// once the component is on the page (to load what it shows).
#[hook]
pub fn use_model<M: Model>(init: impl FnOnce() -> M, first: M::Msg) -> ModelHandle<M> {
    let model = use_mut_ref(init);
    let redraw = use_force_update();
    let handle = ModelHandle { model, redraw };
    let mounted = handle.clone();
    use_once(Box::new(move || mounted.send(first)));
    handle
}

/// Runs `start` once, after the first render. Not generic, so that every model shares one
/// instantiation of the effect.
#[hook]
fn use_once(start: Box<dyn FnOnce()>) {
    use_effect_with((), move |_| start());
}

/// After each render, goes to the page `take` takes from the model, if any: a page whose
/// request has just created a document goes on to it.
#[hook]
pub fn use_go_to<M: Model>(model: &ModelHandle<M>, take: fn(&mut M) -> Option<Route>) {
    let model = model.clone();
    use_effect(move || {
        let route = take(&mut model.peek_mut());
        if let Some(route) = route {
            api::go_to(&route);
        }
    });
}
