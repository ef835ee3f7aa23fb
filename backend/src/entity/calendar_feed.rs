use sea_orm::entity::prelude::*;

/// A calendar feed of `person_id`'s timetable that `owner_person_id` subscribed to. Only the
/// SHA-256 of the secret in its address is kept, so the table cannot hand out addresses.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_feed")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub person_id: Uuid,
    pub owner_person_id: Uuid,
    pub token_hash: String,
    pub created_at: DateTimeUtc,
}

// Deliberately not derived: the hash identifies an address.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CalendarFeed")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
