use sea_orm::entity::prelude::*;

/// A person's pseudonym and secret for the append-only tables (`skolportal_migration::sealing`).
/// Deleting the row is what makes their access-log lines and signatures unlinkable.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person_key")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: Uuid,
    pub pseudonym: Uuid,
    /// base64 of 32 random bytes; never printed.
    pub secret: String,
    pub created_at: DateTimeUtc,
}

// Deliberately not derived: the secret must never reach a log.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonKey")
            .field("person_id", &self.person_id)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
