use std::rc::Rc;

use skolportal_shared::api::MunicipalityInfo;
use yew::prelude::*;

use crate::hooks::AppContext;

/// The municipality the portal belongs to, once `GET /api/municipality` has answered.
#[derive(Clone, PartialEq, Default)]
pub struct MunicipalityContext(pub Option<Rc<MunicipalityInfo>>);

#[hook]
pub fn use_municipality() -> Option<Rc<MunicipalityInfo>> {
    use_context::<AppContext>().and_then(|context| context.municipality.0)
}
