use sea_orm::entity::prelude::*;

/// Someone a guardian allows to collect the child. Personal data: never log anything but `id`.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pickup_person")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub child_id: Uuid,
    pub name: String,
    pub phone: String,
    pub created_at: DateTimeUtc,
    pub created_by_person_id: Uuid,
}

// Deliberately not derived: a `{:?}` must not print a name or a phone number into a log.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PickupPerson")
            .field("id", &self.id)
            .field("child_id", &self.child_id)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
