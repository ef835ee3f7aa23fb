use sea_orm::entity::prelude::*;

pub use skolportal_shared::api::{TalkPartStatus as Status, TalkRole as Role};

/// One author's part of a pupil's talk material for a term (samtalsunderlag).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "talk_part")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub pupil_id: Uuid,
    pub term_id: Uuid,
    pub author_id: Uuid,
    pub role: Role,
    pub status: Status,
    pub going_well: String,
    pub to_develop: String,
    pub support: String,
    pub questions: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
