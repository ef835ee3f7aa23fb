use sea_orm::entity::prelude::*;

/// The channels a person chose for notices besides the app; no row means every channel.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_preference")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: Uuid,
    pub by_email: bool,
    pub by_push: bool,
    /// The language e-mail and push are written in (a catalogue code); `None` is the
    /// municipality's first.
    pub language: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
