use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::SchoolBreakKind;

/// Days off inside a term from the municipality's school calendar (lov, studiedag).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_break")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub kind: SchoolBreakKind,
    pub first_day: Date,
    pub last_day: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
