use sea_orm::entity::prelude::*;

/// A mentor's round of talk times for a group.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "talk_round")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub group_id: Uuid,
    pub mentor_id: Option<Uuid>,
    pub place: String,
    pub video_link: Option<String>,
    pub separate_talks: bool,
    /// The last day to book, move or cancel (Swedish time).
    pub book_by: Date,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
