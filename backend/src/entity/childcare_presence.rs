use sea_orm::entity::prelude::*;

pub use skolportal_shared::api::CollectorKind;

/// A child's stay at the unit: checked in, and later out (see the migration).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "childcare_presence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub unit_id: Uuid,
    pub child_id: Uuid,
    pub on_date: Date,
    pub checked_in_at: DateTimeUtc,
    pub checked_in_by_person_id: Option<Uuid>,
    pub in_event_id: Uuid,
    pub checked_out_at: Option<DateTimeUtc>,
    pub checked_out_by_person_id: Option<Uuid>,
    pub out_event_id: Option<Uuid>,
    pub collector_kind: Option<CollectorKind>,
    pub collected_by_name: Option<String>,
    pub device_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
